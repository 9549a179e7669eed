// Where a Serverless SQL database's data lives: a database of the same name on an instance of the data plane of its
// own (on the real plane, a PostgreSQL server started lazily and stopped when idle like the RDB ones). Backups and
// exports are real pg_dump archives on the real plane only; the simulated one keeps its fixed export text.
import type { DataPlane, Row } from "../data-plane";
import type { ManualBackup, SdbBackup, SdbDatabase } from "./records";

export class ServerlessData {
  constructor(private readonly plane: DataPlane) {}

  get real(): boolean {
    return this.plane.runsServers;
  }

  async create(database: SdbDatabase): Promise<void> {
    await this.plane.provisionInstance(database.id, { engineFamily: "PostgreSQL" });
    await this.plane.createDatabase(database.id, database.name);
  }

  async drop(database: SdbDatabase): Promise<void> {
    await this.plane.dropInstance(database.id);
  }

  insertRows(database: SdbDatabase, table: string, rows: Row[]): Promise<void> {
    return this.plane.insertRows(database.id, database.name, table, rows);
  }

  readRows(database: SdbDatabase, table: string): Promise<Row[]> {
    return this.plane.readRows(database.id, database.name, table);
  }

  /** A pg_dump archive of the database as it is now (base64), on the real plane. */
  async dumpNow(database: SdbDatabase): Promise<string | undefined> {
    if (!this.real) return undefined;
    return (await this.plane.dump(database.id, database.name)).toString("base64");
  }

  /**
   * The archive a backup holds: the one taken with an on-demand backup, or, for an automatic backup (derived lazily
   * from the daily schedule), a dump taken when it is first needed.
   */
  async archiveOf(backup: SdbBackup, manual: ManualBackup | undefined): Promise<string | undefined> {
    return manual?.dumpBase64 ?? this.dumpNow(backup.database);
  }

  async restore(database: SdbDatabase, archiveBase64: string | undefined): Promise<void> {
    if (!this.real || archiveBase64 === undefined) return;
    await this.plane.restore(database.id, database.name, Buffer.from(archiveBase64, "base64"));
  }
}
