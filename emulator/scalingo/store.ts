// The Scalingo module's state (signing secret, databases, backups) and what every route shares: the callers of the
// main API (user tokens, rate-limited per user) and of the database API (addon tokens), lookups and backup archives.
import { type EmulatorRequest, isRecord, type ModuleContext } from "../framework";
import { dumpFileName, simulatedDump, tarGz } from "./archive";
import { Forbidden, NotFound, TooManyRequests, Unauthorized } from "./errors";
import {
  backupJson,
  backupName,
  backupProgress,
  type ScalingoBackup,
  type ScalingoDatabase,
} from "./records";
import { type AddonClaims, bearerToken, newSigningSecret, type UserClaims, verifyToken } from "./tokens";

/** The main API allows 60 requests per minute per user; past that it answers 429. */
export const MAIN_API_RATE_LIMIT = { requests: 60, windowMs: 60_000 } as const;

export interface ScalingoState {
  signingSecret: string;
  databases: ScalingoDatabase[];
  backups: ScalingoBackup[];
}

function isState(value: unknown): value is ScalingoState {
  return (
    isRecord(value) &&
    typeof value.signingSecret === "string" &&
    Array.isArray(value.databases) &&
    Array.isArray(value.backups)
  );
}

export class ScalingoStore {
  state: ScalingoState = { signingSecret: newSigningSecret(), databases: [], backups: [] };
  private readonly requestsByUser = new Map<string, number[]>();
  /** Built archives by backup id: an archive is the same bytes on every download. */
  private readonly archives = new Map<string, Buffer>();

  constructor(readonly ctx: ModuleContext) {}

  /** Verifies the bearer token of a request: signed by this emulator, unexpired, of the expected kind. */
  private claims<K extends "user" | "addon">(req: EmulatorRequest, kind: K) {
    const token = bearerToken(req.headers);
    if (!token) throw new Unauthorized("no authentication token provided");
    const verified = verifyToken(token, kind, this.state.signingSecret, this.ctx.now());
    if (!verified.ok) throw new Unauthorized(verified.reason);
    return verified.claims;
  }

  /** Authenticates a main-API call and counts it against the caller's per-minute budget. */
  mainApiCaller(req: EmulatorRequest): UserClaims {
    const claims = this.claims(req, "user");
    const now = this.ctx.now();
    const recent = (this.requestsByUser.get(claims.userId) ?? []).filter(
      (at) => at > now - MAIN_API_RATE_LIMIT.windowMs,
    );
    if (recent.length >= MAIN_API_RATE_LIMIT.requests) {
      this.requestsByUser.set(claims.userId, recent);
      throw new TooManyRequests(
        `too many requests: at most ${MAIN_API_RATE_LIMIT.requests} requests per minute are allowed`,
      );
    }
    recent.push(now);
    this.requestsByUser.set(claims.userId, recent);
    return claims;
  }

  /** Authenticates a database-API call: the addon token must have been minted for the database in the path. */
  databaseCaller(req: EmulatorRequest, addonId?: string): AddonClaims {
    const claims = this.claims(req, "addon");
    if (addonId !== undefined && claims.addonId !== addonId) {
      throw new Forbidden("this token does not give access to this database", "forbidden");
    }
    return claims;
  }

  findDatabase(addonId: string): ScalingoDatabase | undefined {
    return this.state.databases.find((db) => db.addonId === addonId);
  }

  /** The database of a database-API path (`:db`), for a caller holding its addon token. */
  pathDatabase(req: EmulatorRequest): ScalingoDatabase {
    this.databaseCaller(req, req.params.db);
    const database = this.findDatabase(req.params.db);
    if (!database) throw new NotFound("database");
    return database;
  }

  /** The addon of a main-API path (`:app`, `:addonId`), for an authenticated user. */
  pathAddon(req: EmulatorRequest): { caller: UserClaims; database: ScalingoDatabase } {
    const caller = this.mainApiCaller(req);
    if (!this.state.databases.some((db) => db.app === req.params.app)) throw new NotFound("app");
    const database = this.findDatabase(req.params.addonId);
    if (!database || database.app !== req.params.app) throw new NotFound("addon");
    return { caller, database };
  }

  findBackup(database: ScalingoDatabase, backupId: string): ScalingoBackup | undefined {
    return this.state.backups.find((backup) => backup.id === backupId && backup.addonId === database.addonId);
  }

  backup(database: ScalingoDatabase, backupId: string): ScalingoBackup {
    const backup = this.findBackup(database, backupId);
    if (!backup) throw new NotFound("backup");
    return backup;
  }

  archiveOf(backup: ScalingoBackup, database: ScalingoDatabase): Buffer {
    let archive = this.archives.get(backup.id);
    if (!archive) {
      const name = backupName(backup, database);
      const dump =
        backup.dumpFile === undefined
          ? Buffer.from(simulatedDump(database.type, database.resourceId, new Date(backup.createdAt)))
          : this.ctx.files.get(backup.dumpFile);
      const file = { name: dumpFileName(database.type, name), content: dump };
      archive = tarGz([file], new Date(backup.createdAt));
      this.archives.set(backup.id, archive);
    }
    return archive;
  }

  /** The backup as the database API shows it now; a finished one has the size of its archive. */
  renderBackup(backup: ScalingoBackup, database: ScalingoDatabase): Record<string, unknown> {
    const progress = backupProgress(backup, this.ctx.profile, this.ctx.now());
    if (progress.status === "done") progress.size = this.archiveOf(backup, database).length;
    return backupJson(backup, database, progress);
  }

  reset(): void {
    this.state = { signingSecret: this.state.signingSecret, databases: [], backups: [] };
    this.requestsByUser.clear();
    this.archives.clear();
  }

  importState(imported: unknown): void {
    if (isState(imported)) {
      this.state = imported;
      this.archives.clear();
    }
  }
}
