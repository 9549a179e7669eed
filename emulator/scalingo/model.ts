// Scalingo tokens, databases and backups: what each change may ask (checked as the real APIs check it) and what it
// does — token exchange and minting, backup schedule updates, manual backups rotating out, archive downloads.
import { createHash, randomUUID } from "node:crypto";
import { isRecord } from "../framework";
import { AddonData } from "./addon-data";
import { Forbidden, Rejected, Unauthorized, Unprocessable } from "./errors";
import {
  backupName,
  backupProgress,
  DATABASE_TYPES,
  type DatabaseType,
  DEFAULT_PERIODIC_BACKUP_HOURS,
  MANUAL_BACKUPS_KEPT,
  objectId,
  planTier,
  type ScalingoBackup,
  type ScalingoDatabase,
} from "./records";
import type { ScalingoStore } from "./store";
import {
  type AddonClaims,
  signToken,
  TOKEN_LIFETIME_SECONDS,
  type UserClaims,
  userIdForApiToken,
} from "./tokens";

/** How long a backup archive's presigned download URL stays valid. */
export const ARCHIVE_URL_TTL_MS = 15 * 60_000;

function isHour(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 23;
}

/** A schedule update's hours: one hour or a non-empty list of them, kept sorted and distinct. */
function scheduledHours(scheduled: unknown, errors: Record<string, string[]>): number[] | undefined {
  if (isHour(scheduled)) return [scheduled];
  if (Array.isArray(scheduled) && scheduled.length > 0 && scheduled.every(isHour)) {
    return [...new Set(scheduled)].sort((a, b) => a - b);
  }
  if (scheduled !== undefined) {
    errors.periodic_backups_scheduled_at = ["must be an hour of the day, between 0 and 23"];
  }
  return undefined;
}

/** What the test control creating a database asks for, once checked. */
function checkNewDatabase(body: Record<string, unknown>): {
  app: string;
  type: DatabaseType;
  plan: string;
  addonId: string;
} {
  const app = body.app;
  if (typeof app !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(app)) {
    throw new Rejected(400, "app must be an application name (lowercase letters, digits, dashes)");
  }
  const type = body.type ?? "postgresql";
  if (!DATABASE_TYPES.includes(type as DatabaseType)) {
    throw new Rejected(400, `type must be one of ${DATABASE_TYPES.join(", ")}`);
  }
  const plan = body.plan ?? `${type as DatabaseType}-starter-512`;
  if (typeof plan !== "string" || plan.length === 0) throw new Rejected(400, "plan must be a plan name");
  const addonId = body.addon_id ?? `ad-${randomUUID()}`;
  if (typeof addonId !== "string" || !/^[A-Za-z0-9_-]+$/.test(addonId)) {
    throw new Rejected(400, "addon_id must be made of letters, digits, dashes and underscores");
  }
  return { app, type: type as DatabaseType, plan, addonId };
}

export class ScalingoModel {
  readonly data: AddonData;

  constructor(
    private readonly store: ScalingoStore,
    private readonly acceptsApiToken: (token: string) => boolean,
  ) {
    this.data = new AddonData(store.ctx.dataPlane, store.ctx.files);
  }

  private issuedAt(): number {
    return Math.floor(this.store.ctx.now() / 1000);
  }

  /** A user token for a user API token the emulator accepts. */
  exchangeToken(apiToken: string | undefined): string {
    if (!apiToken || !this.acceptsApiToken(apiToken)) throw new Unauthorized("invalid credentials");
    const iat = this.issuedAt();
    const claims: UserClaims = {
      kind: "user",
      userId: userIdForApiToken(apiToken),
      iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    return signToken(claims, this.store.state.signingSecret);
  }

  /** A token giving the user access to one database through the database API. */
  mintAddonToken(caller: UserClaims, database: ScalingoDatabase): string {
    const iat = this.issuedAt();
    const claims: AddonClaims = {
      kind: "addon",
      userId: caller.userId,
      app: database.app,
      addonId: database.addonId,
      iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    return signToken(claims, this.store.state.signingSecret);
  }

  /** Changes the periodic backup schedule; Sandbox plans have none. */
  updateDatabase(database: ScalingoDatabase, body: unknown): void {
    const update = isRecord(body) ? body.database : undefined;
    if (!isRecord(update)) throw new Unprocessable({ database: ["is missing"] });
    const errors: Record<string, string[]> = {};
    const enabled = update.periodic_backups_enabled;
    if (enabled !== undefined && typeof enabled !== "boolean") {
      errors.periodic_backups_enabled = ["must be a boolean"];
    }
    const hours = scheduledHours(update.periodic_backups_scheduled_at, errors);
    if (Object.keys(errors).length > 0) throw new Unprocessable(errors);
    if (planTier(database.plan) === "sandbox" && (enabled === true || hours !== undefined)) {
      throw new Forbidden("periodic backups are not available on Sandbox plans", "plan_without_backups");
    }
    if (typeof enabled === "boolean") database.periodicBackupsEnabled = enabled;
    if (hours) database.periodicBackupsScheduledAt = hours;
    this.store.ctx.markDirty();
  }

  backupsOf(database: ScalingoDatabase): ScalingoBackup[] {
    return this.store.state.backups
      .filter((backup) => backup.addonId === database.addonId)
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }

  /** Schedules a manual backup; the oldest manual ones beyond what the plan keeps rotate out. */
  async createBackup(database: ScalingoDatabase): Promise<ScalingoBackup> {
    const tier = planTier(database.plan);
    if (tier === "sandbox") {
      throw new Forbidden("backups are not available on Sandbox plans", "plan_without_backups");
    }
    const state = this.store.state;
    const now = this.store.ctx.now();
    const id = objectId(now);
    const dumpFile = await this.data.dumpNow(database, id);
    const backup: ScalingoBackup = {
      id,
      addonId: database.addonId,
      createdAt: now,
      method: "manual",
      ...(dumpFile === undefined ? {} : { dumpFile }),
    };
    state.backups.push(backup);
    const manual = state.backups
      .filter((b) => b.addonId === database.addonId && b.method === "manual")
      .sort((a, b) => b.createdAt - a.createdAt);
    const rotatedOut = new Set(manual.slice(MANUAL_BACKUPS_KEPT[tier]).map((b) => b.id));
    state.backups = state.backups.filter((b) => !rotatedOut.has(b.id));
    this.store.ctx.markDirty();
    return backup;
  }

  /** Publishes a finished backup's archive at a presigned URL. */
  archiveUrl(database: ScalingoDatabase, backup: ScalingoBackup): string {
    const ctx = this.store.ctx;
    if (backupProgress(backup, ctx.profile, ctx.now()).status !== "done") {
      throw new Rejected(400, "backup is not finished yet, it cannot be downloaded", "backup_not_done");
    }
    const fileName = `${backupName(backup, database)}.tar.gz`;
    const archive = this.store.archiveOf(backup, database);
    return ctx.publishDownload(archive, fileName, ctx.downloadUrlTtlMs(ARCHIVE_URL_TTL_MS)).url;
  }

  /** Creates a database addon (test control): the real APIs have no such route, apps are made elsewhere. */
  async createDatabase(body: Record<string, unknown>): Promise<ScalingoDatabase> {
    const { app, type, plan, addonId } = checkNewDatabase(body);
    if (this.store.findDatabase(addonId)) throw new Rejected(409, `addon ${addonId} already exists`);
    const state = this.store.state;
    const now = this.store.ctx.now();
    const existingApp = state.databases.find((db) => db.app === app);
    const paid = planTier(plan) !== "sandbox";
    const database: ScalingoDatabase = {
      addonId,
      app,
      appId: existingApp?.appId ?? objectId(now),
      type,
      plan,
      resourceId: `${app.replace(/-/g, "_")}_${createHash("sha256").update(addonId).digest("hex").slice(0, 4)}`,
      createdAt: now,
      periodicBackupsEnabled: paid,
      periodicBackupsScheduledAt: paid ? [...DEFAULT_PERIODIC_BACKUP_HOURS] : [],
    };
    await this.data.create(database);
    state.databases.push(database);
    this.store.ctx.markDirty();
    return database;
  }
}
