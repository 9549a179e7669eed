// The Serverless SQL v1alpha1 API as data: each endpoint the client calls (method, path, request and response schemas,
// retry and settle behaviour), the all-pages lists and the waits, with the JSDoc of each `ServerlessSqlApi` method.
import { realSleep } from "../../../core/rate-limiter";
import type { WaitSettings } from "../../../core/waiter";
import { defineRegionalApi } from "../../regional-api";
import { SERVERLESS_SQLDB_REGIONS } from "./content";
import { serverlessMarshalling } from "./marshalling";
import {
  CreateServerlessDatabaseRequestSchema,
  ListServerlessBackupsRequestSchema,
  ListServerlessBackupsResponseSchema,
  ListServerlessDatabasesRequestSchema,
  ListServerlessDatabasesResponseSchema,
  RestoreServerlessDatabaseRequestSchema,
  ServerlessBackupRequestSchema,
  ServerlessBackupSchema,
  type ServerlessDatabaseRequest,
  ServerlessDatabaseRequestSchema,
  ServerlessDatabaseSchema,
  UpdateServerlessDatabaseRequestSchema,
} from "./types";
import { type ServerlessCallbacks, watchedBackupExport, watchedDatabase } from "./waiters";

/** The database the request names is busy: wait until it is ready again. */
const databaseSettles = (api: ServerlessCallbacks, request: ServerlessDatabaseRequest, wait: WaitSettings) =>
  api.waitForDatabase(request, wait);

/** Where the Serverless SQL v1alpha1 API lives and every call the client makes, one `ServerlessSqlApi` method each. */
/** The pause before an export refused with 409 transient_state is sent again. */
const EXPORT_SETTLE_PAUSE_MS = 2_000;

export const SERVERLESS_SQLDB_V1ALPHA1 = defineRegionalApi({
  pathPrefix: "/serverless-sqldb/v1alpha1",
  regions: SERVERLESS_SQLDB_REGIONS,
  marshalling: serverlessMarshalling,
  endpoints: {
    // ---- Databases ------------------------------------------------------------------------------------------------

    /** Creates a database (status `creating`; see `waitForDatabase`); the project defaults to the client's. */
    createDatabase: {
      method: "POST",
      path: "/databases",
      request: CreateServerlessDatabaseRequestSchema,
      response: ServerlessDatabaseSchema,
      defaultProject: true,
    },
    /** The database, with its status, endpoint and CPU bounds. */
    getDatabase: {
      method: "GET",
      path: "/databases/{databaseId}",
      request: ServerlessDatabaseRequestSchema,
      response: ServerlessDatabaseSchema,
    },
    /** One page of the region's databases, filtered by name, project or organization. */
    listDatabases: {
      method: "GET",
      path: "/databases",
      request: ListServerlessDatabasesRequestSchema,
      response: ListServerlessDatabasesResponseSchema,
    },
    /** Only the CPU bounds can change. */
    updateDatabase: {
      method: "PATCH",
      path: "/databases/{databaseId}",
      request: UpdateServerlessDatabaseRequestSchema,
      response: ServerlessDatabaseSchema,
      idempotent: true,
      settle: databaseSettles,
    },
    /** Answers the database in status `deleting`; see `waitForDatabaseDeletion`. */
    deleteDatabase: {
      method: "DELETE",
      path: "/databases/{databaseId}",
      request: ServerlessDatabaseRequestSchema,
      response: ServerlessDatabaseSchema,
      settle: databaseSettles,
    },
    /** Restores a backup into the database (status `restoring` until done). */
    restoreDatabase: {
      method: "POST",
      path: "/databases/{databaseId}/restore",
      request: RestoreServerlessDatabaseRequestSchema,
      response: ServerlessDatabaseSchema,
      settle: databaseSettles,
    },

    // ---- Backups --------------------------------------------------------------------------------------------------

    /** One page of the region's backups (daily and automatic), filtered by database, project or organization. */
    listBackups: {
      method: "GET",
      path: "/backups",
      request: ListServerlessBackupsRequestSchema,
      response: ListServerlessBackupsResponseSchema,
    },
    /** The backup, with its status and, once exported, its download URL (see `hasDownloadUrl`). */
    getBackup: {
      method: "GET",
      path: "/backups/{backupId}",
      request: ServerlessBackupRequestSchema,
      response: ServerlessBackupSchema,
    },
    /**
     * Starts an export; marked idempotent because exporting twice only refreshes the download URL. A backup still
     * being taken or exported answers 409 transient_state. Its status has no transient value to wait on (and waiting
     * for a download URL would wait for this very export), so the export is re-sent after a pause.
     */
    exportBackup: {
      method: "POST",
      path: "/backups/{backupId}/export",
      request: ServerlessBackupRequestSchema,
      response: ServerlessBackupSchema,
      idempotent: true,
      settle: () => realSleep(EXPORT_SETTLE_PAUSE_MS),
    },
  },
  allPages: {
    /** Every database `listDatabases` would answer, page after page. */
    listAllDatabases: { list: "listDatabases", items: "databases" },
    /** Every backup `listBackups` would answer, page after page. */
    listAllBackups: { list: "listBackups", items: "backups" },
  },
  waiters: {
    /** Waits until the database leaves its transient statuses. Default 30 min. */
    waitForDatabase: { until: "steady", watch: watchedDatabase },
    /** Waits until the database is gone (404, or the 403 the real API answers for a deleted database). */
    waitForDatabaseDeletion: { until: "gone", watch: watchedDatabase },
    /** Waits until an exported backup has its download URL; `error`/`locked` → WaitFailedError. Default 15 min. */
    waitForServerlessBackup: { until: "steady", watch: watchedBackupExport },
  },
});
