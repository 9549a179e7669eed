// The Scaleway Managed Databases (RDB v1) client: one method per endpoint, named like the API reference, plus
// waiters. Requests are validated (including path parameters and region) before anything is sent.
import { createHash } from "node:crypto";
import { z } from "zod";
import { validateRequest } from "../../../core/errors";
import type { SharedPolling } from "../../../core/shared-poller";
import type { CallOptions, HttpMethod } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  type WaitSettings,
  waitFor,
  waitForDeletion,
} from "../../../core/waiter";
import { pathParam, type ScalewayClient } from "../../client";
import type { ScalewayClientOptions } from "../../config";
import { RegionalApi, type RegionalApiOptions } from "../../regional-api";
import {
  DATABASE_BACKUP_FAILURE_STATUSES,
  DATABASE_BACKUP_TRANSIENT_STATUSES,
  INSTANCE_FAILURE_STATUSES,
  INSTANCE_LOG_FAILURE_STATUSES,
  INSTANCE_LOG_TRANSIENT_STATUSES,
  INSTANCE_TRANSIENT_STATUSES,
  RDB_REGIONS,
} from "./content";
import { marshalRdbBody, marshalRdbQuery } from "./marshalling";
import {
  type Certificate,
  CertificateSchema,
  type CloneInstanceRequest,
  CloneInstanceRequestSchema,
  type CreateDatabaseBackupRequest,
  CreateDatabaseBackupRequestSchema,
  type CreateInstanceRequest,
  CreateInstanceRequestSchema,
  type CreateUserRequest,
  CreateUserRequestSchema,
  type Database,
  type DatabaseBackup,
  type DatabaseBackupRequest,
  DatabaseBackupRequestSchema,
  DatabaseBackupSchema,
  type DatabaseRequest,
  DatabaseRequestSchema,
  DatabaseSchema,
  type DeleteInstanceSettingsRequest,
  DeleteInstanceSettingsRequestSchema,
  type GetInstanceMetricsRequest,
  GetInstanceMetricsRequestSchema,
  type Instance,
  type InstanceLog,
  type InstanceLogRequest,
  InstanceLogRequestSchema,
  InstanceLogSchema,
  type InstanceLogsDetailsResponse,
  InstanceLogsDetailsResponseSchema,
  type InstanceLogsResponse,
  InstanceLogsResponseSchema,
  type InstanceMetrics,
  InstanceMetricsSchema,
  type InstanceRequest,
  InstanceRequestSchema,
  InstanceSchema,
  type ListDatabaseBackupsRequest,
  ListDatabaseBackupsRequestSchema,
  type ListDatabaseBackupsResponse,
  ListDatabaseBackupsResponseSchema,
  type ListDatabaseEnginesRequest,
  ListDatabaseEnginesRequestSchema,
  type ListDatabaseEnginesResponse,
  ListDatabaseEnginesResponseSchema,
  type ListDatabasesRequest,
  ListDatabasesRequestSchema,
  type ListDatabasesResponse,
  ListDatabasesResponseSchema,
  type ListInstanceLogsRequest,
  ListInstanceLogsRequestSchema,
  type ListInstancesRequest,
  ListInstancesRequestSchema,
  type ListInstancesResponse,
  ListInstancesResponseSchema,
  type ListNodeTypesRequest,
  ListNodeTypesRequestSchema,
  type ListNodeTypesResponse,
  ListNodeTypesResponseSchema,
  type ListUsersRequest,
  ListUsersRequestSchema,
  type ListUsersResponse,
  ListUsersResponseSchema,
  type Maintenance,
  MaintenanceSchema,
  type PrepareInstanceLogsRequest,
  PrepareInstanceLogsRequestSchema,
  type PurgeInstanceLogsRequest,
  PurgeInstanceLogsRequestSchema,
  type RestoreDatabaseBackupRequest,
  RestoreDatabaseBackupRequestSchema,
  type SetInstanceSettingsRequest,
  SetInstanceSettingsRequestSchema,
  type SettingsResponse,
  SettingsResponseSchema,
  type UpdateDatabaseBackupRequest,
  UpdateDatabaseBackupRequestSchema,
  type UpdateInstanceRequest,
  UpdateInstanceRequestSchema,
  type UpdateUserRequest,
  UpdateUserRequestSchema,
  type UpgradeInstanceRequest,
  UpgradeInstanceRequestSchema,
  type User,
  type UserRequest,
  UserRequestSchema,
  UserSchema,
} from "./types";

const NoContent = z.undefined();

/** The largest page the list endpoints serve: a shared poll of up to 100 objects is one request. */
const SHARED_POLL_PAGE_SIZE = 100;

/** Raised inside a DELETE's settle step when the deletion has already started; never leaves this module. */
class DeletionUnderway extends Error {
  constructor(readonly instance: Instance) {
    super(`instance ${instance.id} is already being deleted`);
  }
}

export type RdbApiOptions = RegionalApiOptions;

export class RdbApi extends RegionalApi {
  constructor(client: ScalewayClient | ScalewayClientOptions = {}, options: RdbApiOptions = {}) {
    super(client, options, "/rdb/v1", RDB_REGIONS);
  }

  // ---- Instances ----------------------------------------------------------------------------------------------

  async listInstances(request: ListInstancesRequest = {}): Promise<ListInstancesResponse> {
    const r = validateRequest(ListInstancesRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/instances",
      query: marshalRdbQuery(r, ["region"]),
      schema: ListInstancesResponseSchema,
    });
  }

  async listAllInstances(request: Omit<ListInstancesRequest, "page"> = {}): Promise<Instance[]> {
    return this.listEvery((r) => this.listInstances(r), request, "instances");
  }

  async createInstance(request: CreateInstanceRequest): Promise<Instance> {
    const r = validateRequest(CreateInstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: "/instances",
      body: marshalRdbBody({ ...r, projectId: this.projectId(r.projectId) }, ["region"]),
      schema: InstanceSchema,
    });
  }

  async getInstance(request: InstanceRequest, options: CallOptions = {}): Promise<Instance> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}`,
      schema: InstanceSchema,
      ...options,
    });
  }

  async updateInstance(request: UpdateInstanceRequest): Promise<Instance> {
    const r = validateRequest(UpdateInstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "PATCH",
      path: `/instances/${pathParam("instanceId", r.instanceId)}`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: InstanceSchema,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  /** Answers the instance in status `deleting`; it disappears (404) later: see `waitForInstanceDeletion`. */
  async deleteInstance(request: InstanceRequest): Promise<Instance> {
    const r = validateRequest(InstanceRequestSchema, request);
    try {
      return await this.call({
        region: this.region(r.region),
        method: "DELETE",
        path: `/instances/${pathParam("instanceId", r.instanceId)}`,
        schema: InstanceSchema,
        settle: () => this.settleBeforeDelete(r),
      });
    } catch (error) {
      if (error instanceof DeletionUnderway) return error.instance;
      throw error;
    }
  }

  /**
   * A DELETE re-sent after its answer was lost finds the instance busy deleting itself (409): that deletion is the
   * one asked for, so it is reported as done instead of being waited out and ending in a 404.
   */
  private async settleBeforeDelete(request: InstanceRequest): Promise<void> {
    const instance = await this.getInstance(request);
    if (instance.status === "deleting") throw new DeletionUnderway(instance);
    await this.waitForInstance(request, this.settleWait);
  }

  /** Exactly one change per call; a major engine upgrade answers a new instance (new id). */
  async upgradeInstance(request: UpgradeInstanceRequest): Promise<Instance> {
    const r = validateRequest(UpgradeInstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/upgrade`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: InstanceSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async cloneInstance(request: CloneInstanceRequest): Promise<Instance> {
    const r = validateRequest(CloneInstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/clone`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: InstanceSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  /** Marked idempotent: re-sending a restart after a dropped connection at worst restarts once more. */
  async restartInstance(request: InstanceRequest): Promise<Instance> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/restart`,
      body: {},
      schema: InstanceSchema,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async applyInstanceMaintenance(request: InstanceRequest): Promise<Maintenance> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/apply-maintenance`,
      body: {},
      schema: MaintenanceSchema,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async getInstanceCertificate(request: InstanceRequest): Promise<Certificate> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/certificate`,
      schema: CertificateSchema,
    });
  }

  async renewInstanceCertificate(request: InstanceRequest): Promise<void> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/renew-certificate`,
      body: {},
      schema: NoContent,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  /** Deprecated by Scaleway; kept because the API still serves it. */
  async getInstanceMetrics(request: GetInstanceMetricsRequest): Promise<InstanceMetrics> {
    const r = validateRequest(GetInstanceMetricsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/metrics`,
      query: marshalRdbQuery(r, ["region", "instanceId"]),
      schema: InstanceMetricsSchema,
    });
  }

  // ---- Settings: PUT replaces them all, POST adds or overrides some, DELETE removes named ones -------------------

  async setInstanceSettings(request: SetInstanceSettingsRequest): Promise<SettingsResponse> {
    return this.settingsCall("PUT", validateRequest(SetInstanceSettingsRequestSchema, request));
  }

  async addInstanceSettings(request: SetInstanceSettingsRequest): Promise<SettingsResponse> {
    return this.settingsCall("POST", validateRequest(SetInstanceSettingsRequestSchema, request));
  }

  async deleteInstanceSettings(request: DeleteInstanceSettingsRequest): Promise<SettingsResponse> {
    return this.settingsCall("DELETE", validateRequest(DeleteInstanceSettingsRequestSchema, request));
  }

  private settingsCall(
    method: HttpMethod,
    r: { region?: string; instanceId: string; settings?: unknown; settingNames?: string[] },
  ): Promise<SettingsResponse> {
    return this.call({
      region: this.region(r.region),
      method,
      path: `/instances/${pathParam("instanceId", r.instanceId)}/settings`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: SettingsResponseSchema,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  // ---- Logs -------------------------------------------------------------------------------------------------------

  async listInstanceLogs(request: ListInstanceLogsRequest): Promise<InstanceLogsResponse> {
    const r = validateRequest(ListInstanceLogsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/logs`,
      query: marshalRdbQuery(r, ["region", "instanceId"]),
      schema: InstanceLogsResponseSchema,
    });
  }

  async prepareInstanceLogs(request: PrepareInstanceLogsRequest): Promise<InstanceLogsResponse> {
    const r = validateRequest(PrepareInstanceLogsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/prepare-logs`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: InstanceLogsResponseSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async purgeInstanceLogs(request: PurgeInstanceLogsRequest): Promise<void> {
    const r = validateRequest(PurgeInstanceLogsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/purge-logs`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: NoContent,
      idempotent: true,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async listInstanceLogsDetails(request: InstanceRequest): Promise<InstanceLogsDetailsResponse> {
    const r = validateRequest(InstanceRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/logs-details`,
      schema: InstanceLogsDetailsResponseSchema,
    });
  }

  async getInstanceLog(request: InstanceLogRequest, options: CallOptions = {}): Promise<InstanceLog> {
    const r = validateRequest(InstanceLogRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/logs/${pathParam("instanceLogId", r.instanceLogId)}`,
      schema: InstanceLogSchema,
      ...options,
    });
  }

  // ---- Backups ----------------------------------------------------------------------------------------------------

  async listDatabaseBackups(request: ListDatabaseBackupsRequest = {}): Promise<ListDatabaseBackupsResponse> {
    const r = validateRequest(ListDatabaseBackupsRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/backups",
      query: marshalRdbQuery(r, ["region"]),
      schema: ListDatabaseBackupsResponseSchema,
    });
  }

  async listAllDatabaseBackups(
    request: Omit<ListDatabaseBackupsRequest, "page"> = {},
  ): Promise<DatabaseBackup[]> {
    return this.listEvery((r) => this.listDatabaseBackups(r), request, "databaseBackups");
  }

  /** The instance must be ready: a busy instance (409 transient_state) is waited for, then the create is re-sent. */
  async createDatabaseBackup(request: CreateDatabaseBackupRequest): Promise<DatabaseBackup> {
    const r = validateRequest(CreateDatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: "/backups",
      body: marshalRdbBody(r, ["region"]),
      schema: DatabaseBackupSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async getDatabaseBackup(
    request: DatabaseBackupRequest,
    options: CallOptions = {},
  ): Promise<DatabaseBackup> {
    const r = validateRequest(DatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/backups/${pathParam("databaseBackupId", r.databaseBackupId)}`,
      schema: DatabaseBackupSchema,
      ...options,
    });
  }

  async updateDatabaseBackup(request: UpdateDatabaseBackupRequest): Promise<DatabaseBackup> {
    const r = validateRequest(UpdateDatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "PATCH",
      path: `/backups/${pathParam("databaseBackupId", r.databaseBackupId)}`,
      body: marshalRdbBody(r, ["region", "databaseBackupId"]),
      schema: DatabaseBackupSchema,
      idempotent: true,
      settle: () => this.waitForDatabaseBackup(r, this.settleWait),
    });
  }

  async deleteDatabaseBackup(request: DatabaseBackupRequest): Promise<DatabaseBackup> {
    const r = validateRequest(DatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "DELETE",
      path: `/backups/${pathParam("databaseBackupId", r.databaseBackupId)}`,
      schema: DatabaseBackupSchema,
      settle: () => this.waitForDatabaseBackup(r, this.settleWait),
    });
  }

  /** Starts an export (status `exporting`); `downloadUrl` is set once done: see `waitForDatabaseBackup`. */
  async exportDatabaseBackup(request: DatabaseBackupRequest): Promise<DatabaseBackup> {
    const r = validateRequest(DatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/backups/${pathParam("databaseBackupId", r.databaseBackupId)}/export`,
      body: {},
      schema: DatabaseBackupSchema,
      idempotent: true,
      settle: () => this.waitForDatabaseBackup(r, this.settleWait),
    });
  }

  /** Answers the backup in `restoring`; the target instance is busy until the restore ends: wait on it. */
  async restoreDatabaseBackup(request: RestoreDatabaseBackupRequest): Promise<DatabaseBackup> {
    const r = validateRequest(RestoreDatabaseBackupRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/backups/${pathParam("databaseBackupId", r.databaseBackupId)}/restore`,
      body: marshalRdbBody(r, ["region", "databaseBackupId"]),
      schema: DatabaseBackupSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  // ---- Databases and users ------------------------------------------------------------------------------------------

  async listDatabases(request: ListDatabasesRequest): Promise<ListDatabasesResponse> {
    const r = validateRequest(ListDatabasesRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/databases`,
      query: marshalRdbQuery(r, ["region", "instanceId"]),
      schema: ListDatabasesResponseSchema,
    });
  }

  async listAllDatabases(request: Omit<ListDatabasesRequest, "page">): Promise<Database[]> {
    return this.listEvery((r) => this.listDatabases(r), request, "databases");
  }

  async createDatabase(request: DatabaseRequest): Promise<Database> {
    const r = validateRequest(DatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/databases`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: DatabaseSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async deleteDatabase(request: DatabaseRequest): Promise<void> {
    const r = validateRequest(DatabaseRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "DELETE",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/databases/${pathParam("name", r.name)}`,
      schema: NoContent,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async listUsers(request: ListUsersRequest): Promise<ListUsersResponse> {
    const r = validateRequest(ListUsersRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/users`,
      query: marshalRdbQuery(r, ["region", "instanceId"]),
      schema: ListUsersResponseSchema,
    });
  }

  async listAllUsers(request: Omit<ListUsersRequest, "page">): Promise<User[]> {
    return this.listEvery((r) => this.listUsers(r), request, "users");
  }

  async createUser(request: CreateUserRequest): Promise<User> {
    const r = validateRequest(CreateUserRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "POST",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/users`,
      body: marshalRdbBody(r, ["region", "instanceId"]),
      schema: UserSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  /** Changes a user's password or admin flag (`PATCH /instances/{id}/users/{name}`). */
  async updateUser(request: UpdateUserRequest): Promise<User> {
    const r = validateRequest(UpdateUserRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "PATCH",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/users/${pathParam("name", r.name)}`,
      body: marshalRdbBody(r, ["region", "instanceId", "name"]),
      schema: UserSchema,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  async deleteUser(request: UserRequest): Promise<void> {
    const r = validateRequest(UserRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "DELETE",
      path: `/instances/${pathParam("instanceId", r.instanceId)}/users/${pathParam("name", r.name)}`,
      schema: NoContent,
      settle: () => this.waitForInstance(r, this.settleWait),
    });
  }

  // ---- Catalogue --------------------------------------------------------------------------------------------------

  async listDatabaseEngines(request: ListDatabaseEnginesRequest = {}): Promise<ListDatabaseEnginesResponse> {
    const r = validateRequest(ListDatabaseEnginesRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/database-engines",
      query: marshalRdbQuery(r, ["region"]),
      schema: ListDatabaseEnginesResponseSchema,
    });
  }

  async listNodeTypes(request: ListNodeTypesRequest = {}): Promise<ListNodeTypesResponse> {
    const r = validateRequest(ListNodeTypesRequestSchema, request);
    return this.call({
      region: this.region(r.region),
      method: "GET",
      path: "/node-types",
      query: marshalRdbQuery(r, ["region"]),
      schema: ListNodeTypesResponseSchema,
    });
  }

  // ---- Waiters ----------------------------------------------------------------------------------------------------

  /**
   * The process-wide poll loop for `kind` in the request's region and the client's default project (same API URL and
   * secret key): one paginated list per tick serves every waiter. Without a default project, waiters GET alone.
   */
  private sharedPolling(
    kind: "instances" | "backups",
    region: string | undefined,
    id: string,
  ): SharedPolling | undefined {
    const projectId = this.client.config.defaultProjectId;
    if (!projectId) return undefined;
    const resolvedRegion = this.region(region);
    const { apiUrl, secretKey } = this.client.config;
    const keyHash = createHash("sha256").update(secretKey).digest("hex").slice(0, 16);
    const listPage = async (
      page: number,
      options: CallOptions,
    ): Promise<{ items: Array<{ id: string }>; totalCount: number }> => {
      const query = marshalRdbQuery({ projectId, page, pageSize: SHARED_POLL_PAGE_SIZE }, []);
      if (kind === "instances") {
        const answer = await this.call({
          ...options,
          region: resolvedRegion,
          method: "GET",
          path: "/instances",
          query,
          schema: ListInstancesResponseSchema,
        });
        return { items: answer.instances, totalCount: answer.totalCount };
      }
      const answer = await this.call({
        ...options,
        region: resolvedRegion,
        method: "GET",
        path: "/backups",
        query,
        schema: ListDatabaseBackupsResponseSchema,
      });
      return { items: answer.databaseBackups, totalCount: answer.totalCount };
    };
    return {
      key: `rdb-${kind} ${apiUrl} ${keyHash} ${resolvedRegion} ${projectId}`,
      id,
      list: async (signal, retry) => {
        const objects = new Map<string, unknown>();
        for (let page = 1; ; page++) {
          const { items, totalCount } = await listPage(page, { signal, ...retry });
          for (const item of items) objects.set(item.id, item);
          if (items.length < SHARED_POLL_PAGE_SIZE || page * SHARED_POLL_PAGE_SIZE >= totalCount) {
            return { objects, pages: page };
          }
        }
      },
    };
  }

  /** Waits until the instance leaves its transient statuses; `error`/`locked` → WaitFailedError. Default 30 min. */
  async waitForInstance(request: InstanceRequest, settings: WaitSettings = {}): Promise<Instance> {
    return waitFor({
      deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
      ...settings,
      resource: `instance ${request.instanceId}`,
      shared: this.sharedPolling("instances", request.region, request.instanceId),
      fetch: (signal, retry) =>
        this.getInstance({ region: request.region, instanceId: request.instanceId }, { signal, ...retry }),
      statusOf: (instance) => instance.status,
      isTransient: (instance) => INSTANCE_TRANSIENT_STATUSES.includes(instance.status),
      isFailure: (instance) => INSTANCE_FAILURE_STATUSES.includes(instance.status),
    });
  }

  /** Waits until the instance answers 404. */
  async waitForInstanceDeletion(request: InstanceRequest, settings: WaitSettings = {}): Promise<void> {
    return waitForDeletion({
      deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
      ...settings,
      resource: `instance ${request.instanceId}`,
      shared: this.sharedPolling("instances", request.region, request.instanceId),
      fetch: (signal, retry) =>
        this.getInstance({ region: request.region, instanceId: request.instanceId }, { signal, ...retry }),
      statusOf: (instance) => instance.status,
      isFailure: (instance) => INSTANCE_FAILURE_STATUSES.includes(instance.status),
    });
  }

  /** Waits until the backup leaves creating/exporting/restoring/deleting. Default 15 min. */
  waitForDatabaseBackup(
    request: DatabaseBackupRequest,
    settings: WaitSettings = {},
  ): Promise<DatabaseBackup> {
    return waitFor({
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      ...settings,
      resource: `database backup ${request.databaseBackupId}`,
      shared: this.sharedPolling("backups", request.region, request.databaseBackupId),
      fetch: (signal, retry) =>
        this.getDatabaseBackup(
          { region: request.region, databaseBackupId: request.databaseBackupId },
          { signal, ...retry },
        ),
      statusOf: (backup) => backup.status,
      isTransient: (backup) => DATABASE_BACKUP_TRANSIENT_STATUSES.includes(backup.status),
      isFailure: (backup) => DATABASE_BACKUP_FAILURE_STATUSES.includes(backup.status),
    });
  }

  async waitForDatabaseBackupDeletion(
    request: DatabaseBackupRequest,
    settings: WaitSettings = {},
  ): Promise<void> {
    return waitForDeletion({
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      ...settings,
      resource: `database backup ${request.databaseBackupId}`,
      shared: this.sharedPolling("backups", request.region, request.databaseBackupId),
      fetch: (signal, retry) =>
        this.getDatabaseBackup(
          { region: request.region, databaseBackupId: request.databaseBackupId },
          { signal, ...retry },
        ),
      statusOf: (backup) => backup.status,
      isFailure: (backup) => DATABASE_BACKUP_FAILURE_STATUSES.includes(backup.status),
    });
  }

  /** Waits until a prepared log is ready (its download URL set). Default 15 min. */
  async waitForInstanceLog(request: InstanceLogRequest, settings: WaitSettings = {}): Promise<InstanceLog> {
    return waitFor({
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      ...settings,
      resource: `instance log ${request.instanceLogId}`,
      fetch: (signal, retry) =>
        this.getInstanceLog(
          { region: request.region, instanceLogId: request.instanceLogId },
          { signal, ...retry },
        ),
      statusOf: (log) => log.status,
      isTransient: (log) => INSTANCE_LOG_TRANSIENT_STATUSES.includes(log.status),
      isFailure: (log) => INSTANCE_LOG_FAILURE_STATUSES.includes(log.status),
    });
  }
}
