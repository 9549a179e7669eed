// The RDB v1 API as data: each endpoint the client calls (method, path, request and response schemas, retry and
// settle behaviour), the all-pages lists and the waits, with the JSDoc each `RdbApi` method is documented by.
import { z } from "zod";
import type { WaitSettings } from "../../../core/waiter";
import { defineRegionalApi, type SettledAnswer } from "../../regional-api";
import { RDB_REGIONS } from "./content";
import { rdbMarshalling } from "./marshalling";
import {
  CertificateSchema,
  CloneInstanceRequestSchema,
  CreateDatabaseBackupRequestSchema,
  CreateInstanceRequestSchema,
  CreateUserRequestSchema,
  type DatabaseBackupRequest,
  DatabaseBackupRequestSchema,
  DatabaseBackupSchema,
  DatabaseRequestSchema,
  DatabaseSchema,
  DeleteInstanceSettingsRequestSchema,
  GetInstanceMetricsRequestSchema,
  type Instance,
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
  ListInstanceLogsRequestSchema,
  ListInstancesRequestSchema,
  ListInstancesResponseSchema,
  ListNodeTypesRequestSchema,
  ListNodeTypesResponseSchema,
  ListUsersRequestSchema,
  ListUsersResponseSchema,
  MaintenanceSchema,
  PrepareInstanceLogsRequestSchema,
  PurgeInstanceLogsRequestSchema,
  RestoreDatabaseBackupRequestSchema,
  SetInstanceSettingsRequestSchema,
  SettingsResponseSchema,
  UpdateDatabaseBackupRequestSchema,
  UpdateInstanceRequestSchema,
  UpdateUserRequestSchema,
  UpgradeInstanceRequestSchema,
  UserRequestSchema,
  UserSchema,
} from "./types";
import { type RdbCallbacks, watchedDatabaseBackup, watchedInstance, watchedInstanceLog } from "./waiters";

/** The answer of the endpoints that send no body back (204). */
const NoContent = z.undefined();

/** The instance the request names is busy: wait until it is ready again. */
const instanceSettles = (api: RdbCallbacks, request: InstanceRequest, wait: WaitSettings) =>
  api.waitForInstance(request, wait);

/** The backup the request names is busy: wait until it is ready again. */
const backupSettles = (api: RdbCallbacks, request: DatabaseBackupRequest, wait: WaitSettings) =>
  api.waitForDatabaseBackup(request, wait);

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
    /** Waits until a prepared log is ready (its download URL set). Default 15 min. */
    waitForInstanceLog: { until: "steady", watch: watchedInstanceLog },
  },
});
