// The real data plane: a PostgreSQL server per RDB instance (copied from a prepared template, TLS on, SCRAM logins)
// behind an endpoint port the emulator owns, so that servers start lazily and idle ones stop under a cap. Snapshots
// are copies of a data directory; read replicas are streaming standbys (pg_basebackup -R with a replication slot).
import { appendFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Credentials, DataPlane, Permission, Provisioned, ProvisionRequest, Row } from "../data-plane";
import { DumpFormatError } from "../data-plane";
import type { Binaries } from "./binaries";
import { ownedDirectory, type ServerOwner } from "./processes";
import { EndpointProxy, networkCovers } from "./proxy";
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
  /** The networks the instance's ACL lets in; undefined: every address. */
  acl: string[] | undefined;
  /** The instance this server is a streaming standby of (a read replica). */
  standbyOf: string | undefined;
}

/** What --data-dir keeps of each server: its endpoint port, and the primary of a replica. */
interface PersistedServer {
  port: number;
  standbyOf?: string;
}

/** How each permission of the privileges API reads in SQL: on the database, its schema `public`, and its objects. */
const PERMISSION_GRANTS: Record<
  Permission,
  { database: string; schema: string; tables: string; sequences: string }
> = {
  none: { database: "", schema: "", tables: "", sequences: "" },
  readonly: { database: "CONNECT", schema: "USAGE", tables: "SELECT", sequences: "SELECT" },
  readwrite: {
    database: "CONNECT, TEMPORARY",
    schema: "USAGE",
    tables: "SELECT, INSERT, UPDATE, DELETE",
    sequences: "USAGE, SELECT, UPDATE",
  },
  all: { database: "ALL", schema: "ALL", tables: "ALL", sequences: "ALL" },
};

function slotOf(replicaId: string): string {
  return `replica_${replicaId.replace(/[^A-Za-z0-9]/g, "_").toLowerCase()}`;
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

  private async track(
    instanceId: string,
    port: number,
    built: Promise<void>,
    standbyOf: string | undefined = undefined,
  ) {
    const managed: ManagedServer = {
      server: new PostgresServer(this.tools, join(this.instancesDir, instanceId)),
      proxy: undefined,
      built,
      starting: undefined,
      holds: 0,
      lastUsed: Date.now(),
      acl: undefined,
      standbyOf,
    };
    this.servers.set(instanceId, managed);
    managed.proxy = await this.openEndpoint(managed, port);
    return managed;
  }

  private openEndpoint(managed: ManagedServer, port: number): Promise<EndpointProxy> {
    return EndpointProxy.open(port, {
      hold: async () => (await this.hold(managed)).port ?? 0,
      release: () => this.release(managed),
      admits: (address) =>
        managed.acl === undefined || managed.acl.some((network) => networkCovers(network, address)),
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
      this.pointAtPrimary(managed);
      await managed.server.start();
      await this.pointStandbysAt(managed);
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

  /** Before a standby starts: where its primary answers now, when it runs (else the standby waits for it). */
  private pointAtPrimary(managed: ManagedServer): void {
    const primary = managed.standbyOf === undefined ? undefined : this.servers.get(managed.standbyOf);
    if (!primary?.server.running) return;
    const setting = `primary_conninfo = ${quoteLiteral(primary.server.standbyConnection())}\n`;
    appendFileSync(join(managed.server.dataDir, "postgresql.auto.conf"), setting);
  }

  /** After a server starts (on another port when its previous one was taken): its running standbys follow it. */
  private async pointStandbysAt(primary: ManagedServer): Promise<void> {
    const setting = quoteLiteral(primary.server.standbyConnection());
    for (const [id, managed] of this.servers) {
      if (managed.standbyOf === undefined || this.servers.get(managed.standbyOf) !== primary) continue;
      if (!managed.server.running) continue;
      await managed.server
        .sql(MAINTENANCE_DATABASE, `ALTER SYSTEM SET primary_conninfo = ${setting}; SELECT pg_reload_conf();`)
        .catch((error: unknown) =>
          this.options.log(`replica ${id}: cannot follow its primary (${String(error)})`),
        );
    }
  }

  private templateReady(): Promise<void> {
    this.template ??= prepareTemplate(this.tools, join(this.options.storageDir, "template"));
    return this.template;
  }

  async provisionInstance(instanceId: string, request: ProvisionRequest): Promise<Provisioned> {
    const managed = await this.track(instanceId, 0, Promise.resolve());
    managed.built = this.build(instanceId, managed, request);
    // The failure is the instance's (it ends in `error`); whoever uses the server later sees it too.
    managed.built.catch(() => undefined);
    return { port: managed.proxy?.port, ready: managed.built };
  }

  private async build(instanceId: string, managed: ManagedServer, request: ProvisionRequest): Promise<void> {
    const { server } = managed;
    if (request.copyOf !== undefined) {
      await this.withServer(request.copyOf, (source) => source.copyTo(server.dataDir));
    } else if (request.fromSnapshot !== undefined) {
      await server.copyFrom(this.snapshotDir(request.fromSnapshot));
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

  private snapshotDir(snapshotId: string): string {
    return join(this.options.storageDir, "snapshots", snapshotId);
  }

  async snapshotInstance(instanceId: string, snapshotId: string): Promise<void> {
    ownedDirectory(this.options.owner, join(this.options.storageDir, "snapshots"));
    await this.withServer(instanceId, (server) => server.copyTo(this.snapshotDir(snapshotId)));
  }

  async dropSnapshot(snapshotId: string): Promise<void> {
    rmSync(this.snapshotDir(snapshotId), { recursive: true, force: true });
  }

  async provisionReplica(primaryId: string, replicaId: string): Promise<Provisioned> {
    const managed = await this.track(replicaId, 0, Promise.resolve(), primaryId);
    managed.built = (async () => {
      await this.withServer(primaryId, (primary) =>
        primary.copyTo(managed.server.dataDir, slotOf(replicaId)),
      );
      await managed.server.writeCertificate(replicaId);
      await this.ensureRunning(managed);
    })();
    managed.built.catch(() => undefined);
    return { port: managed.proxy?.port, ready: managed.built };
  }

  async setAcl(instanceId: string, networks: string[]): Promise<void> {
    this.managed(instanceId).acl = networks;
  }

  /** Replaces what the user may do in the database with the permission's grants on what it holds now. */
  async setPrivilege(instanceId: string, database: string, user: string, permission: Permission) {
    const role = quoteIdentifier(user);
    const grants = PERMISSION_GRANTS[permission];
    const grant = (privileges: string, on: string) =>
      privileges === "" ? "" : `GRANT ${privileges} ON ${on} TO ${role};`;
    const onDatabase = [
      `REVOKE ALL ON DATABASE ${quoteIdentifier(database)} FROM ${role};`,
      grant(grants.database, `DATABASE ${quoteIdentifier(database)}`),
    ].join("\n");
    const inDatabase = [
      `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role};`,
      `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role};`,
      `REVOKE ALL ON SCHEMA public FROM ${role};`,
      grant(grants.schema, "SCHEMA public"),
      grant(grants.tables, "ALL TABLES IN SCHEMA public"),
      grant(grants.sequences, "ALL SEQUENCES IN SCHEMA public"),
    ].join("\n");
    await this.withServer(instanceId, async (server) => {
      await server.sql(MAINTENANCE_DATABASE, onDatabase);
      await server.sql(database, inDatabase);
    });
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
    if (managed.standbyOf !== undefined && this.servers.has(managed.standbyOf)) {
      await this.dropSlot(managed.standbyOf, slotOf(instanceId));
    }
  }

  /** Frees the WAL a deleted replica's slot kept; the primary's sender may take a moment to see the standby gone. */
  private async dropSlot(primaryId: string, slot: string): Promise<void> {
    const sql = `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(slot)};`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.withServer(primaryId, (server) => server.sql(MAINTENANCE_DATABASE, sql));
        return;
      } catch (error) {
        if (attempt === 10) {
          this.options.log(`instance ${primaryId}: cannot drop replication slot ${slot} (${String(error)})`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async clear(): Promise<void> {
    for (const instanceId of [...this.servers.keys()]) await this.dropInstance(instanceId);
    rmSync(join(this.options.storageDir, "snapshots"), { recursive: true, force: true });
  }

  /** Each instance's endpoint port (and a replica's primary); the servers' data stays in their directories. */
  async exportState(): Promise<Record<string, PersistedServer>> {
    return Object.fromEntries(
      [...this.servers.entries()].map(([instanceId, managed]) => [
        instanceId,
        {
          port: managed.proxy?.port ?? 0,
          ...(managed.standbyOf === undefined ? {} : { standbyOf: managed.standbyOf }),
        },
      ]),
    );
  }

  /**
   * Opens the endpoints of the instances a previous run left on disk; their servers start on first use. The ACLs
   * come back from the instances' records (setAcl).
   */
  async importState(state: unknown): Promise<void> {
    for (const [instanceId, { port, standbyOf }] of Object.entries(
      (state ?? {}) as Record<string, PersistedServer>,
    )) {
      await this.track(instanceId, port, Promise.resolve(), standbyOf).catch((error: unknown) =>
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
