// The emulated Scalingo APIs: the auth host, the regional main API and the database API, each served under its own
// path prefix (/scalingo/auth, /scalingo/api, /scalingo/db-api), plus the test-control route creating database addons.
import { createHash, randomUUID } from "node:crypto";
import type {
  ApiModule,
  EmulatorOptions,
  EmulatorRequest,
  EmulatorResponse,
  ModuleContext,
  ModuleFactory,
  Route,
} from "../framework";
import { dumpFileName, simulatedDump, tarGz } from "./archive";
import {
  addonJson,
  backupJson,
  backupName,
  backupProgress,
  DATABASE_TYPES,
  type DatabaseType,
  DEFAULT_PERIODIC_BACKUP_HOURS,
  databaseJson,
  MANUAL_BACKUPS_KEPT,
  objectId,
  planTier,
  type ScalingoBackup,
  type ScalingoDatabase,
} from "./model";
import {
  type AddonClaims,
  basicAuthPassword,
  bearerToken,
  newSigningSecret,
  signToken,
  TOKEN_LIFETIME_SECONDS,
  type UserClaims,
  userIdForApiToken,
  verifyToken,
} from "./tokens";

export const AUTH_PREFIX = "/scalingo/auth";
export const API_PREFIX = "/scalingo/api";
export const DB_API_PREFIX = "/scalingo/db-api";
export const SCALINGO_CONTROL_PATH = "/_emulator/scalingo/databases";

/** The main API allows 60 requests per minute per user; past that it answers 429. */
export const MAIN_API_RATE_LIMIT = { requests: 60, windowMs: 60_000 } as const;

/** How long a backup archive's presigned download URL stays valid. */
export const ARCHIVE_URL_TTL_MS = 15 * 60_000;

export const REGION_NAME = "osc-fr1";

interface ScalingoState {
  signingSecret: string;
  databases: ScalingoDatabase[];
  backups: ScalingoBackup[];
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, body };
}

const unauthorized = (error: string) => json(401, { error });
const notFound = (resource: string) => json(404, { resource, error: "not found" });
const forbidden = (error: string, code: string) => json(403, { error, code });
const unprocessable = (errors: Record<string, string[]>) => json(422, { errors });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHour(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 23;
}

function isState(value: unknown): value is ScalingoState {
  return (
    isRecord(value) &&
    typeof value.signingSecret === "string" &&
    Array.isArray(value.databases) &&
    Array.isArray(value.backups)
  );
}

export const createScalingoModule: ModuleFactory = (
  ctx: ModuleContext,
  options: EmulatorOptions,
): ApiModule => {
  let state: ScalingoState = { signingSecret: newSigningSecret(), databases: [], backups: [] };
  const requestsByUser = new Map<string, number[]>();
  const archives = new Map<string, Buffer>();

  const acceptsApiToken = (token: string): boolean =>
    options.scalingoTokens && options.scalingoTokens.length > 0
      ? options.scalingoTokens.includes(token)
      : token.startsWith("tk-us-");

  const findDatabase = (addonId: string) => state.databases.find((db) => db.addonId === addonId);

  function archiveOf(backup: ScalingoBackup, database: ScalingoDatabase): Buffer {
    let archive = archives.get(backup.id);
    if (!archive) {
      const name = backupName(backup, database);
      const dump = simulatedDump(database.type, database.resourceId, new Date(backup.createdAt));
      const file = { name: dumpFileName(database.type, name), content: Buffer.from(dump) };
      archive = tarGz([file], new Date(backup.createdAt));
      archives.set(backup.id, archive);
    }
    return archive;
  }

  function backupBody(backup: ScalingoBackup, database: ScalingoDatabase): Record<string, unknown> {
    const progress = backupProgress(backup, ctx.profile, ctx.now());
    if (progress.status === "done") progress.size = archiveOf(backup, database).length;
    return backupJson(backup, database, progress);
  }

  /** Authenticates a main-API call and counts it against the caller's per-minute budget. */
  function mainApiCaller(req: EmulatorRequest): { ok: true; claims: UserClaims } | EmulatorResponse {
    const token = bearerToken(req.headers);
    if (!token) return unauthorized("no authentication token provided");
    const verified = verifyToken(token, "user", state.signingSecret, ctx.now());
    if (!verified.ok) return unauthorized(verified.reason);
    const now = ctx.now();
    const recent = (requestsByUser.get(verified.claims.userId) ?? []).filter(
      (at) => at > now - MAIN_API_RATE_LIMIT.windowMs,
    );
    if (recent.length >= MAIN_API_RATE_LIMIT.requests) {
      requestsByUser.set(verified.claims.userId, recent);
      return json(429, {
        error: `too many requests: at most ${MAIN_API_RATE_LIMIT.requests} requests per minute are allowed`,
        code: "too_many_requests",
      });
    }
    recent.push(now);
    requestsByUser.set(verified.claims.userId, recent);
    return { ok: true, claims: verified.claims };
  }

  /** Authenticates a database-API call: the addon token must have been minted for the database in the path. */
  function databaseCaller(req: EmulatorRequest, addonId?: string): AddonClaims | EmulatorResponse {
    const token = bearerToken(req.headers);
    if (!token) return unauthorized("no authentication token provided");
    const verified = verifyToken(token, "addon", state.signingSecret, ctx.now());
    if (!verified.ok) return unauthorized(verified.reason);
    if (addonId !== undefined && verified.claims.addonId !== addonId) {
      return forbidden("this token does not give access to this database", "forbidden");
    }
    return verified.claims;
  }

  function withDatabase(
    req: EmulatorRequest,
    handle: (database: ScalingoDatabase) => EmulatorResponse,
  ): EmulatorResponse {
    const caller = databaseCaller(req, req.params.db);
    if ("status" in caller) return caller;
    const database = findDatabase(req.params.db);
    return database ? handle(database) : notFound("database");
  }

  const exchangeToken = (req: EmulatorRequest): EmulatorResponse => {
    const apiToken = basicAuthPassword(req.headers);
    if (!apiToken || !acceptsApiToken(apiToken)) return unauthorized("invalid credentials");
    const iat = Math.floor(ctx.now() / 1000);
    const claims: UserClaims = {
      kind: "user",
      userId: userIdForApiToken(apiToken),
      iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    return json(200, { token: signToken(claims, state.signingSecret) });
  };

  const listRegions = (): EmulatorResponse =>
    json(200, {
      regions: [
        {
          name: REGION_NAME,
          display_name: "Paris - Outscale",
          ssh: "ssh.osc-fr1.scalingo.com:22",
          api: `${ctx.baseUrl()}${API_PREFIX}`,
          database_api: `${ctx.baseUrl()}${DB_API_PREFIX}`,
          dashboard: "https://dashboard.scalingo.com",
          default: true,
        },
      ],
    });

  const listAddons = (req: EmulatorRequest): EmulatorResponse => {
    const caller = mainApiCaller(req);
    if ("status" in caller) return caller;
    const databases = state.databases.filter((db) => db.app === req.params.app);
    if (databases.length === 0) return notFound("app");
    return json(200, { addons: databases.map(addonJson) });
  };

  const showAddon = (req: EmulatorRequest): EmulatorResponse => {
    const caller = mainApiCaller(req);
    if ("status" in caller) return caller;
    if (!state.databases.some((db) => db.app === req.params.app)) return notFound("app");
    const database = findDatabase(req.params.addonId);
    if (!database || database.app !== req.params.app) return notFound("addon");
    return json(200, { addon: addonJson(database) });
  };

  const mintAddonToken = (req: EmulatorRequest): EmulatorResponse => {
    const caller = mainApiCaller(req);
    if ("status" in caller) return caller;
    if (!state.databases.some((db) => db.app === req.params.app)) return notFound("app");
    const database = findDatabase(req.params.addonId);
    if (!database || database.app !== req.params.app) return notFound("addon");
    const iat = Math.floor(ctx.now() / 1000);
    const claims: AddonClaims = {
      kind: "addon",
      userId: caller.claims.userId,
      app: database.app,
      addonId: database.addonId,
      iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    return json(200, { addon: { ...addonJson(database), token: signToken(claims, state.signingSecret) } });
  };

  const showDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => json(200, { database: databaseJson(database) }));

  const updateDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const update = isRecord(req.body) ? req.body.database : undefined;
      if (!isRecord(update)) return unprocessable({ database: ["is missing"] });
      const errors: Record<string, string[]> = {};
      const enabled = update.periodic_backups_enabled;
      if (enabled !== undefined && typeof enabled !== "boolean") {
        errors.periodic_backups_enabled = ["must be a boolean"];
      }
      const scheduled = update.periodic_backups_scheduled_at;
      let hours: number[] | undefined;
      if (isHour(scheduled)) hours = [scheduled];
      else if (Array.isArray(scheduled) && scheduled.length > 0 && scheduled.every(isHour)) {
        hours = [...new Set(scheduled)].sort((a, b) => a - b);
      } else if (scheduled !== undefined) {
        errors.periodic_backups_scheduled_at = ["must be an hour of the day, between 0 and 23"];
      }
      if (Object.keys(errors).length > 0) return unprocessable(errors);
      if (planTier(database.plan) === "sandbox" && (enabled === true || hours !== undefined)) {
        return forbidden("periodic backups are not available on Sandbox plans", "plan_without_backups");
      }
      if (typeof enabled === "boolean") database.periodicBackupsEnabled = enabled;
      if (hours) database.periodicBackupsScheduledAt = hours;
      ctx.markDirty();
      return json(200, { database: databaseJson(database) });
    });

  const listBackups = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const backups = state.backups
        .filter((backup) => backup.addonId === database.addonId)
        .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
      return json(200, { database_backups: backups.map((backup) => backupBody(backup, database)) });
    });

  const createBackup = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const tier = planTier(database.plan);
      if (tier === "sandbox") {
        return forbidden("backups are not available on Sandbox plans", "plan_without_backups");
      }
      const backup: ScalingoBackup = {
        id: objectId(ctx.now()),
        addonId: database.addonId,
        createdAt: ctx.now(),
        method: "manual",
      };
      state.backups.push(backup);
      const manual = state.backups
        .filter((b) => b.addonId === database.addonId && b.method === "manual")
        .sort((a, b) => b.createdAt - a.createdAt);
      const rotatedOut = new Set(manual.slice(MANUAL_BACKUPS_KEPT[tier]).map((b) => b.id));
      state.backups = state.backups.filter((b) => !rotatedOut.has(b.id));
      ctx.markDirty();
      return json(201, {
        database_backup: backupJson(backup, database, { status: "scheduled", startedAt: null, size: null }),
      });
    });

  const findBackup = (database: ScalingoDatabase, backupId: string) =>
    state.backups.find((backup) => backup.id === backupId && backup.addonId === database.addonId);

  const showBackup = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const backup = findBackup(database, req.params.backupId);
      return backup ? json(200, { database_backup: backupBody(backup, database) }) : notFound("backup");
    });

  const showBackupById = (req: EmulatorRequest): EmulatorResponse => {
    const caller = databaseCaller(req);
    if ("status" in caller) return caller;
    const database = findDatabase(caller.addonId);
    const backup = database ? findBackup(database, req.params.backupId) : undefined;
    return database && backup
      ? json(200, { database_backup: backupBody(backup, database) })
      : notFound("backup");
  };

  const backupArchive = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const backup = findBackup(database, req.params.backupId);
      if (!backup) return notFound("backup");
      if (backupProgress(backup, ctx.profile, ctx.now()).status !== "done") {
        return json(400, {
          error: "backup is not finished yet, it cannot be downloaded",
          code: "backup_not_done",
        });
      }
      const fileName = `${backupName(backup, database)}.tar.gz`;
      const download = ctx.publishDownload(
        archiveOf(backup, database),
        fileName,
        ctx.downloadUrlTtlMs(ARCHIVE_URL_TTL_MS),
      );
      return json(200, { download_url: download.url });
    });

  const createDatabaseForTests = (req: EmulatorRequest): EmulatorResponse => {
    const body = isRecord(req.body) ? req.body : {};
    const app = body.app;
    if (typeof app !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(app)) {
      return json(400, { error: "app must be an application name (lowercase letters, digits, dashes)" });
    }
    const type = body.type ?? "postgresql";
    if (!DATABASE_TYPES.includes(type as DatabaseType)) {
      return json(400, { error: `type must be one of ${DATABASE_TYPES.join(", ")}` });
    }
    const databaseType = type as DatabaseType;
    const plan = body.plan ?? `${databaseType}-starter-512`;
    if (typeof plan !== "string" || plan.length === 0)
      return json(400, { error: "plan must be a plan name" });
    const addonId = body.addon_id ?? `ad-${randomUUID()}`;
    if (typeof addonId !== "string" || !/^[A-Za-z0-9_-]+$/.test(addonId)) {
      return json(400, { error: "addon_id must be made of letters, digits, dashes and underscores" });
    }
    if (findDatabase(addonId)) return json(409, { error: `addon ${addonId} already exists` });
    const existingApp = state.databases.find((db) => db.app === app);
    const paid = planTier(plan) !== "sandbox";
    const database: ScalingoDatabase = {
      addonId,
      app,
      appId: existingApp?.appId ?? objectId(ctx.now()),
      type: databaseType,
      plan,
      resourceId: `${app.replace(/-/g, "_")}_${createHash("sha256").update(addonId).digest("hex").slice(0, 4)}`,
      createdAt: ctx.now(),
      periodicBackupsEnabled: paid,
      periodicBackupsScheduledAt: paid ? [...DEFAULT_PERIODIC_BACKUP_HOURS] : [],
    };
    state.databases.push(database);
    ctx.markDirty();
    return json(201, { addon: addonJson(database), database: databaseJson(database) });
  };

  const databasePath = `${DB_API_PREFIX}/api/databases/:db`;
  const routes: Route[] = [
    { method: "POST", pattern: `${AUTH_PREFIX}/v1/tokens/exchange`, handler: exchangeToken },
    { method: "GET", pattern: `${AUTH_PREFIX}/v1/regions`, handler: listRegions },
    { method: "GET", pattern: `${API_PREFIX}/v1/apps/:app/addons`, handler: listAddons },
    { method: "GET", pattern: `${API_PREFIX}/v1/apps/:app/addons/:addonId`, handler: showAddon },
    { method: "POST", pattern: `${API_PREFIX}/v1/apps/:app/addons/:addonId/token`, handler: mintAddonToken },
    { method: "GET", pattern: databasePath, handler: showDatabase },
    { method: "PATCH", pattern: databasePath, handler: updateDatabase },
    { method: "PUT", pattern: databasePath, handler: updateDatabase },
    { method: "GET", pattern: `${databasePath}/backups`, handler: listBackups },
    { method: "POST", pattern: `${databasePath}/backups`, handler: createBackup },
    { method: "GET", pattern: `${databasePath}/backups/:backupId`, handler: showBackup },
    { method: "GET", pattern: `${databasePath}/backups/:backupId/archive`, handler: backupArchive },
    { method: "GET", pattern: `${DB_API_PREFIX}/api/backups/:backupId`, handler: showBackupById },
    { method: "POST", pattern: SCALINGO_CONTROL_PATH, handler: createDatabaseForTests },
  ];

  return {
    name: "scalingo",
    routes,
    reset() {
      state = { signingSecret: state.signingSecret, databases: [], backups: [] };
      requestsByUser.clear();
      archives.clear();
    },
    exportState(): ScalingoState {
      return state;
    },
    importState(imported: unknown) {
      if (isState(imported)) {
        state = imported;
        archives.clear();
      }
    },
  };
};
