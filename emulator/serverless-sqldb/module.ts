// The emulated Scaleway Serverless SQL Database API (v1alpha1): databases, their automatic daily backups and backup
// exports, plus the test-control route taking a backup on demand.
import { randomUUID } from "node:crypto";
import type {
  ApiModule,
  EmulatorRequest,
  EmulatorResponse,
  ModuleContext,
  ModuleFactory,
  Route,
} from "../framework";
import {
  type ArgumentProblem,
  invalidArguments,
  malformedPathArgument,
  notFound,
  pageOf,
  readPaging,
  scalewayError,
  transientState,
} from "../scaleway-wire";
import {
  BACKUP_RETENTION_MS,
  type BackupExport,
  backupJson,
  dailyBackups,
  databaseJson,
  databaseStatus,
  EXPORT_URL_TTL_MS,
  exportContent,
  isGone,
  type ManualBackup,
  REGIONS,
  type SdbBackup,
  type SdbDatabase,
  TIMINGS,
} from "./model";

export const SERVERLESS_PREFIX = "/serverless-sqldb/v1alpha1/regions/:region";
export const SERVERLESS_CONTROL_PATH = "/_emulator/serverless/backups";

interface ServerlessState {
  databases: SdbDatabase[];
  manualBackups: ManualBackup[];
  exports: BackupExport[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Serverless SQL API answers 403 for any resource it cannot resolve — unknown, in another project, or deleted
 * (the recording shows it for a deleted database; Terraform's destroy check expects 403, not 404).
 */
const permissionsDenied = (): EmulatorResponse =>
  scalewayError(403, "permissions_denied", "insufficient permissions", { details: [] });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isState(value: unknown): value is ServerlessState {
  return (
    isRecord(value) &&
    Array.isArray(value.databases) &&
    Array.isArray(value.manualBackups) &&
    Array.isArray(value.exports)
  );
}

/** Reads an integer CPU bound; an absent one is 0, as protobuf decodes a missing uint32. */
function cpuArgument(
  body: Record<string, unknown>,
  name: "cpu_min" | "cpu_max",
  problems: ArgumentProblem[],
  fallback: number,
): number {
  const value = body[name] ?? fallback;
  const min = name === "cpu_min" ? 0 : 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 15) {
    problems.push({
      argument_name: name,
      reason: "constraint",
      help_message: `must be an integer between ${min} and 15`,
    });
    return fallback;
  }
  return value;
}

export const createServerlessSqlModule: ModuleFactory = (ctx: ModuleContext): ApiModule => {
  let state: ServerlessState = { databases: [], manualBackups: [], exports: [] };

  type Caller = { projectId: string | undefined };

  const visible = (caller: Caller, database: SdbDatabase): boolean =>
    !isGone(database, ctx.profile, ctx.now()) &&
    (caller.projectId === undefined || caller.projectId === database.projectId);

  const statusOf = (database: SdbDatabase) => databaseStatus(database, ctx.profile, ctx.now());

  function backupsOf(database: SdbDatabase): SdbBackup[] {
    const now = ctx.now();
    const manual = state.manualBackups
      .filter((backup) => backup.databaseId === database.id)
      .map((backup) => ({ ...backup, database, expiresAt: backup.createdAt + BACKUP_RETENTION_MS }));
    return [...dailyBackups(database, now), ...manual].filter(
      (backup) => backup.createdAt <= now && now < backup.expiresAt,
    );
  }

  function visibleBackups(caller: Caller): SdbBackup[] {
    return state.databases.filter((database) => visible(caller, database)).flatMap(backupsOf);
  }

  /** The export of a backup, publishing its file once the export has had time to finish. */
  function exportOf(backup: SdbBackup): BackupExport | undefined {
    const exported = state.exports.find((candidate) => candidate.backupId === backup.id);
    if (
      exported &&
      exported.url === null &&
      ctx.now() >= exported.requestedAt + TIMINGS[ctx.profile].export
    ) {
      const fileName = `${backup.database.name}-${backup.id}.sql`;
      const download = ctx.publishDownload(
        exportContent(backup),
        fileName,
        ctx.downloadUrlTtlMs(EXPORT_URL_TTL_MS),
      );
      exported.url = download.url;
      exported.urlExpiresAt = download.expiresAt.getTime();
      ctx.markDirty();
    }
    return exported;
  }

  /** Stored download URLs follow the emulator when it restarts on another port (the file itself is persisted). */
  function onCurrentBaseUrl(exported: BackupExport | undefined): BackupExport | undefined {
    if (!exported?.url) return exported;
    const stored = new URL(exported.url);
    return { ...exported, url: `${ctx.baseUrl()}${stored.pathname}${stored.search}` };
  }

  const backupBody = (backup: SdbBackup) => backupJson(backup, onCurrentBaseUrl(exportOf(backup)));

  /** Runs `handle` for an authenticated caller in a known region. */
  function authenticated(
    req: EmulatorRequest,
    handle: (caller: Caller) => EmulatorResponse,
  ): EmulatorResponse {
    const caller = ctx.scalewayAuth(req);
    if (!caller.ok) return caller.response;
    if (!(REGIONS as readonly string[]).includes(req.params.region)) {
      return invalidArguments([
        {
          argument_name: "region",
          reason: "constraint",
          help_message: `must be one of ${REGIONS.join(", ")}`,
        },
      ]);
    }
    return handle({ projectId: caller.projectId });
  }

  function withDatabase(
    req: EmulatorRequest,
    handle: (database: SdbDatabase, caller: Caller) => EmulatorResponse,
  ): EmulatorResponse {
    return authenticated(req, (caller) => {
      const database = state.databases.find((candidate) => candidate.id === req.params.databaseId);
      return database && visible(caller, database) ? handle(database, caller) : permissionsDenied();
    });
  }

  const createDatabase = (req: EmulatorRequest): EmulatorResponse =>
    authenticated(req, (caller) => {
      const body = isRecord(req.body) ? req.body : {};
      const problems: ArgumentProblem[] = [];
      const projectId = body.project_id ?? caller.projectId;
      if (typeof projectId !== "string" || !UUID.test(projectId)) {
        problems.push({ argument_name: "project_id", reason: "format", help_message: "must be a UUID" });
      }
      const name = body.name;
      if (typeof name !== "string" || name.length < 1 || name.length > 63) {
        problems.push({
          argument_name: "name",
          reason: "constraint",
          help_message: "must be between 1 and 63 characters",
        });
      }
      const cpuMin = cpuArgument(body, "cpu_min", problems, 0);
      const cpuMax = cpuArgument(body, "cpu_max", problems, 0);
      if (problems.length === 0 && cpuMin > cpuMax) {
        problems.push({
          argument_name: "cpu_min",
          reason: "constraint",
          help_message: "must be lower than or equal to cpu_max",
        });
      }
      const fromBackupId = body.from_backup_id;
      if (fromBackupId !== undefined && fromBackupId !== null && typeof fromBackupId !== "string") {
        problems.push({ argument_name: "from_backup_id", reason: "format", help_message: "must be a UUID" });
      }
      if (problems.length > 0) return invalidArguments(problems);
      if (caller.projectId !== undefined && caller.projectId !== projectId) return permissionsDenied();
      if (typeof fromBackupId === "string" && !visibleBackups(caller).some((b) => b.id === fromBackupId)) {
        return permissionsDenied();
      }
      const database: SdbDatabase = {
        id: randomUUID(),
        name: name as string,
        projectId: projectId as string,
        region: req.params.region,
        createdAt: ctx.now(),
        cpuMin,
        cpuMax,
        deleteRequestedAt: null,
        restoringUntil: null,
      };
      state.databases.push(database);
      ctx.markDirty();
      return { status: 200, body: databaseJson(database, statusOf(database)) };
    });

  const listDatabases = (req: EmulatorRequest): EmulatorResponse =>
    authenticated(req, (caller) => {
      const paging = readPaging(req);
      if ("status" in paging) return paging;
      const orderBy = req.query.get("order_by") || "created_at_asc";
      const orders: Record<string, (a: SdbDatabase, b: SdbDatabase) => number> = {
        created_at_asc: (a, b) => a.createdAt - b.createdAt,
        created_at_desc: (a, b) => b.createdAt - a.createdAt,
        name_asc: (a, b) => a.name.localeCompare(b.name),
        name_desc: (a, b) => b.name.localeCompare(a.name),
      };
      const order = orders[orderBy];
      if (!order) {
        return invalidArguments([
          {
            argument_name: "order_by",
            reason: "constraint",
            help_message: `must be one of ${Object.keys(orders).join(", ")}`,
          },
        ]);
      }
      const projectId = req.query.get("project_id") || undefined;
      const organizationId = req.query.get("organization_id") || undefined;
      const name = req.query.get("name") || undefined;
      const databases = state.databases
        .filter((db) => visible(caller, db))
        .filter((db) => projectId === undefined || db.projectId === projectId)
        .filter((db) => organizationId === undefined || db.projectId === organizationId)
        .filter((db) => name === undefined || db.name.includes(name))
        .sort(order);
      return pageOf(
        "databases",
        databases.map((db) => databaseJson(db, statusOf(db))),
        paging,
      );
    });

  const getDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => ({ status: 200, body: databaseJson(database, statusOf(database)) }));

  const updateDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const status = statusOf(database);
      if (status !== "ready") return transientState("database", database.id, status);
      const body = isRecord(req.body) ? req.body : {};
      const problems: ArgumentProblem[] = [];
      const cpuMin = cpuArgument(body, "cpu_min", problems, database.cpuMin);
      const cpuMax = cpuArgument(body, "cpu_max", problems, database.cpuMax);
      if (problems.length === 0 && cpuMin > cpuMax) {
        problems.push({
          argument_name: "cpu_min",
          reason: "constraint",
          help_message: "must be lower than or equal to cpu_max",
        });
      }
      if (problems.length > 0) return invalidArguments(problems);
      database.cpuMin = cpuMin;
      database.cpuMax = cpuMax;
      ctx.markDirty();
      return { status: 200, body: databaseJson(database, statusOf(database)) };
    });

  const deleteDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const status = statusOf(database);
      if (status === "deleting") return transientState("database", database.id, status);
      // The recorded DELETE answers the database as it was just before deletion (status still "ready").
      const answer = databaseJson(database, status);
      database.deleteRequestedAt = ctx.now();
      ctx.markDirty();
      return { status: 200, body: answer };
    });

  const restoreDatabase = (req: EmulatorRequest): EmulatorResponse =>
    withDatabase(req, (database) => {
      const backupId = isRecord(req.body) ? req.body.backup_id : undefined;
      if (typeof backupId !== "string" || !UUID.test(backupId)) {
        return invalidArguments([
          { argument_name: "backup_id", reason: "required", help_message: "must be a UUID" },
        ]);
      }
      if (!backupsOf(database).some((backup) => backup.id === backupId)) return permissionsDenied();
      const status = statusOf(database);
      if (status !== "ready") return transientState("database", database.id, status);
      database.restoringUntil = ctx.now() + TIMINGS[ctx.profile].restore;
      ctx.markDirty();
      return { status: 200, body: databaseJson(database, statusOf(database)) };
    });

  const listBackups = (req: EmulatorRequest): EmulatorResponse =>
    authenticated(req, (caller) => {
      const paging = readPaging(req);
      if ("status" in paging) return paging;
      const orderBy = req.query.get("order_by") || "created_at_desc";
      if (orderBy !== "created_at_desc" && orderBy !== "created_at_asc") {
        return invalidArguments([
          {
            argument_name: "order_by",
            reason: "constraint",
            help_message: "must be one of created_at_desc, created_at_asc",
          },
        ]);
      }
      const databaseId = req.query.get("database_id") || undefined;
      const projectId = req.query.get("project_id") || undefined;
      const organizationId = req.query.get("organization_id") || undefined;
      const direction = orderBy === "created_at_asc" ? 1 : -1;
      const backups = visibleBackups(caller)
        .filter((backup) => databaseId === undefined || backup.database.id === databaseId)
        .filter((backup) => projectId === undefined || backup.database.projectId === projectId)
        .filter((backup) => organizationId === undefined || backup.database.projectId === organizationId)
        .sort((a, b) => direction * (a.createdAt - b.createdAt) || a.id.localeCompare(b.id));
      return pageOf("backups", backups.map(backupBody), paging);
    });

  function withBackup(
    req: EmulatorRequest,
    handle: (backup: SdbBackup) => EmulatorResponse,
  ): EmulatorResponse {
    return authenticated(req, (caller) => {
      const backup = visibleBackups(caller).find((candidate) => candidate.id === req.params.backupId);
      return backup ? handle(backup) : permissionsDenied();
    });
  }

  const getBackup = (req: EmulatorRequest): EmulatorResponse =>
    withBackup(req, (backup) => ({ status: 200, body: backupBody(backup) }));

  const exportBackup = (req: EmulatorRequest): EmulatorResponse =>
    withBackup(req, (backup) => {
      state.exports = state.exports.filter((exported) => exported.backupId !== backup.id);
      state.exports.push({ backupId: backup.id, requestedAt: ctx.now(), url: null, urlExpiresAt: null });
      ctx.markDirty();
      return { status: 200, body: backupBody(backup) };
    });

  const takeBackupNow = (req: EmulatorRequest): EmulatorResponse => {
    const databaseId = isRecord(req.body) ? req.body.database_id : undefined;
    const database = state.databases.find((candidate) => candidate.id === databaseId);
    if (typeof databaseId !== "string" || !database || isGone(database, ctx.profile, ctx.now())) {
      return notFound("database", String(databaseId));
    }
    const backup: ManualBackup = { id: randomUUID(), databaseId, createdAt: ctx.now() };
    state.manualBackups.push(backup);
    ctx.markDirty();
    const taken: SdbBackup = { ...backup, database, expiresAt: backup.createdAt + BACKUP_RETENTION_MS };
    return { status: 200, body: backupBody(taken) };
  };

  const databasePath = `${SERVERLESS_PREFIX}/databases/:databaseId`;
  const routes: Route[] = [
    { method: "POST", pattern: `${SERVERLESS_PREFIX}/databases`, handler: createDatabase },
    { method: "GET", pattern: `${SERVERLESS_PREFIX}/databases`, handler: listDatabases },
    { method: "GET", pattern: databasePath, handler: getDatabase },
    { method: "PATCH", pattern: databasePath, handler: updateDatabase },
    { method: "DELETE", pattern: databasePath, handler: deleteDatabase },
    { method: "POST", pattern: `${databasePath}/restore`, handler: restoreDatabase },
    { method: "GET", pattern: `${SERVERLESS_PREFIX}/backups`, handler: listBackups },
    { method: "GET", pattern: `${SERVERLESS_PREFIX}/backups/:backupId`, handler: getBackup },
    { method: "POST", pattern: `${SERVERLESS_PREFIX}/backups/:backupId/export`, handler: exportBackup },
    { method: "POST", pattern: SERVERLESS_CONTROL_PATH, handler: takeBackupNow },
  ];

  return {
    name: "serverless-sqldb",
    routes,
    reset() {
      state = { databases: [], manualBackups: [], exports: [] };
    },
    exportState(): ServerlessState {
      return state;
    },
    importState(imported: unknown) {
      if (isState(imported)) state = imported;
    },
    // Route parameters are the API's own names in camelCase (`databaseId` → `database_id`).
    malformedPathParameter: (name) =>
      malformedPathArgument(name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)),
  };
};
