// One PostgreSQL server of the real data plane: its data directory (copied from a prepared template), its TLS
// certificate, start and stop through pg_ctl, and the superuser's SQL, dumps and restores over its Unix socket.
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Binaries } from "./binaries";
import { ownedDirectory, run, type ServerOwner } from "./processes";

/** The role the emulator administers every server with, as the managed service names its own. */
export const SUPERUSER = "_rdb_superadmin";
/** The database the emulator's own connections use; hidden from the API's database lists. */
export const MAINTENANCE_DATABASE = "postgres";

/** Small settings: an emulated instance holds test data, and many run side by side; without fsync, as the data only
 * has to survive the servers (and the emulator) stopping, not the machine crashing. */
const SERVER_SETTINGS = `
listen_addresses = '127.0.0.1'
max_connections = 30
shared_buffers = 16MB
work_mem = 2MB
maintenance_work_mem = 16MB
max_wal_size = 64MB
min_wal_size = 32MB
fsync = off
full_page_writes = off
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
`;

const CLIENT_AUTHENTICATION = `
local all all trust
local replication all trust
hostssl all all 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
`;

/** What every server of a plane shares: the programs, whom they run as, and the directory of their sockets. */
export interface ServerTools {
  binaries: Binaries;
  owner: ServerOwner | undefined;
  socketDir: string;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A TCP port nothing listens on right now (`preferred` when it is free), for a server to listen on. */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) => (preferred === 0 ? reject(error) : resolve(freePort())));
    probe.listen(preferred, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Initializes the data directory every server is copied from: the superuser, `rdb`, and the settings above. */
export async function prepareTemplate(tools: ServerTools, dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, "PG_VERSION"))) return;
  ownedDirectory(tools.owner, dataDir);
  const initdb = [
    "-D",
    dataDir,
    "-U",
    SUPERUSER,
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--no-instructions",
  ];
  await run(tools.owner, tools.binaries.initdb, [
    ...initdb,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
  ]);
  writeFileSync(join(dataDir, "postgresql.conf"), SERVER_SETTINGS, { flag: "a" });
  writeFileSync(join(dataDir, "pg_hba.conf"), CLIENT_AUTHENTICATION);
  const template = new PostgresServer(tools, dataDir);
  await template.writeCertificate("template");
  await template.start();
  // PostgreSQL 15 no longer lets every user create tables in `public`; the managed service's users can.
  await template.sql("template1", "GRANT ALL ON SCHEMA public TO PUBLIC;");
  await template.sql(MAINTENANCE_DATABASE, "CREATE DATABASE rdb;");
  await template.stop();
}

export class PostgresServer {
  /** The loopback port the server listens on while it runs. */
  port: number | undefined;
  /** The port it last listened on, taken again when free: its replicas' connection to it stays valid. */
  private lastPort = 0;

  constructor(
    private readonly tools: ServerTools,
    readonly dataDir: string,
  ) {}

  get running(): boolean {
    return this.port !== undefined;
  }

  /** Copies the template into this server's data directory. */
  async copyFrom(templateDir: string): Promise<void> {
    await run(this.tools.owner, "cp", ["-a", templateDir, this.dataDir]);
  }

  /** A self-signed certificate for the loopback address, named after the instance. */
  async writeCertificate(commonName: string): Promise<void> {
    const key = join(this.dataDir, "server.key");
    const certificate = join(this.dataDir, "server.crt");
    const subject = `/CN=${commonName.replace(/[^A-Za-z0-9.-]/g, "")}`;
    await run(this.tools.owner, "openssl", [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-days", "3650", "-subj", subject, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      ...["-keyout", key, "-out", certificate],
    ]);
    chmodSync(key, 0o600);
    if (this.tools.owner) chownSync(key, this.tools.owner.uid, this.tools.owner.gid);
  }

  certificate(): string {
    return readFileSync(join(this.dataDir, "server.crt"), "utf8");
  }

  /** Starts the server on a free loopback port; resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.running) return;
    const port = await freePort(this.lastPort);
    await run(
      this.tools.owner,
      this.tools.binaries.pg_ctl,
      ["start", "-w", "-s", "-t", "60", "-D", this.dataDir, "-l", join(this.dataDir, "server.log")].concat([
        "-o",
        `-p ${port} -k ${this.tools.socketDir}`,
      ]),
      { quiet: true },
    );
    this.port = port;
    this.lastPort = port;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await run(this.tools.owner, this.tools.binaries.pg_ctl, [
      "stop",
      "-w",
      "-s",
      "-m",
      "fast",
      "-D",
      this.dataDir,
    ]);
    this.port = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private connection(database: string): string[] {
    if (this.port === undefined) throw new Error(`server ${this.dataDir} is not running`);
    return ["-h", this.tools.socketDir, "-p", String(this.port), "-U", SUPERUSER, "-d", database];
  }

  /** Runs SQL as the superuser; answers the unaligned, tuples-only output. */
  async sql(database: string, statements: string): Promise<string> {
    const args = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", ...this.connection(database), "-f", "-"];
    return (await run(this.tools.owner, this.tools.binaries.psql, args, { input: statements })).toString(
      "utf8",
    );
  }

  /** A pg_dump custom-format archive of one database. */
  async dump(database: string): Promise<Buffer> {
    return run(this.tools.owner, this.tools.binaries.pg_dump, ["-Fc", ...this.connection(database)]);
  }

  /** Loads a custom-format archive into an existing database, replacing what it holds. */
  async restore(database: string, archive: Buffer): Promise<void> {
    const args = [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      ...this.connection(database),
    ];
    await run(this.tools.owner, this.tools.binaries.pg_restore, args, { input: archive });
  }

  /**
   * Copies every database and role of this running server into `targetDir` (clone, major-version upgrade,
   * snapshot); with `standbySlot`, the copy is a standby that streams from this server through that replication slot.
   */
  async copyTo(targetDir: string, standbySlot?: string): Promise<void> {
    if (this.port === undefined) throw new Error(`server ${this.dataDir} is not running`);
    const args = ["-h", this.tools.socketDir, "-p", String(this.port), "-U", SUPERUSER, "-D", targetDir];
    const standby = standbySlot === undefined ? [] : ["-R", "-C", "-S", standbySlot];
    await run(this.tools.owner, this.tools.binaries.pg_basebackup, [
      ...args,
      ...standby,
      "-X",
      "stream",
      "--checkpoint=fast",
      "--no-sync",
    ]);
  }

  /** Where a standby of this server finds it: its socket and current port (written into the standby's settings). */
  standbyConnection(): string {
    return `host=${this.tools.socketDir} port=${this.port} user=${SUPERUSER}`;
  }
}
