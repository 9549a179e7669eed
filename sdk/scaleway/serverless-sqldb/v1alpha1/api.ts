import { validateRequest } from "../../../core/errors";
import type { CallOptions } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  type WaitSettings,
  waitFor,
  waitForDeletion,
} from "../../../core/waiter";
import { pathParam, type ScalewayClient } from "../../client";
import type { ScalewayClientOptions } from "../../config";
import { NotFoundError, PermissionsDeniedError } from "../../errors";
import { RegionalApi, type RegionalApiOptions } from "../../regional-api";
import {
  SERVERLESS_BACKUP_FAILURE_STATUSES,
  SERVERLESS_DATABASE_FAILURE_STATUSES,
  SERVERLESS_DATABASE_TRANSIENT_STATUSES,
  SERVERLESS_SQLDB_REGIONS,
} from "./content";
import { marshalServerlessBody, marshalServerlessQuery } from "./marshalling";
import {
  type CreateServerlessDatabaseRequest,
  CreateServerlessDatabaseRequestSchema,
  type ListServerlessBackupsRequest,
  ListServerlessBackupsRequestSchema,
  type ListServerlessBackupsResponse,
  ListServerlessBackupsResponseSchema,
  type ListServerlessDatabasesRequest,
  ListServerlessDatabasesRequestSchema,
  type ListServerlessDatabasesResponse,
  ListServerlessDatabasesResponseSchema,
  type RestoreServerlessDatabaseRequest,
  RestoreServerlessDatabaseRequestSchema,
  type ServerlessBackup,
  type ServerlessBackupRequest,
  ServerlessBackupRequestSchema,
  ServerlessBackupSchema,
  type ServerlessDatabase,
  type ServerlessDatabaseRequest,
  ServerlessDatabaseRequestSchema,
  ServerlessDatabaseSchema,
  type UpdateServerlessDatabaseRequest,
  UpdateServerlessDatabaseRequestSchema,
} from "./types";

/** Whether a backup's export has completed: the API sends "" or null until then. */
export function hasDownloadUrl(backup: ServerlessBackup): boolean {
  return typeof backup.downloadUrl === "string" && backup.downloadUrl !== "";
}

export type ServerlessSqlApiOptions = RegionalApiOptions;

/** The pause before an export refused with 409 transient_state is sent again. */
const EXPORT_SETTLE_PAUSE_MS = 2_000;

export class ServerlessSqlApi extends RegionalApi {
  constructor(client: ScalewayClient | ScalewayClientOptions = {}, options: ServerlessSqlApiOptions = {}) {
    super(client, options, "/serverless-sqldb/v1alpha1", SERVERLESS_SQLDB_REGIONS);
  }

  // ---- Databases --------------------------------------------------------------------------------------------------

  async createDatabase(request: CreateServerlessDatabaseRequest): Promise<ServerlessDatabase> {
    const r = validateRequest(CreateServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: "/databases",
      body: marshalServerlessBody({ ...r, projectId: this.projectId(r.projectId) }, ["region"]),
      schema: ServerlessDatabaseSchema,
    });
  }

  async getDatabase(
    request: ServerlessDatabaseRequest,
    options: CallOptions = {},
  ): Promise<ServerlessDatabase> {
    const r = validateRequest(ServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/databases/${pathParam("databaseId", r.databaseId)}`,
      schema: ServerlessDatabaseSchema,
      ...options,
    });
  }

  async listDatabases(
    request: ListServerlessDatabasesRequest = {},
  ): Promise<ListServerlessDatabasesResponse> {
    const r = validateRequest(ListServerlessDatabasesRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/databases",
      query: marshalServerlessQuery(r, ["region"]),
      schema: ListServerlessDatabasesResponseSchema,
    });
  }

  listAllDatabases(
    request: Omit<ListServerlessDatabasesRequest, "page"> = {},
  ): Promise<ServerlessDatabase[]> {
    return this.listEvery((r) => this.listDatabases(r), request, "databases");
  }

  /** Only the CPU bounds can change. */
  async updateDatabase(request: UpdateServerlessDatabaseRequest): Promise<ServerlessDatabase> {
    const r = validateRequest(UpdateServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "PATCH",
      path: `/databases/${pathParam("databaseId", r.databaseId)}`,
      body: marshalServerlessBody(r, ["region", "databaseId"]),
      schema: ServerlessDatabaseSchema,
      idempotent: true,
      settle: () => this.waitForDatabase(r, this.settleWait),
    });
  }

  async deleteDatabase(request: ServerlessDatabaseRequest): Promise<ServerlessDatabase> {
    const r = validateRequest(ServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "DELETE",
      path: `/databases/${pathParam("databaseId", r.databaseId)}`,
      schema: ServerlessDatabaseSchema,
      settle: () => this.waitForDatabase(r, this.settleWait),
    });
  }

  /** Restores a backup into the database (status `restoring` until done). */
  async restoreDatabase(request: RestoreServerlessDatabaseRequest): Promise<ServerlessDatabase> {
    const r = validateRequest(RestoreServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/databases/${pathParam("databaseId", r.databaseId)}/restore`,
      body: marshalServerlessBody(r, ["region", "databaseId"]),
      schema: ServerlessDatabaseSchema,
      settle: () => this.waitForDatabase(r, this.settleWait),
    });
  }

  // ---- Backups ----------------------------------------------------------------------------------------------------

  async listBackups(request: ListServerlessBackupsRequest = {}): Promise<ListServerlessBackupsResponse> {
    const r = validateRequest(ListServerlessBackupsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/backups",
      query: marshalServerlessQuery(r, ["region"]),
      schema: ListServerlessBackupsResponseSchema,
    });
  }

  async listAllBackups(
    request: Omit<ListServerlessBackupsRequest, "page"> = {},
  ): Promise<ServerlessBackup[]> {
    return this.listEvery((r) => this.listBackups(r), request, "backups");
  }

  async getBackup(request: ServerlessBackupRequest, options: CallOptions = {}): Promise<ServerlessBackup> {
    const r = validateRequest(ServerlessBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/backups/${pathParam("backupId", r.backupId)}`,
      schema: ServerlessBackupSchema,
      ...options,
    });
  }

  /** Starts an export; marked idempotent because exporting twice only refreshes the download URL. */
  async exportBackup(request: ServerlessBackupRequest): Promise<ServerlessBackup> {
    const r = validateRequest(ServerlessBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/backups/${pathParam("backupId", r.backupId)}/export`,
      body: {},
      schema: ServerlessBackupSchema,
      idempotent: true,
      // A backup still being taken or exported answers 409 transient_state. Its status has no transient value to
      // wait on (and waiting for a download URL would wait for this very export), so pause, then export again.
      settle: () => new Promise((resolve) => setTimeout(resolve, EXPORT_SETTLE_PAUSE_MS)),
    });
  }

  // ---- Waiters ----------------------------------------------------------------------------------------------------

  waitForDatabase(
    request: ServerlessDatabaseRequest,
    settings: WaitSettings = {},
  ): Promise<ServerlessDatabase> {
    return waitFor({
      deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
      ...settings,
      resource: `serverless database ${request.databaseId}`,
      fetch: (signal, retry) =>
        this.getDatabase({ region: request.region, databaseId: request.databaseId }, { signal, ...retry }),
      statusOf: (database) => database.status,
      isTransient: (database) => SERVERLESS_DATABASE_TRANSIENT_STATUSES.includes(database.status),
      isFailure: (database) => SERVERLESS_DATABASE_FAILURE_STATUSES.includes(database.status),
    });
  }

  /**
   * Waits until the database is gone. The real API answers a deleted database's GET with 403 permissions_denied
   * rather than 404 (see the recorded serverless-sqldb traffic), so both mean "deleted".
   */
  async waitForDatabaseDeletion(
    request: ServerlessDatabaseRequest,
    settings: WaitSettings = {},
  ): Promise<void> {
    return waitForDeletion({
      deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
      ...settings,
      isGone: (error) => error instanceof NotFoundError || error instanceof PermissionsDeniedError,
      resource: `serverless database ${request.databaseId}`,
      fetch: (signal, retry) =>
        this.getDatabase({ region: request.region, databaseId: request.databaseId }, { signal, ...retry }),
      statusOf: (database) => database.status,
      isFailure: (database) => SERVERLESS_DATABASE_FAILURE_STATUSES.includes(database.status),
    });
  }

  /** Waits until an exported backup has its download URL; `error`/`locked` → WaitFailedError. Default 15 min. */
  waitForServerlessBackup(
    request: ServerlessBackupRequest,
    settings: WaitSettings = {},
  ): Promise<ServerlessBackup> {
    return waitFor({
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      ...settings,
      resource: `serverless backup ${request.backupId}`,
      fetch: (signal, retry) =>
        this.getBackup({ region: request.region, backupId: request.backupId }, { signal, ...retry }),
      statusOf: (backup) => (hasDownloadUrl(backup) ? `${backup.status} (exported)` : backup.status),
      isTransient: (backup) => !hasDownloadUrl(backup),
      isFailure: (backup) => SERVERLESS_BACKUP_FAILURE_STATUSES.includes(backup.status),
    });
  }
}
