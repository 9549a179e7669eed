// What the Serverless SQL client's waits watch: databases (steady or gone) and backups (until exported).
import type { CallOptions } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  type WaitSettings,
  type Watched,
} from "../../../core/waiter";
import { NotFoundError, PermissionsDeniedError } from "../../errors";
import {
  SERVERLESS_BACKUP_FAILURE_STATUSES,
  SERVERLESS_DATABASE_FAILURE_STATUSES,
  SERVERLESS_DATABASE_TRANSIENT_STATUSES,
} from "./content";
import type {
  ServerlessBackup,
  ServerlessBackupRequest,
  ServerlessDatabase,
  ServerlessDatabaseRequest,
} from "./types";

/** What the settle steps and waits of the Serverless SQL table call back on the client built from it. */
export interface ServerlessCallbacks {
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

/**
 * A database, watched by GET. The real API answers a deleted database's GET with 403 permissions_denied rather than
 * 404 (see the recorded serverless-sqldb traffic), so both mean "deleted".
 */
export function watchedDatabase(
  api: ServerlessCallbacks,
  request: ServerlessDatabaseRequest,
): Watched<ServerlessDatabase> {
  return {
    deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
    isGone: (error) => error instanceof NotFoundError || error instanceof PermissionsDeniedError,
    resource: `serverless database ${request.databaseId}`,
    fetch: (signal, retry) =>
      api.getDatabase({ region: request.region, databaseId: request.databaseId }, { signal, ...retry }),
    statusOf: (database) => database.status,
    isTransient: (database) => SERVERLESS_DATABASE_TRANSIENT_STATUSES.includes(database.status),
    isFailure: (database) => SERVERLESS_DATABASE_FAILURE_STATUSES.includes(database.status),
  };
}

/** A backup, watched by GET until its export has a download URL; `error`/`locked` fail. */
export function watchedBackupExport(
  api: ServerlessCallbacks,
  request: ServerlessBackupRequest,
): Watched<ServerlessBackup> {
  return {
    deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
    resource: `serverless backup ${request.backupId}`,
    fetch: (signal, retry) =>
      api.getBackup({ region: request.region, backupId: request.backupId }, { signal, ...retry }),
    statusOf: (backup) => (hasDownloadUrl(backup) ? `${backup.status} (exported)` : backup.status),
    isTransient: (backup) => !hasDownloadUrl(backup),
    isFailure: (backup) => SERVERLESS_BACKUP_FAILURE_STATUSES.includes(backup.status),
  };
}
