// The real data plane: a PostgreSQL server per RDB instance (copied from a prepared template, TLS on, SCRAM logins)
// behind an endpoint port the emulator owns, so that servers start lazily and idle ones stop under a cap.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Credentials, DataPlane, Provisioned, ProvisionRequest, Row } from "../data-plane";
import { DumpFormatError } from "../data-plane";
import type { Binaries } from "./binaries";
import { ownedDirectory, type ServerOwner } from "./processes";
import { EndpointProxy } from "./proxy";
import { scramVerifier } from "./scram";
import {
  MAINTENANCE_DATABASE,
  PostgresServer,
  prepareTemplate,
  quoteIdentifier,
  quoteLiteral,
  type ServerTools,
  SUPERUSER,
} from "./server";
import { insertRowsSql, readRowsSql, tableExistsSql } from "./table-rows";

export interface RealPlaneOptions {
  binaries: Binaries;
  owner: ServerOwner | undefined;
  /** Where the template and the instances' data directories live (kept across restarts under --data-dir). */
  storageDir: string;
  /** Where the servers' Unix sockets live (a short path: socket paths are limited to ~100 bytes). */
  socketDir: string;
  /** This run's directory (sockets, pid file, and the storage without --data-dir), removed on stop. */
  runDir: string;
  /** How many servers may run at once; idle ones beyond it are stopped, least recently used first. */
  maxServers: number;
  log: (line: string) => void;
}

interface ManagedServer {
  server: PostgresServer;
  proxy: EndpointProxy | undefined;
  /** Settles when the server has been built (a create or a clone); resolved for servers found on disk. */
  built: Promise<void>;
  starting: Promise<void> | undefined;
  /** Operations and client connections using the server now; a server in use is never stopped as idle. */
  holds: number;
  lastUsed: number;
}

const ARCHIVE_MAGIC = "PGDMP";

function adminSql(name: string, isAdmin: boolean): string {
  const role = quoteIdentifier(name);
  return isAdmin
    ? `ALTER ROLE ${role} CREATEDB CREATEROLE; GRANT pg_read_all_data, pg_write_all_data TO ${role};`
    : `ALTER ROLE ${role} NOCREATEDB NOCREATEROLE; REVOKE pg_read_all_data, pg_write_all_data FROM ${role};`;
}

function passwordSql(name: string, password: string): string {
  return `ALTER ROLE ${quoteIdentifier(name)} PASSWORD ${quoteLiteral(scramVerifier(password))};`;
}

export class RealDataPlane implements DataPlane {
  readonly runsServers = true;
  private readonly servers = new Map<string, ManagedServer>();
  private template: Promise<void> | undefined;
  private readonly tools: ServerTools;

  constructor(private readonly options: RealPlaneOptions) {
    this.tools = { binaries: options.binaries, owner: options.owner, socketDir: options.socketDir };
    ownedDirectory(options.owner, this.instancesDir);
  }

  private get instancesDir(): string {
    return join(this.options.storageDir, "instances");
  }

  private managed(instanceId: string): ManagedServer {
    const managed = this.servers.get(instanceId);
    if (!managed) throw new Error(`instance ${instanceId} has no server`);
    return managed;
  }

  private async track(instanceId: string, dataDir: string, port: number, built: Promise<void>) {
    const managed: ManagedServer = {
      server: new PostgresServer(this.tools, dataDir),
      proxy: undefined,
      built,
      starting: undefined,
      holds: 0,
      lastUsed: Date.now(),
    };
    this.servers.set(instanceId, managed);
    managed.proxy = await this.openEndpoint(managed, port);
    return managed;
  }

  private openEndpoint(managed: ManagedServer, port: number): Promise<EndpointProxy> {
    return EndpointProxy.open(port, {
      hold: async () => (await this.hold(managed)).port ?? 0,
      release: () => this.release(managed),
    });
  }

  async moveEndpoint(fromInstanceId: string, toInstanceId: string): Promise<void> {
    const from = this.managed(fromInstanceId);
    const to = this.managed(toInstanceId);
    const port = from.proxy?.port;
    if (port === undefined) return;
    await from.proxy?.close();
    from.proxy = undefined;
    await to.proxy?.close();
    to.proxy = await this.openEndpoint(to, port);
  }

  /** Starts the server if needed and keeps it from being stopped as idle until `release`. */
  private async hold(managed: ManagedServer): Promise<PostgresServer> {
    managed.holds += 1;
    managed.lastUsed = Date.now();
    try {
      await managed.built;
      await this.ensureRunning(managed);
      return managed.server;
    } catch (error) {
      this.release(managed);
      throw error;
    }
  }

  private release(managed: ManagedServer): void {
    managed.holds -= 1;
    managed.lastUsed = Date.now();
  }

  private async withServer<T>(instanceId: string, use: (server: PostgresServer) => Promise<T>): Promise<T> {
    const managed = this.managed(instanceId);
    const server = await this.hold(managed);
    try {
      return await use(server);
    } finally {
      this.release(managed);
    }
  }

  private async ensureRunning(managed: ManagedServer): Promise<void> {
    if (managed.server.running) return;
    managed.starting ??= (async () => {
      await this.makeRoom(managed);
      await managed.server.start();
    })().finally(() => {
      managed.starting = undefined;
    });
    await managed.starting;
  }

  /** Stops the least recently used idle server when the cap is reached; refuses when every server is busy. */
  private async makeRoom(starting: ManagedServer): Promise<void> {
    const running = [...this.servers.values()].filter(
      (managed) => managed !== starting && (managed.server.running || managed.starting !== undefined),
    );
    if (running.length < this.options.maxServers) return;
    const idle = running
      .filter((managed) => managed.holds === 0 && managed.starting === undefined)
      .sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idle) {
      const message = `cannot start another PostgreSQL server: all ${this.options.maxServers} running servers are busy (raise --max-servers)`;
      this.options.log(message);
      throw new Error(message);
    }
    await idle.server.stop();
  }

  private templateReady(): Promise<void> {
    this.template ??= prepareTemplate(this.tools, join(this.options.storageDir, "template"));
    return this.template;
  }

  async provisionInstance(instanceId: string, request: ProvisionRequest): Promise<Provisioned> {
    const managed = await this.track(instanceId, join(this.instancesDir, instanceId), 0, Promise.resolve());
    managed.built = this.build(instanceId, managed, request);
    // The failure is the instance's (it ends in `error`); whoever uses the server later sees it too.
    managed.built.catch(() => undefined);
    return { port: managed.proxy?.port, ready: managed.built };
  }

  private async build(instanceId: string, managed: ManagedServer, request: ProvisionRequest): Promise<void> {
    const { server } = managed;
    if (request.copyOf !== undefined) {
      await this.withServer(request.copyOf, (source) => source.copyTo(server.dataDir));
    } else {
      await this.templateReady();
      await server.copyFrom(join(this.options.storageDir, "template"));
    }
    await server.writeCertificate(instanceId);
    await this.ensureRunning(managed);
    const admin = request.admin;
    if (admin) {
      const role = quoteIdentifier(admin.name);
      await server.sql(
        MAINTENANCE_DATABASE,
        `CREATE ROLE ${role} LOGIN; ${passwordSql(admin.name, admin.password)} ${adminSql(admin.name, true)}`,
      );
    }
  }

  async configure(instanceId: string, settings: Array<{ name: string; value: string }>): Promise<void> {
    await this.withServer(instanceId, async (server) => {
      const names = settings.map((setting) => quoteLiteral(setting.name)).join(", ");
      const known = names
        ? new Set(
            (
              await server.sql(MAINTENANCE_DATABASE, `SELECT name FROM pg_settings WHERE name IN (${names});`)
            ).split("\n"),
          )
        : new Set<string>();
      const statements = settings
        .filter((setting) => known.has(setting.name))
        .map(
          (setting) => `ALTER SYSTEM SET ${quoteIdentifier(setting.name)} = ${quoteLiteral(setting.value)};`,
        );
      await server.sql(
        MAINTENANCE_DATABASE,
        ["ALTER SYSTEM RESET ALL;", ...statements, "SELECT pg_reload_conf();"].join("\n"),
      );
      // The postmaster rereads its configuration on the signal; sessions started after that see pending restarts.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pending = await server.sql(
        MAINTENANCE_DATABASE,
        "SELECT count(*) FROM pg_settings WHERE pending_restart;",
      );
      if (Number(pending.trim()) > 0) await server.restart();
    });
  }

  async restartInstance(instanceId: string): Promise<void> {
    await this.withServer(instanceId, (server) => server.restart());
  }

  async certificate(instanceId: string): Promise<string | undefined> {
    const managed = this.managed(instanceId);
    await managed.built;
    return managed.server.certificate();
  }

  async renewCertificate(instanceId: string): Promise<void> {
    await this.withServer(instanceId, async (server) => {
      await server.writeCertificate(instanceId);
      await server.sql(MAINTENANCE_DATABASE, "SELECT pg_reload_conf();");
    });
  }

  async createUser(instanceId: string, user: Credentials, isAdmin: boolean): Promise<void> {
    const role = quoteIdentifier(user.name);
    const sql = `CREATE ROLE ${role} LOGIN; ${passwordSql(user.name, user.password)} ${adminSql(user.name, isAdmin)}`;
    await this.withServer(instanceId, (server) => server.sql(MAINTENANCE_DATABASE, sql));
  }

  async updateUser(instanceId: string, name: string, change: { password?: string; isAdmin?: boolean }) {
    const statements = [
      change.password === undefined ? "" : passwordSql(name, change.password),
      change.isAdmin === undefined ? "" : adminSql(name, change.isAdmin),
    ].join(" ");
    if (statements.trim() === "") return;
    await this.withServer(instanceId, (server) => server.sql(MAINTENANCE_DATABASE, statements));
  }

  async dropUser(instanceId: string, name: string): Promise<void> {
    const role = quoteIdentifier(name);
    await this.withServer(instanceId, async (server) => {
      for (const database of await this.databaseNames(server)) {
        await server.sql(database, `REASSIGN OWNED BY ${role} TO ${SUPERUSER}; DROP OWNED BY ${role};`);
      }
      await server.sql(MAINTENANCE_DATABASE, `DROP ROLE IF EXISTS ${role};`);
    });
  }

  private async databaseNames(server: PostgresServer): Promise<string[]> {
    return (await this.databaseSizes(server)).map((database) => database.name);
  }

  private async databaseSizes(server: PostgresServer): Promise<Array<{ name: string; sizeBytes: number }>> {
    const output = await server.sql(
      MAINTENANCE_DATABASE,
      `SELECT datname, pg_database_size(datname) FROM pg_database WHERE NOT datistemplate AND datname <> ${quoteLiteral(MAINTENANCE_DATABASE)} ORDER BY datname;`,
    );
    return output
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const separator = line.lastIndexOf("|");
        return { name: line.slice(0, separator), sizeBytes: Number(line.slice(separator + 1)) };
      });
  }

  async createDatabase(instanceId: string, database: string): Promise<void> {
    await this.withServer(instanceId, async (server) => {
      if (!(await this.databaseNames(server)).includes(database)) {
        await server.sql(MAINTENANCE_DATABASE, `CREATE DATABASE ${quoteIdentifier(database)};`);
      }
    });
  }

  async dropDatabase(instanceId: string, database: string): Promise<void> {
    const sql = `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE);`;
    await this.withServer(instanceId, (server) => server.sql(MAINTENANCE_DATABASE, sql));
  }

  async hasDatabase(instanceId: string, database: string): Promise<boolean> {
    return this.withServer(instanceId, async (server) =>
      (await this.databaseNames(server)).includes(database),
    );
  }

  async listDatabases(instanceId: string): Promise<Array<{ name: string; sizeBytes: number }>> {
    return this.withServer(instanceId, (server) => this.databaseSizes(server));
  }

  async dump(instanceId: string, database: string): Promise<Buffer> {
    return this.withServer(instanceId, (server) => server.dump(database));
  }

  async restore(instanceId: string, database: string, dump: Buffer): Promise<void> {
    if (dump.subarray(0, ARCHIVE_MAGIC.length).toString("latin1") !== ARCHIVE_MAGIC) {
      throw new DumpFormatError("not a pg_dump custom-format archive");
    }
    await this.createDatabase(instanceId, database);
    await this.withServer(instanceId, (server) => server.restore(database, dump));
  }

  async insertRows(instanceId: string, database: string, table: string, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    await this.withServer(instanceId, (server) => server.sql(database, insertRowsSql(table, rows)));
  }

  async readRows(instanceId: string, database: string, table: string): Promise<Row[]> {
    return this.withServer(instanceId, async (server) => {
      if ((await server.sql(database, tableExistsSql(table))).trim() !== "t") return [];
      return JSON.parse(await server.sql(database, readRowsSql(table))) as Row[];
    });
  }

  async dropInstance(instanceId: string): Promise<void> {
    const managed = this.servers.get(instanceId);
    if (!managed) return;
    this.servers.delete(instanceId);
    await managed.proxy?.close();
    await managed.built.catch(() => undefined);
    await managed.starting?.catch(() => undefined);
    await managed.server.stop();
    rmSync(managed.server.dataDir, { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    for (const instanceId of [...this.servers.keys()]) await this.dropInstance(instanceId);
  }

  /** Each instance's endpoint port; the servers' data stays in their directories. */
  async exportState(): Promise<Record<string, number>> {
    return Object.fromEntries(
      [...this.servers.entries()].map(([instanceId, managed]) => [instanceId, managed.proxy?.port ?? 0]),
    );
  }

  /** Opens the endpoints of the instances a previous run left on disk; their servers start on first use. */
  async importState(state: unknown): Promise<void> {
    for (const [instanceId, port] of Object.entries((state ?? {}) as Record<string, number>)) {
      await this.track(instanceId, join(this.instancesDir, instanceId), port, Promise.resolve()).catch(
        (error: unknown) =>
          this.options.log(`instance ${instanceId}: cannot listen on port ${port} again (${String(error)})`),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map(async (managed) => {
        await managed.proxy?.close();
        await managed.built.catch(() => undefined);
        await managed.starting?.catch(() => undefined);
        await managed.server.stop().catch(() => undefined);
      }),
    );
    if (this.template) await this.template.catch(() => undefined);
    rmSync(this.options.runDir, { recursive: true, force: true });
  }
}
