// The Scaleway Serverless SQL Database (v1alpha1) client: databases (CRUD, restore), backups (list, get, export)
// and waiters. Backups are automatic and daily; an export sets the backup's download URL when it completes.
import type { z } from "zod";
import { RequestValidationError, validateRequest } from "../../../core/errors";
import { listAll } from "../../../core/pagination";
import type { HttpMethod, QueryValue } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  type WaitSettings,
  waitFor,
  waitForDeletion,
} from "../../../core/waiter";
import { pathParam, regionParam, ScalewayClient } from "../../client";
import type { ScalewayClientOptions } from "../../config";
import { NotFoundError, PermissionsDeniedError } from "../../errors";
import {
  SERVERLESS_BACKUP_FAILURE_STATUSES,
  SERVERLESS_DATABASE_FAILURE_STATUSES,
  SERVERLESS_DATABASE_TRANSIENT_STATUSES,
  SERVERLESS_SQLDB_REGIONS,
} from "./content";
import { marshalServerlessBody, marshalServerlessQuery, unmarshalServerlessResponse } from "./marshalling";
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

interface Call<T> {
  region: string;
  method: HttpMethod;
  path: string;
  schema: z.ZodType<T>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  idempotent?: boolean;
  settle?: () => Promise<unknown>;
  signal?: AbortSignal;
}

/** Whether a backup's export has completed: the API sends "" or null until then. */
export function hasDownloadUrl(backup: ServerlessBackup): boolean {
  return typeof backup.downloadUrl === "string" && backup.downloadUrl !== "";
}

export interface ServerlessSqlApiOptions {
  settleWait?: WaitSettings;
}

export class ServerlessSqlApi {
  readonly client: ScalewayClient;
  private readonly settleWait: WaitSettings;

  constructor(client: ScalewayClient | ScalewayClientOptions = {}, options: ServerlessSqlApiOptions = {}) {
    this.client = client instanceof ScalewayClient ? client : new ScalewayClient(client);
    this.settleWait = options.settleWait ?? {};
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
    options: { signal?: AbortSignal } = {},
  ): Promise<ServerlessDatabase> {
    const r = validateRequest(ServerlessDatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/databases/${pathParam("databaseId", r.databaseId)}`,
      schema: ServerlessDatabaseSchema,
      signal: options.signal,
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
    return listAll(
      async (page, pageSize) => {
        const answer = await this.listDatabases({ ...request, page, pageSize });
        return { items: answer.databases, totalCount: answer.totalCount };
      },
      { pageSize: request.pageSize },
    );
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
    return listAll(
      async (page, pageSize) => {
        const answer = await this.listBackups({ ...request, page, pageSize });
        return { items: answer.backups, totalCount: answer.totalCount };
      },
      { pageSize: request.pageSize },
    );
  }

  async getBackup(
    request: ServerlessBackupRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<ServerlessBackup> {
    const r = validateRequest(ServerlessBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/backups/${pathParam("backupId", r.backupId)}`,
      schema: ServerlessBackupSchema,
      signal: options.signal,
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
      fetch: (signal) =>
        this.getDatabase({ region: request.region, databaseId: request.databaseId }, { signal }),
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
      fetch: (signal) =>
        this.getDatabase({ region: request.region, databaseId: request.databaseId }, { signal }),
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
      fetch: (signal) => this.getBackup({ region: request.region, backupId: request.backupId }, { signal }),
      statusOf: (backup) => (hasDownloadUrl(backup) ? `${backup.status} (exported)` : backup.status),
      isTransient: (backup) => !hasDownloadUrl(backup),
      isFailure: (backup) => SERVERLESS_BACKUP_FAILURE_STATUSES.includes(backup.status),
    });
  }

  // ---- Plumbing ---------------------------------------------------------------------------------------------------

  private region(region: string | undefined): string {
    return regionParam(region, this.client.config.defaultRegion, SERVERLESS_SQLDB_REGIONS);
  }

  private projectId(projectId: string | undefined): string {
    const value = projectId ?? this.client.config.defaultProjectId;
    if (!value) {
      throw new RequestValidationError(
        "projectId",
        "is required: pass it or set SCW_DEFAULT_PROJECT_ID / the defaultProjectId option",
      );
    }
    return value;
  }

  private async call<T>(call: Call<T>): Promise<T> {
    const settle = call.settle;
    return this.client.transport.request({
      method: call.method,
      path: `/serverless-sqldb/v1alpha1/regions/${call.region}${call.path}`,
      query: call.query,
      body: call.body,
      schema: call.schema,
      decode: unmarshalServerlessResponse,
      idempotent: call.idempotent,
      settle: settle && (async () => void (await settle())),
      signal: call.signal,
    });
  }
}
