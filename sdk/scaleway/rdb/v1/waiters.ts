// What the RDB client's waits watch (instances, backups, snapshots, read replicas, prepared logs) and the shared poll
// loops through which waiters of a region and project look at many instances, backups or snapshots with one list per
// tick.
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
  READ_REPLICA_FAILURE_STATUSES,
  READ_REPLICA_TRANSIENT_STATUSES,
  SNAPSHOT_FAILURE_STATUSES,
  SNAPSHOT_TRANSIENT_STATUSES,
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
  ListSnapshotsRequest,
  ListSnapshotsResponse,
  ReadReplica,
  ReadReplicaRequest,
  Snapshot,
  SnapshotRequest,
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
  getReadReplica(request: ReadReplicaRequest, options?: CallOptions): Promise<ReadReplica>;
  getSnapshot(request: SnapshotRequest, options?: CallOptions): Promise<Snapshot>;
  listSnapshots(request: ListSnapshotsRequest, options?: CallOptions): Promise<ListSnapshotsResponse>;
  waitForInstance(request: InstanceRequest, settings?: WaitSettings): Promise<Instance>;
  waitForDatabaseBackup(request: DatabaseBackupRequest, settings?: WaitSettings): Promise<DatabaseBackup>;
  waitForReadReplica(request: ReadReplicaRequest, settings?: WaitSettings): Promise<ReadReplica>;
  waitForSnapshot(request: SnapshotRequest, settings?: WaitSettings): Promise<Snapshot>;
}

/** The shared poll loop of RDB instances, backups or snapshots (see `regionalSharedPolling`). */
function sharedPolling(
  api: RdbCallbacks,
  kind: "instances" | "backups" | "snapshots",
  region: string | undefined,
  id: string,
): SharedPolling | undefined {
  const scope = { kind: `rdb-${kind}`, regions: RDB_REGIONS, region, id };
  return regionalSharedPolling(api.client, scope, async (request, options) => {
    if (kind === "instances") {
      const answer = await api.listInstances(request, options);
      return { items: answer.instances, totalCount: answer.totalCount };
    }
    if (kind === "snapshots") {
      const answer = await api.listSnapshots(request, options);
      return { items: answer.snapshots, totalCount: answer.totalCount };
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

/** Snapshots of instances' volumes. */
export const watchedSnapshot = watchKind<RdbCallbacks, SnapshotRequest, Snapshot>({
  noun: "snapshot",
  idField: "snapshotId",
  deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
  get: (api, request, options) => api.getSnapshot(request, options),
  shared: (api, region, id) => sharedPolling(api, "snapshots", region, id),
  ...statusChecks(SNAPSHOT_TRANSIENT_STATUSES, SNAPSHOT_FAILURE_STATUSES),
});

/** Read replicas, which take as long as instances to provision; the API has no list of them to share. */
export const watchedReadReplica = watchKind<RdbCallbacks, ReadReplicaRequest, ReadReplica>({
  noun: "read replica",
  idField: "readReplicaId",
  deadlineMs: DEFAULT_INSTANCE_DEADLINE_MS,
  get: (api, request, options) => api.getReadReplica(request, options),
  ...statusChecks(READ_REPLICA_TRANSIENT_STATUSES, READ_REPLICA_FAILURE_STATUSES),
});

/** Prepared logs: ready once their download URL is set. */
export const watchedInstanceLog = watchKind<RdbCallbacks, InstanceLogRequest, InstanceLog>({
  noun: "instance log",
  idField: "instanceLogId",
  deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
  get: (api, request, options) => api.getInstanceLog(request, options),
  ...statusChecks(INSTANCE_LOG_TRANSIENT_STATUSES, INSTANCE_LOG_FAILURE_STATUSES),
});
