// What an emulated database instance stores, and what its backup files contain. The simulated data plane keeps each
// logical database as a JSON document of tables and rows; the real one (postgres/real-data-plane.ts) runs a
// PostgreSQL server per instance behind the same asynchronous interface.

export type Row = Record<string, string | number | boolean | null>;

export interface Credentials {
  name: string;
  password: string;
}

/**
 * What a new instance starts from: a first admin user, a copy of another instance (clone, major upgrade), or a
 * snapshot.
 */
export interface ProvisionRequest {
  /** The engine family (`PostgreSQL`, `MySQL`): only PostgreSQL instances get a real server. */
  engineFamily: string;
  admin?: Credentials;
  copyOf?: string;
  fromSnapshot?: string;
}

/** The permissions of the privileges API a user can be given on a database. */
export type Permission = "readonly" | "readwrite" | "all" | "none";

/** Where a new instance answers, when a real server backs it, and when that server accepts connections. */
export interface Provisioned {
  port?: number;
  /** Undefined when the instance is usable at once (simulated); the real plane's server start otherwise. */
  ready?: Promise<void>;
}

export interface DataPlane {
  /** Whether instances are real servers: operations on them then last until the servers are done. */
  readonly runsServers: boolean;
  /** Brings up a new instance with its database `rdb` (or a copy of another instance's databases and users). */
  provisionInstance(instanceId: string, request: ProvisionRequest): Promise<Provisioned>;
  /** Applies the instance's settings (names and values with their units); resolves once they are in effect. */
  configure(instanceId: string, settings: Array<{ name: string; value: string }>): Promise<void>;
  restartInstance(instanceId: string): Promise<void>;
  /** The PEM certificate the instance's server presents, when there is a server. */
  certificate(instanceId: string): Promise<string | undefined>;
  renewCertificate(instanceId: string): Promise<void>;
  createUser(instanceId: string, user: Credentials, isAdmin: boolean): Promise<void>;
  updateUser(
    instanceId: string,
    name: string,
    change: { password?: string; isAdmin?: boolean },
  ): Promise<void>;
  dropUser(instanceId: string, name: string): Promise<void>;
  /** Gives a user `permission` on the objects the database holds now (not on those created later). */
  setPrivilege(instanceId: string, database: string, user: string, permission: Permission): Promise<void>;
  /** Lets only the clients whose address one of the networks (CIDRs) covers reach the instance's endpoint. */
  setAcl(instanceId: string, networks: string[]): Promise<void>;
  /** Keeps a copy of the instance's data as the snapshot `snapshotId`, which `fromSnapshot` provisions from. */
  snapshotInstance(instanceId: string, snapshotId: string): Promise<void>;
  dropSnapshot(snapshotId: string): Promise<void>;
  /** Brings up a read-only replica of an instance under `replicaId` (dropped with `dropInstance`). */
  provisionReplica(primaryId: string, replicaId: string): Promise<Provisioned>;
  /** Makes the endpoint of one instance lead to another (a major upgrade `with_endpoints`). */
  moveEndpoint(fromInstanceId: string, toInstanceId: string): Promise<void>;
  createDatabase(instanceId: string, database: string): Promise<void>;
  dropDatabase(instanceId: string, database: string): Promise<void>;
  hasDatabase(instanceId: string, database: string): Promise<boolean>;
  /** Logical databases of an instance with their size in bytes, sorted by name. */
  listDatabases(instanceId: string): Promise<Array<{ name: string; sizeBytes: number }>>;
  dropInstance(instanceId: string): Promise<void>;
  /** Serializes one database to the bytes of a backup file. */
  dump(instanceId: string, database: string): Promise<Buffer>;
  /** Replaces (or creates) a database from the bytes of a backup file. */
  restore(instanceId: string, database: string, dump: Buffer): Promise<void>;
  insertRows(instanceId: string, database: string, table: string, rows: Row[]): Promise<void>;
  readRows(instanceId: string, database: string, table: string): Promise<Row[]>;
  /** Forgets everything (POST /_emulator/reset). */
  clear(): Promise<void>;
  /** What `--data-dir` persists, and its inverse; a plane that keeps its own storage may return nothing. */
  exportState(): Promise<unknown>;
  importState(state: unknown): Promise<void>;
  /** Stops whatever the plane runs (the emulator is stopping). */
  stop(): Promise<void>;
}

/** The text of a small pg_dump plain-SQL file, for the exports the emulator hands out; `header` names what it holds. */
export function pgDumpText(header: string[]): string {
  return [
    "--",
    "-- PostgreSQL database dump",
    "--",
    ...header.map((line) => `-- ${line}`),
    "",
    "SET statement_timeout = 0;",
    "SET client_encoding = 'UTF8';",
    "",
    "CREATE TABLE public.items (id integer NOT NULL, name text NOT NULL);",
    "COPY public.items (id, name) FROM stdin;",
    "1\temulated",
    "\\.",
    "",
    "--",
    "-- PostgreSQL database dump complete",
    "--",
    "",
  ].join("\n");
}

type Tables = Record<string, Row[]>;

const DUMP_HEADER = "-- pulumi-dbaas emulated logical dump v1\n";

export class DumpFormatError extends Error {}

function snapshotKey(snapshotId: string): string {
  return `snapshot:${snapshotId}`;
}

export class SimulatedDataPlane implements DataPlane {
  readonly runsServers = false;
  private instances = new Map<string, Map<string, Tables>>();

  private databasesOf(instanceId: string): Map<string, Tables> {
    let databases = this.instances.get(instanceId);
    if (!databases) {
      databases = new Map();
      this.instances.set(instanceId, databases);
    }
    return databases;
  }

  private tablesOf(instanceId: string, database: string): Tables {
    const tables = this.instances.get(instanceId)?.get(database);
    if (!tables) throw new Error(`database ${database} does not exist on instance ${instanceId}`);
    return tables;
  }

  async createDatabase(instanceId: string, database: string): Promise<void> {
    const databases = this.databasesOf(instanceId);
    if (!databases.has(database)) databases.set(database, {});
  }

  async dropDatabase(instanceId: string, database: string): Promise<void> {
    this.instances.get(instanceId)?.delete(database);
  }

  async hasDatabase(instanceId: string, database: string): Promise<boolean> {
    return this.instances.get(instanceId)?.has(database) ?? false;
  }

  async listDatabases(instanceId: string): Promise<Array<{ name: string; sizeBytes: number }>> {
    return [...(this.instances.get(instanceId) ?? new Map<string, Tables>()).entries()]
      .map(([name, tables]) => ({ name, sizeBytes: 7_700_000 + JSON.stringify(tables).length }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async provisionInstance(instanceId: string, request: ProvisionRequest): Promise<Provisioned> {
    const copyOf = request.fromSnapshot === undefined ? request.copyOf : snapshotKey(request.fromSnapshot);
    if (copyOf === undefined) {
      await this.createDatabase(instanceId, "rdb");
      return {};
    }
    const source = this.instances.get(copyOf) ?? new Map<string, Tables>();
    this.instances.set(
      instanceId,
      new Map([...source.entries()].map(([name, tables]) => [name, structuredClone(tables)])),
    );
    return {};
  }

  // Users, settings, restarts and certificates live in the instance's record; nothing runs to apply them to.
  async configure(): Promise<void> {}
  async restartInstance(): Promise<void> {}
  async certificate(): Promise<string | undefined> {
    return undefined;
  }
  async renewCertificate(): Promise<void> {}
  async createUser(): Promise<void> {}
  async updateUser(): Promise<void> {}
  async dropUser(): Promise<void> {}
  async moveEndpoint(): Promise<void> {}
  async setPrivilege(): Promise<void> {}
  async setAcl(): Promise<void> {}

  /** A snapshot is kept as an instance of its own key; a replica is a copy made once (nothing follows writes). */
  async snapshotInstance(instanceId: string, snapshotId: string): Promise<void> {
    await this.provisionInstance(snapshotKey(snapshotId), { engineFamily: "", copyOf: instanceId });
  }

  async dropSnapshot(snapshotId: string): Promise<void> {
    this.instances.delete(snapshotKey(snapshotId));
  }

  provisionReplica(primaryId: string, replicaId: string): Promise<Provisioned> {
    return this.provisionInstance(replicaId, { engineFamily: "", copyOf: primaryId });
  }
  async stop(): Promise<void> {}

  async dropInstance(instanceId: string): Promise<void> {
    this.instances.delete(instanceId);
  }

  async dump(instanceId: string, database: string): Promise<Buffer> {
    const document = { database, tables: this.tablesOf(instanceId, database) };
    return Buffer.from(`${DUMP_HEADER}${JSON.stringify(document)}\n`, "utf8");
  }

  async restore(instanceId: string, database: string, dump: Buffer): Promise<void> {
    const text = dump.toString("utf8");
    if (!text.startsWith(DUMP_HEADER)) throw new DumpFormatError("not an emulated logical dump");
    const document = JSON.parse(text.slice(DUMP_HEADER.length)) as { tables?: Tables };
    this.databasesOf(instanceId).set(database, document.tables ?? {});
  }

  async insertRows(instanceId: string, database: string, table: string, rows: Row[]): Promise<void> {
    const tables = this.tablesOf(instanceId, database);
    tables[table] = [...(tables[table] ?? []), ...rows.map((row) => ({ ...row }))];
  }

  async readRows(instanceId: string, database: string, table: string): Promise<Row[]> {
    return (this.tablesOf(instanceId, database)[table] ?? []).map((row) => ({ ...row }));
  }

  async exportState(): Promise<Record<string, Record<string, Tables>>> {
    return Object.fromEntries(
      [...this.instances.entries()].map(([instanceId, databases]) => [
        instanceId,
        Object.fromEntries(databases),
      ]),
    );
  }

  async importState(state: unknown): Promise<void> {
    const entries = Object.entries((state ?? {}) as Record<string, Record<string, Tables>>);
    this.instances = new Map(
      entries.map(([instanceId, databases]) => [instanceId, new Map(Object.entries(databases))]),
    );
  }

  async clear(): Promise<void> {
    this.instances.clear();
  }
}
