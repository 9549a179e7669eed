// Where a Serverless SQL database's data lives: a database of the same name on an instance of the data plane of its
// own (on the real plane, a PostgreSQL server started lazily and stopped when idle like the RDB ones). Backups and
// exports are real pg_dump archives on the real plane only; the simulated one keeps its fixed export text.
import type { DataPlane, Row } from "../data-plane";
import type { FileStore } from "../files";
import type { ManualBackup, SdbBackup, SdbDatabase } from "./records";

export class ServerlessData {
  constructor(
    private readonly plane: DataPlane,
    private readonly files: FileStore,
  ) {}

  get real(): boolean {
    return this.plane.runsServers;
  }

  /**
   * Brings up the database; on the real plane its login is the one the service takes (an IAM principal and its
   * secret key): the emulator has no IAM, so the project id stands for the principal, with the creator's secret key.
   */
  async create(database: SdbDatabase, secretKey: string): Promise<void> {
    const admin = { name: database.projectId, password: secretKey };
    const provisioned = await this.plane.provisionInstance(database.id, {
      engineFamily: "PostgreSQL",
      admin,
    });
    await this.plane.createDatabase(database.id, database.name);
    if (provisioned.port !== undefined) database.serverPort = provisioned.port;
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

  /** Takes a pg_dump archive of the database now into the stored file `name`, on the real plane. */
  async dumpNow(database: SdbDatabase, name: string): Promise<string | undefined> {
    if (!this.real) return undefined;
    return this.files.put(name, await this.plane.dump(database.id, database.name));
  }

  /**
   * The stored file of a backup's archive: the one taken with an on-demand backup, or, for an automatic backup
   * (derived lazily from the daily schedule), a dump taken when it is first needed.
   */
  async archiveOf(backup: SdbBackup, manual: ManualBackup | undefined): Promise<string | undefined> {
    return manual?.dumpFile ?? this.dumpNow(backup.database, `serverless-backup-${backup.id}.custom`);
  }

  async restore(database: SdbDatabase, archive: string | undefined): Promise<void> {
    if (!this.real || archive === undefined) return;
    await this.plane.restore(database.id, database.name, this.files.get(archive));
  }
}
