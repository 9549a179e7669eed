// Where a Scalingo PostgreSQL addon's data lives on the real data plane: a database named after the addon's
// resource id on a PostgreSQL server of its own, owned by a user of the same name; manual backups are pg_dump
// archives of it. Other addon types, and every addon on the simulated plane, keep simulated dumps. The user's password
// and the archives are stored files (emulator/files.ts), never part of the persisted state.
import { randomBytes } from "node:crypto";
import type { DataPlane } from "../data-plane";
import type { FileStore } from "../files";
import type { ScalingoDatabase } from "./records";

export class AddonData {
  constructor(
    private readonly plane: DataPlane,
    private readonly files: FileStore,
  ) {}

  private isReal(database: ScalingoDatabase): boolean {
    return this.plane.runsServers && database.type === "postgresql";
  }

  /** Starts the addon's server with its user and database; records where it answers and stores the password. */
  async create(database: ScalingoDatabase): Promise<void> {
    if (!this.isReal(database)) return;
    const password = randomBytes(18).toString("base64url");
    const admin = { name: database.resourceId, password };
    const provisioned = await this.plane.provisionInstance(database.addonId, {
      engineFamily: "PostgreSQL",
      admin,
    });
    await this.plane.createDatabase(database.addonId, database.resourceId);
    const passwordFile = this.files.put(`scalingo-addon-${database.addonId}.password`, password);
    database.server = { port: provisioned.port ?? 0, passwordFile };
  }

  /** Takes a pg_dump archive of the addon's database now into the stored file of `backupId`, when it is real. */
  async dumpNow(database: ScalingoDatabase, backupId: string): Promise<string | undefined> {
    if (!database.server) return undefined;
    const archive = await this.plane.dump(database.addonId, database.resourceId);
    return this.files.put(`scalingo-backup-${backupId}.pgsql`, archive);
  }

  /** The URL the real API gives the app as `SCALINGO_POSTGRESQL_URL`. */
  connectionUrl(database: ScalingoDatabase): string | undefined {
    const server = database.server;
    if (!server) return undefined;
    const user = encodeURIComponent(database.resourceId);
    const password = encodeURIComponent(this.files.get(server.passwordFile).toString("utf8"));
    return `postgres://${user}:${password}@127.0.0.1:${server.port}/${user}?sslmode=prefer`;
  }
}
