// What the Serverless SQL client's waits watch: databases (steady or gone) and backups (until exported), through
// shared poll loops in which one list per tick serves every waiter of a region and project.
import type { SharedPolling } from "../../../core/shared-poller";
import type { CallOptions } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  statusChecks,
  type WaitSettings,
} from "../../../core/waiter";
import type { ScalewayClient } from "../../client";
import { NotFoundError, PermissionsDeniedError } from "../../errors";
import { regionalSharedPolling, watchKind } from "../../regional-api";
import {
  SERVERLESS_BACKUP_FAILURE_STATUSES,
  SERVERLESS_DATABASE_FAILURE_STATUSES,
  SERVERLESS_DATABASE_TRANSIENT_STATUSES,
  SERVERLESS_SQLDB_REGIONS,
} from "./content";
import type {
  ListServerlessBackupsRequest,
  ListServerlessBackupsResponse,
  ListServerlessDatabasesRequest,
  ListServerlessDatabasesResponse,
  ServerlessBackup,
  ServerlessBackupRequest,
  ServerlessDatabase,
  ServerlessDatabaseRequest,
} from "./types";

/** What the settle steps and waits of the Serverless SQL table call back on the client built from it. */
export interface ServerlessCallbacks {
  readonly client: ScalewayClient;
  listDatabases(
    request: ListServerlessDatabasesRequest,
    options?: CallOptions,
  ): Promise<ListServerlessDatabasesResponse>;
  listBackups(
    request: ListServerlessBackupsRequest,
    options?: CallOptions,
  ): Promise<ListServerlessBackupsResponse>;
  getDatabase(request: ServerlessDatabaseRequest, options?: CallOptions): Promise<ServerlessDatabase>;
  getBackup(request: ServerlessBackupRequest, options?: CallOptions): Promise<ServerlessBackup>;
  waitForDatabase(request: ServerlessDatabaseRequest, settings?: WaitSettings): Promise<ServerlessDatabase>;
  waitForServerlessBackup(
    request: ServerlessBackupRequest,
    settings?: WaitSettings,
  ): Promise<ServerlessBackup>;
}

/** Whether a backup's export has completed: the API sends "" or null until then. */
export function hasDownloadUrl(backup: ServerlessBackup): boolean {
  return typeof backup.downloadUrl === "string" && backup.downloadUrl !== "";
}

/** The shared poll loop of Serverless SQL databases or backups (see `regionalSharedPolling`). */
function sharedPolling(
  api: ServerlessCallbacks,
  kind: "databases" | "backups",
  region: string | undefined,
  id: string,
): SharedPolling | undefined {
  const scope = { kind: `serverless-${kind}`, regions: SERVERLESS_SQLDB_REGIONS, region, id };
  return regionalSharedPolling(api.client, scope, async (request, options) => {
    if (kind === "databases") {
      const answer = await api.listDatabases(request, options);
      return { items: answer.databases, totalCount: answer.totalCount };
    }
    const answer = await api.listBackups(request, options);
    return { items: answer.backups, totalCount: answer.totalCount };
  });
}

/**
 * Databases. The real API answers a deleted database's GET with 403 permissions_denied rather than 404 (see the
 * recorded serverless-sqldb traffic), so both mean "deleted".
 */
export const watchedDatabase = watchKind<ServerlessCallbacks, ServerlessDatabaseRequest, ServerlessDatabase>({
  noun: "serverless database",
  idField: "databaseId",
  deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
  isGone: (error) => error instanceof NotFoundError || error instanceof PermissionsDeniedError,
  get: (api, request, options) => api.getDatabase(request, options),
  shared: (api, region, id) => sharedPolling(api, "databases", region, id),
  ...statusChecks(SERVERLESS_DATABASE_TRANSIENT_STATUSES, SERVERLESS_DATABASE_FAILURE_STATUSES),
});

/** Backup exports: done once the backup has a download URL; `error`/`locked` fail a wait. */
export const watchedBackupExport = watchKind<ServerlessCallbacks, ServerlessBackupRequest, ServerlessBackup>({
  noun: "serverless backup",
  idField: "backupId",
  deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
  get: (api, request, options) => api.getBackup(request, options),
  shared: (api, region, id) => sharedPolling(api, "backups", region, id),
  statusOf: (backup) => (hasDownloadUrl(backup) ? `${backup.status} (exported)` : backup.status),
  isTransient: (backup) => !hasDownloadUrl(backup),
  isFailure: (backup) => SERVERLESS_BACKUP_FAILURE_STATUSES.includes(backup.status),
});
