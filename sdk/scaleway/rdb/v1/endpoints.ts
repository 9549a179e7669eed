// The RDB v1 API as data: each endpoint the client calls (method, path, request and response schemas, retry and
// settle behaviour), the all-pages lists and the waits, with the JSDoc each `RdbApi` method is documented by.
import { z } from "zod";
import type { WaitSettings } from "../../../core/waiter";
import { defineRegionalApi, type SettledAnswer } from "../../regional-api";
import { RDB_REGIONS } from "./content";
import { rdbMarshalling } from "./marshalling";
import {
  AclRulesResponseSchema,
  CertificateSchema,
  CloneInstanceRequestSchema,
  CreateDatabaseBackupRequestSchema,
  CreateEndpointRequestSchema,
  CreateInstanceFromSnapshotRequestSchema,
  CreateInstanceRequestSchema,
  CreateReadReplicaEndpointRequestSchema,
  CreateReadReplicaRequestSchema,
  CreateSnapshotRequestSchema,
  CreateUserRequestSchema,
  type DatabaseBackupRequest,
  DatabaseBackupRequestSchema,
  DatabaseBackupSchema,
  DatabaseRequestSchema,
  DatabaseSchema,
  DeleteInstanceAclRulesRequestSchema,
  DeleteInstanceSettingsRequestSchema,
  EndpointRequestSchema,
  EndpointSchema,
  GetInstanceMetricsRequestSchema,
  type Instance,
  InstanceAclRulesRequestSchema,
  InstanceLogRequestSchema,
  InstanceLogSchema,
  InstanceLogsDetailsResponseSchema,
  InstanceLogsResponseSchema,
  InstanceMetricsSchema,
  type InstanceRequest,
  InstanceRequestSchema,
  InstanceSchema,
  ListDatabaseBackupsRequestSchema,
  ListDatabaseBackupsResponseSchema,
  ListDatabaseEnginesRequestSchema,
  ListDatabaseEnginesResponseSchema,
  ListDatabasesRequestSchema,
  ListDatabasesResponseSchema,
  ListInstanceAclRulesRequestSchema,
  ListInstanceAclRulesResponseSchema,
  ListInstanceLogsRequestSchema,
  ListInstancesRequestSchema,
  ListInstancesResponseSchema,
  ListNodeTypesRequestSchema,
  ListNodeTypesResponseSchema,
  ListPrivilegesRequestSchema,
  ListPrivilegesResponseSchema,
  ListSnapshotsRequestSchema,
  ListSnapshotsResponseSchema,
  ListUsersRequestSchema,
  ListUsersResponseSchema,
  MaintenanceSchema,
  MigrateEndpointRequestSchema,
  PrepareInstanceLogsRequestSchema,
  PrivilegeSchema,
  PurgeInstanceLogsRequestSchema,
  type ReadReplicaRequest,
  ReadReplicaRequestSchema,
  ReadReplicaSchema,
  RestoreDatabaseBackupRequestSchema,
  SetInstanceSettingsRequestSchema,
  SetPrivilegeRequestSchema,
  SettingsResponseSchema,
  type SnapshotRequest,
  SnapshotRequestSchema,
  SnapshotSchema,
  UpdateDatabaseBackupRequestSchema,
  UpdateInstanceRequestSchema,
  UpdateSnapshotRequestSchema,
  UpdateUserRequestSchema,
  UpgradeInstanceRequestSchema,
  UserRequestSchema,
  UserSchema,
} from "./types";
import {
  type RdbCallbacks,
  watchedDatabaseBackup,
  watchedInstance,
  watchedInstanceLog,
  watchedReadReplica,
  watchedSnapshot,
} from "./waiters";

/** The answer of the endpoints that send no body back (204). */
const NoContent = z.undefined();

/** The instance the request names is busy: wait until it is ready again. */
const instanceSettles = (api: RdbCallbacks, request: InstanceRequest, wait: WaitSettings) =>
  api.waitForInstance(request, wait);

/** The backup the request names is busy: wait until it is ready again. */
const backupSettles = (api: RdbCallbacks, request: DatabaseBackupRequest, wait: WaitSettings) =>
  api.waitForDatabaseBackup(request, wait);

/** The read replica the request names is busy: wait until it is ready again. */
const readReplicaSettles = (api: RdbCallbacks, request: ReadReplicaRequest, wait: WaitSettings) =>
  api.waitForReadReplica(request, wait);

/** The snapshot the request names is busy: wait until it is ready again. */
const snapshotSettles = (api: RdbCallbacks, request: SnapshotRequest, wait: WaitSettings) =>
  api.waitForSnapshot(request, wait);

/**
 * A DELETE re-sent after its answer was lost finds the instance busy deleting itself (409): that deletion is the one
 * asked for, so it is reported as done instead of being waited out and ending in a 404.
 */
const deletionSettles = async (
  api: RdbCallbacks,
  request: InstanceRequest,
  wait: WaitSettings,
  answer: (instance: Instance) => SettledAnswer<Instance>,
) => {
  const instance = await api.getInstance(request);
  if (instance.status === "deleting") return answer(instance);
  return api.waitForInstance(request, wait);
};

/** Where the RDB v1 API lives and every call the client makes; each entry becomes the `RdbApi` method of its name. */
export const RDB_V1 = defineRegionalApi({
  pathPrefix: "/rdb/v1",
  regions: RDB_REGIONS,
  marshalling: rdbMarshalling,
  endpoints: {
    // ---- Instances ------------------------------------------------------------------------------------------------

    /** One page of the region's instances, filtered by tags, name, project or organization. */
    listInstances: {
      method: "GET",
      path: "/instances",
      request: ListInstancesRequestSchema,
      response: ListInstancesResponseSchema,
    },
    /** Creates an instance (status `provisioning`; see `waitForInstance`); the project defaults to the client's. */
    createInstance: {
      method: "POST",
      path: "/instances",
      request: CreateInstanceRequestSchema,
      response: InstanceSchema,
      defaultProject: true,
    },
    /** The instance, with its status, endpoints, settings and backup schedule. */
    getInstance: {
      method: "GET",
      path: "/instances/{instanceId}",
      request: InstanceRequestSchema,
      response: InstanceSchema,
    },
    /** Renames, retags, or changes the logs policy and the backup schedule of an instance. */
    updateInstance: {
      method: "PATCH",
      path: "/instances/{instanceId}",
      request: UpdateInstanceRequestSchema,
      response: InstanceSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Answers the instance in status `deleting`; it disappears (404) later: see `waitForInstanceDeletion`. */
    deleteInstance: {
      method: "DELETE",
      path: "/instances/{instanceId}",
      request: InstanceRequestSchema,
      response: InstanceSchema,
      settle: deletionSettles,
    },
    /** Exactly one change per call; a major engine upgrade answers a new instance (new id). */
    upgradeInstance: {
      method: "POST",
      path: "/instances/{instanceId}/upgrade",
      request: UpgradeInstanceRequestSchema,
      response: InstanceSchema,
      settle: instanceSettles,
    },
    /** Creates a copy of the instance under a new name, optionally on another node type. */
    cloneInstance: {
      method: "POST",
      path: "/instances/{instanceId}/clone",
      request: CloneInstanceRequestSchema,
      response: InstanceSchema,
      settle: instanceSettles,
    },
    /** Marked idempotent: re-sending a restart after a dropped connection at worst restarts once more. */
    restartInstance: {
      method: "POST",
      path: "/instances/{instanceId}/restart",
      request: InstanceRequestSchema,
      response: InstanceSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Applies the pending maintenance of the instance now rather than in its maintenance window. */
    applyInstanceMaintenance: {
      method: "POST",
      path: "/instances/{instanceId}/apply-maintenance",
      request: InstanceRequestSchema,
      response: MaintenanceSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** The TLS certificate (PEM) clients use to check the instance's endpoints. */
    getInstanceCertificate: {
      method: "GET",
      path: "/instances/{instanceId}/certificate",
      request: InstanceRequestSchema,
      response: CertificateSchema,
    },
    /** Issues a new TLS certificate for the instance; clients must trust the new one. */
    renewInstanceCertificate: {
      method: "POST",
      path: "/instances/{instanceId}/renew-certificate",
      request: InstanceRequestSchema,
      response: NoContent,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Deprecated by Scaleway; kept because the API still serves it. */
    getInstanceMetrics: {
      method: "GET",
      path: "/instances/{instanceId}/metrics",
      request: GetInstanceMetricsRequestSchema,
      response: InstanceMetricsSchema,
    },

    // ---- Settings: PUT replaces them all, POST adds or overrides some, DELETE removes named ones -----------------

    /** Replaces every advanced setting of the instance with the given ones. */
    setInstanceSettings: {
      method: "PUT",
      path: "/instances/{instanceId}/settings",
      request: SetInstanceSettingsRequestSchema,
      response: SettingsResponseSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Adds the given settings, or overrides their values; the others stay as they are. */
    addInstanceSettings: {
      method: "POST",
      path: "/instances/{instanceId}/settings",
      request: SetInstanceSettingsRequestSchema,
      response: SettingsResponseSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Removes the named settings, which go back to the engine's defaults. */
    deleteInstanceSettings: {
      method: "DELETE",
      path: "/instances/{instanceId}/settings",
      request: DeleteInstanceSettingsRequestSchema,
      response: SettingsResponseSchema,
      idempotent: true,
      settle: instanceSettles,
    },

    // ---- Logs -----------------------------------------------------------------------------------------------------

    /** The logs prepared for download (see `prepareInstanceLogs`), with their status and download URL. */
    listInstanceLogs: {
      method: "GET",
      path: "/instances/{instanceId}/logs",
      request: ListInstanceLogsRequestSchema,
      response: InstanceLogsResponseSchema,
    },
    /** Prepares the logs of a time range for download; each is ready once its URL is set: see `waitForInstanceLog`. */
    prepareInstanceLogs: {
      method: "POST",
      path: "/instances/{instanceId}/prepare-logs",
      request: PrepareInstanceLogsRequestSchema,
      response: InstanceLogsResponseSchema,
      settle: instanceSettles,
    },
    /** Deletes the instance's logs, or only those of `logName`. */
    purgeInstanceLogs: {
      method: "POST",
      path: "/instances/{instanceId}/purge-logs",
      request: PurgeInstanceLogsRequestSchema,
      response: NoContent,
      idempotent: true,
      settle: instanceSettles,
    },
    /** How much room each kind of log takes on the instance. */
    listInstanceLogsDetails: {
      method: "GET",
      path: "/instances/{instanceId}/logs-details",
      request: InstanceRequestSchema,
      response: InstanceLogsDetailsResponseSchema,
    },
    /** One prepared log, with its status and, once ready, its download URL. */
    getInstanceLog: {
      method: "GET",
      path: "/logs/{instanceLogId}",
      request: InstanceLogRequestSchema,
      response: InstanceLogSchema,
    },

    // ---- Backups --------------------------------------------------------------------------------------------------

    /** One page of the region's database backups, filtered by name, instance, project or organization. */
    listDatabaseBackups: {
      method: "GET",
      path: "/backups",
      request: ListDatabaseBackupsRequestSchema,
      response: ListDatabaseBackupsResponseSchema,
    },
    /** The instance must be ready: a busy instance (409 transient_state) is waited for, then the create is re-sent. */
    createDatabaseBackup: {
      method: "POST",
      path: "/backups",
      request: CreateDatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
      settle: instanceSettles,
    },
    /** The backup, with its status, size and, once exported, its download URL. */
    getDatabaseBackup: {
      method: "GET",
      path: "/backups/{databaseBackupId}",
      request: DatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
    },
    /** Renames the backup or changes when it expires. */
    updateDatabaseBackup: {
      method: "PATCH",
      path: "/backups/{databaseBackupId}",
      request: UpdateDatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
      idempotent: true,
      settle: backupSettles,
    },
    /** Answers the backup in status `deleting`; it disappears (404) later: see `waitForDatabaseBackupDeletion`. */
    deleteDatabaseBackup: {
      method: "DELETE",
      path: "/backups/{databaseBackupId}",
      request: DatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
      settle: backupSettles,
    },
    /** Starts an export (status `exporting`); `downloadUrl` is set once done: see `waitForDatabaseBackup`. */
    exportDatabaseBackup: {
      method: "POST",
      path: "/backups/{databaseBackupId}/export",
      request: DatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
      idempotent: true,
      settle: backupSettles,
    },
    /** Answers the backup in `restoring`; the target instance is busy until the restore ends: wait on it. */
    restoreDatabaseBackup: {
      method: "POST",
      path: "/backups/{databaseBackupId}/restore",
      request: RestoreDatabaseBackupRequestSchema,
      response: DatabaseBackupSchema,
      settle: instanceSettles,
    },

    // ---- Databases and users --------------------------------------------------------------------------------------

    /** One page of the logical databases of an instance, with their owner and size. */
    listDatabases: {
      method: "GET",
      path: "/instances/{instanceId}/databases",
      request: ListDatabasesRequestSchema,
      response: ListDatabasesResponseSchema,
    },
    /** Creates a logical database on the instance. */
    createDatabase: {
      method: "POST",
      path: "/instances/{instanceId}/databases",
      request: DatabaseRequestSchema,
      response: DatabaseSchema,
      settle: instanceSettles,
    },
    /** Drops a logical database of the instance, with its data. */
    deleteDatabase: {
      method: "DELETE",
      path: "/instances/{instanceId}/databases/{name}",
      request: DatabaseRequestSchema,
      response: NoContent,
      settle: instanceSettles,
    },
    /** One page of the users of an instance. */
    listUsers: {
      method: "GET",
      path: "/instances/{instanceId}/users",
      request: ListUsersRequestSchema,
      response: ListUsersResponseSchema,
    },
    /** Creates a user of the instance, admin or not. */
    createUser: {
      method: "POST",
      path: "/instances/{instanceId}/users",
      request: CreateUserRequestSchema,
      response: UserSchema,
      settle: instanceSettles,
    },
    /** Changes a user's password or admin flag (`PATCH /instances/{id}/users/{name}`). */
    updateUser: {
      method: "PATCH",
      path: "/instances/{instanceId}/users/{name}",
      request: UpdateUserRequestSchema,
      response: UserSchema,
      settle: instanceSettles,
    },
    /** Deletes a user of the instance. */
    deleteUser: {
      method: "DELETE",
      path: "/instances/{instanceId}/users/{name}",
      request: UserRequestSchema,
      response: NoContent,
      settle: instanceSettles,
    },

    /** One page of the users' permissions on the instance's databases, filtered by database or user name. */
    listPrivileges: {
      method: "GET",
      path: "/instances/{instanceId}/privileges",
      request: ListPrivilegesRequestSchema,
      response: ListPrivilegesResponseSchema,
    },
    /**
     * Sets what a user may do on a database (`none` revokes). Both must exist. Concurrent changes on one database
     * may be refused with a plain 409 (`Tuple concurrently updated`): re-send after the others.
     */
    setPrivilege: {
      method: "PUT",
      path: "/instances/{instanceId}/privileges",
      request: SetPrivilegeRequestSchema,
      response: PrivilegeSchema,
      idempotent: true,
      settle: instanceSettles,
    },

    // ---- Network access: ACL rules and endpoints --------------------------------------------------------------

    /** One page of the ACL rules of the instance: the networks allowed to reach its public endpoint. */
    listInstanceAclRules: {
      method: "GET",
      path: "/instances/{instanceId}/acls",
      request: ListInstanceAclRulesRequestSchema,
      response: ListInstanceAclRulesResponseSchema,
    },
    /** Adds ACL rules (the instance is `configuring` meanwhile); answers the rules added. */
    addInstanceAclRules: {
      method: "POST",
      path: "/instances/{instanceId}/acls",
      request: InstanceAclRulesRequestSchema,
      response: AclRulesResponseSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Replaces every ACL rule of the instance (the instance is `configuring` meanwhile); answers the new rules. */
    setInstanceAclRules: {
      method: "PUT",
      path: "/instances/{instanceId}/acls",
      request: InstanceAclRulesRequestSchema,
      response: AclRulesResponseSchema,
      idempotent: true,
      settle: instanceSettles,
    },
    /** Deletes the rules of the given networks (the instance is `configuring` meanwhile); answers the rules removed. */
    deleteInstanceAclRules: {
      method: "DELETE",
      path: "/instances/{instanceId}/acls",
      request: DeleteInstanceAclRulesRequestSchema,
      response: AclRulesResponseSchema,
      settle: instanceSettles,
    },
    /**
     * Adds a load-balancer or Private Network endpoint. The answer is a placeholder (empty id, port 0): the endpoint
     * shows in the instance's `endpoints` once the instance, `initializing` meanwhile, is ready again.
     */
    createEndpoint: {
      method: "POST",
      path: "/instances/{instanceId}/endpoints",
      request: CreateEndpointRequestSchema,
      response: EndpointSchema,
      settle: instanceSettles,
    },
    /** An endpoint of an instance or a read replica, with its address and kind. */
    getEndpoint: {
      method: "GET",
      path: "/endpoints/{endpointId}",
      request: EndpointRequestSchema,
      response: EndpointSchema,
    },
    /**
     * Removes an endpoint of an instance or a read replica, which is `configuring` until the endpoint is gone: wait
     * on it.
     */
    deleteEndpoint: {
      method: "DELETE",
      path: "/endpoints/{endpointId}",
      request: EndpointRequestSchema,
      response: NoContent,
    },
    /** Moves an endpoint (and its address) to another instance, e.g. to switch clients over to a new one. */
    migrateEndpoint: {
      method: "POST",
      path: "/endpoints/{endpointId}/migrate",
      request: MigrateEndpointRequestSchema,
      response: EndpointSchema,
      settle: instanceSettles,
    },

    // ---- Read replicas --------------------------------------------------------------------------------------------

    /**
     * Creates a read replica of a ready instance (at most 3 each), `provisioning` for about as long as an instance:
     * see `waitForReadReplica`. Without an endpoint spec, it gets a direct-access endpoint.
     */
    createReadReplica: {
      method: "POST",
      path: "/read-replicas",
      request: CreateReadReplicaRequestSchema,
      response: ReadReplicaSchema,
      settle: instanceSettles,
    },
    /** The read replica, with its status and endpoints. */
    getReadReplica: {
      method: "GET",
      path: "/read-replicas/{readReplicaId}",
      request: ReadReplicaRequestSchema,
      response: ReadReplicaSchema,
    },
    /** Answers the replica in status `deleting`; it disappears (404) later: see `waitForReadReplicaDeletion`. */
    deleteReadReplica: {
      method: "DELETE",
      path: "/read-replicas/{readReplicaId}",
      request: ReadReplicaRequestSchema,
      response: ReadReplicaSchema,
      settle: readReplicaSettles,
    },
    /** Re-copies the replica's data from its primary (`initializing` meanwhile); its endpoints stay. */
    resetReadReplica: {
      method: "POST",
      path: "/read-replicas/{readReplicaId}/reset",
      request: ReadReplicaRequestSchema,
      response: ReadReplicaSchema,
      idempotent: true,
      settle: readReplicaSettles,
    },
    /**
     * Turns the replica into a standalone instance (new id, named `promoted - <primary>`), answered `initializing`:
     * wait on that instance. The replica itself is gone (404).
     */
    promoteReadReplica: {
      method: "POST",
      path: "/read-replicas/{readReplicaId}/promote",
      request: ReadReplicaRequestSchema,
      response: InstanceSchema,
      settle: readReplicaSettles,
    },
    /** Adds endpoints to a replica: at most one direct access and one Private Network endpoint. */
    createReadReplicaEndpoint: {
      method: "POST",
      path: "/read-replicas/{readReplicaId}/endpoints",
      request: CreateReadReplicaEndpointRequestSchema,
      response: ReadReplicaSchema,
      settle: readReplicaSettles,
    },

    // ---- Snapshots ------------------------------------------------------------------------------------------------

    /** One page of the region's snapshots, filtered by name, instance, project or organization. */
    listSnapshots: {
      method: "GET",
      path: "/snapshots",
      request: ListSnapshotsRequestSchema,
      response: ListSnapshotsResponseSchema,
    },
    /** Snapshots the volume of a ready instance (`snapshotting` meanwhile); the snapshot is `creating` until done. */
    createSnapshot: {
      method: "POST",
      path: "/instances/{instanceId}/snapshots",
      request: CreateSnapshotRequestSchema,
      response: SnapshotSchema,
      settle: instanceSettles,
    },
    /** The snapshot, with its status, size, volume type and expiry. */
    getSnapshot: {
      method: "GET",
      path: "/snapshots/{snapshotId}",
      request: SnapshotRequestSchema,
      response: SnapshotSchema,
    },
    /** Renames the snapshot or changes when it expires. */
    updateSnapshot: {
      method: "PATCH",
      path: "/snapshots/{snapshotId}",
      request: UpdateSnapshotRequestSchema,
      response: SnapshotSchema,
      idempotent: true,
      settle: snapshotSettles,
    },
    /** Answers the snapshot in status `deleting`; it disappears (404) later: see `waitForSnapshotDeletion`. */
    deleteSnapshot: {
      method: "DELETE",
      path: "/snapshots/{snapshotId}",
      request: SnapshotRequestSchema,
      response: SnapshotSchema,
      settle: snapshotSettles,
    },
    /**
     * Creates an instance from a ready snapshot (`provisioning`; see `waitForInstance`), with the snapshot's volume
     * type and size, on the snapshot's node type or another that offers that volume type.
     */
    createInstanceFromSnapshot: {
      method: "POST",
      path: "/snapshots/{snapshotId}/create-instance",
      request: CreateInstanceFromSnapshotRequestSchema,
      response: InstanceSchema,
      settle: snapshotSettles,
    },

    // ---- Catalogue ------------------------------------------------------------------------------------------------

    /** One page of the engines (and their versions and settings) instances can run. */
    listDatabaseEngines: {
      method: "GET",
      path: "/database-engines",
      request: ListDatabaseEnginesRequestSchema,
      response: ListDatabaseEnginesResponseSchema,
    },
    /** One page of the node types instances can run on, with their sizes and limits. */
    listNodeTypes: {
      method: "GET",
      path: "/node-types",
      request: ListNodeTypesRequestSchema,
      response: ListNodeTypesResponseSchema,
    },
  },
  allPages: {
    /** Every instance `listInstances` would answer, page after page. */
    listAllInstances: { list: "listInstances", items: "instances" },
    /** Every backup `listDatabaseBackups` would answer, page after page. */
    listAllDatabaseBackups: { list: "listDatabaseBackups", items: "databaseBackups" },
    /** Every logical database `listDatabases` would answer, page after page. */
    listAllDatabases: { list: "listDatabases", items: "databases" },
    /** Every user `listUsers` would answer, page after page. */
    listAllUsers: { list: "listUsers", items: "users" },
    /** Every privilege `listPrivileges` would answer, page after page. */
    listAllPrivileges: { list: "listPrivileges", items: "privileges" },
    /** Every ACL rule `listInstanceAclRules` would answer, page after page. */
    listAllInstanceAclRules: { list: "listInstanceAclRules", items: "rules" },
    /** Every snapshot `listSnapshots` would answer, page after page. */
    listAllSnapshots: { list: "listSnapshots", items: "snapshots" },
  },
  waiters: {
    /** Waits until the instance leaves its transient statuses; `error`/`locked` → WaitFailedError. Default 30 min. */
    waitForInstance: { until: "steady", watch: watchedInstance },
    /** Waits until the instance answers 404. */
    waitForInstanceDeletion: { until: "gone", watch: watchedInstance },
    /** Waits until the backup leaves creating/exporting/restoring/deleting. Default 15 min. */
    waitForDatabaseBackup: { until: "steady", watch: watchedDatabaseBackup },
    /** Waits until the backup answers 404. */
    waitForDatabaseBackupDeletion: { until: "gone", watch: watchedDatabaseBackup },
    /** Waits until the read replica leaves its transient statuses; `error`/`locked` → WaitFailedError. Default 30 min. */
    waitForReadReplica: { until: "steady", watch: watchedReadReplica },
    /** Waits until the read replica answers 404 (after a delete or a promotion). */
    waitForReadReplicaDeletion: { until: "gone", watch: watchedReadReplica },
    /** Waits until the snapshot leaves creating/restoring/deleting. Default 15 min. */
    waitForSnapshot: { until: "steady", watch: watchedSnapshot },
    /** Waits until the snapshot answers 404. */
    waitForSnapshotDeletion: { until: "gone", watch: watchedSnapshot },
    /** Waits until a prepared log is ready (its download URL set). Default 15 min. */
    waitForInstanceLog: { until: "steady", watch: watchedInstanceLog },
  },
});
