// What the RDB client's waits watch (instances, backups, prepared logs) and the shared poll loops through which
// waiters of a region and project look at many instances or backups with one list per tick.
import type { SharedPolling } from "../../../core/shared-poller";
import type { CallOptions } from "../../../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  DEFAULT_INSTANCE_DEADLINE_MS,
  statusChecks,
  type WaitSettings,
} from "../../../core/waiter";
import type { ScalewayClient } from "../../client";
import { regionalSharedPolling, watchKind } from "../../regional-api";
import {
  DATABASE_BACKUP_FAILURE_STATUSES,
  DATABASE_BACKUP_TRANSIENT_STATUSES,
  INSTANCE_FAILURE_STATUSES,
  INSTANCE_LOG_FAILURE_STATUSES,
  INSTANCE_LOG_TRANSIENT_STATUSES,
  INSTANCE_TRANSIENT_STATUSES,
  RDB_REGIONS,
} from "./content";
import type {
  DatabaseBackup,
  DatabaseBackupRequest,
  Instance,
  InstanceLog,
  InstanceLogRequest,
  InstanceRequest,
  ListDatabaseBackupsRequest,
  ListDatabaseBackupsResponse,
  ListInstancesRequest,
  ListInstancesResponse,
} from "./types";

/** What the settle steps and waits of the RDB table call back on the client built from it. */
export interface RdbCallbacks {
  readonly client: ScalewayClient;
  getInstance(request: InstanceRequest, options?: CallOptions): Promise<Instance>;
  getDatabaseBackup(request: DatabaseBackupRequest, options?: CallOptions): Promise<DatabaseBackup>;
  getInstanceLog(request: InstanceLogRequest, options?: CallOptions): Promise<InstanceLog>;
  listInstances(request: ListInstancesRequest, options?: CallOptions): Promise<ListInstancesResponse>;
  listDatabaseBackups(
    request: ListDatabaseBackupsRequest,
    options?: CallOptions,
  ): Promise<ListDatabaseBackupsResponse>;
  waitForInstance(request: InstanceRequest, settings?: WaitSettings): Promise<Instance>;
  waitForDatabaseBackup(request: DatabaseBackupRequest, settings?: WaitSettings): Promise<DatabaseBackup>;
}

/** The shared poll loop of RDB instances or backups (see `regionalSharedPolling`). */
function sharedPolling(
  api: RdbCallbacks,
  kind: "instances" | "backups",
  region: string | undefined,
  id: string,
): SharedPolling | undefined {
  const scope = { kind: `rdb-${kind}`, regions: RDB_REGIONS, region, id };
  return regionalSharedPolling(api.client, scope, async (request, options) => {
    if (kind === "instances") {
      const answer = await api.listInstances(request, options);
      return { items: answer.instances, totalCount: answer.totalCount };
    }
    const answer = await api.listDatabaseBackups(request, options);
    return { items: answer.databaseBackups, totalCount: answer.totalCount };
  });
}

/** Instances: `error`/`locked` fail a wait. */
export const watchedInstance = watchKind<RdbCallbacks, InstanceRequest, Instance>({
  noun: "instance",
  idField: "instanceId",
  deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
  get: (api, request, options) => api.getInstance(request, options),
  shared: (api, region, id) => sharedPolling(api, "instances", region, id),
  ...statusChecks(INSTANCE_TRANSIENT_STATUSES, INSTANCE_FAILURE_STATUSES),
});

/** Database backups. */
export const watchedDatabaseBackup = watchKind<RdbCallbacks, DatabaseBackupRequest, DatabaseBackup>({
  noun: "database backup",
  idField: "databaseBackupId",
  deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
  get: (api, request, options) => api.getDatabaseBackup(request, options),
  shared: (api, region, id) => sharedPolling(api, "backups", region, id),
  ...statusChecks(DATABASE_BACKUP_TRANSIENT_STATUSES, DATABASE_BACKUP_FAILURE_STATUSES),
});

/** Prepared logs: ready once their download URL is set. */
export const watchedInstanceLog = watchKind<RdbCallbacks, InstanceLogRequest, InstanceLog>({
  noun: "instance log",
  idField: "instanceLogId",
  deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
  get: (api, request, options) => api.getInstanceLog(request, options),
  ...statusChecks(INSTANCE_LOG_TRANSIENT_STATUSES, INSTANCE_LOG_FAILURE_STATUSES),
});
