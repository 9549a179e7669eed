// Where a Scalingo PostgreSQL addon's data lives on the real data plane: a database named after the addon's
// resource id on a PostgreSQL server of its own, owned by a user of the same name; manual backups are pg_dump
// archives of it. Other addon types, and every addon on the simulated plane, keep simulated dumps.
import { randomBytes } from "node:crypto";
import type { DataPlane } from "../data-plane";
import type { ScalingoDatabase } from "./records";

export class AddonData {
  constructor(private readonly plane: DataPlane) {}

  private isReal(database: ScalingoDatabase): boolean {
    return this.plane.runsServers && database.type === "postgresql";
  }

  /** Starts the addon's server with its user and database; records where it answers and the user's password. */
  async create(database: ScalingoDatabase): Promise<void> {
    if (!this.isReal(database)) return;
    const password = randomBytes(18).toString("base64url");
    const admin = { name: database.resourceId, password };
    const provisioned = await this.plane.provisionInstance(database.addonId, {
      engineFamily: "PostgreSQL",
      admin,
    });
    await this.plane.createDatabase(database.addonId, database.resourceId);
    database.server = { port: provisioned.port ?? 0, password };
  }

  /** A pg_dump archive of the addon's database now (base64), when it is a real one. */
  async dumpNow(database: ScalingoDatabase): Promise<string | undefined> {
    if (!database.server) return undefined;
    return (await this.plane.dump(database.addonId, database.resourceId)).toString("base64");
  }

  /** The URL the real API gives the app as `SCALINGO_POSTGRESQL_URL`. */
  static connectionUrl(database: ScalingoDatabase): string | undefined {
    const server = database.server;
    if (!server) return undefined;
    const user = encodeURIComponent(database.resourceId);
    return `postgres://${user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/${user}?sslmode=prefer`;
  }
}
