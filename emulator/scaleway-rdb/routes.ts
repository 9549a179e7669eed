// The route table of the emulated Scaleway RDB v1 API: every /rdb/v1/regions/:region route and the module's test
// controls under /_emulator/scaleway-rdb/, each naming its handler.
import { type Route, routeTable } from "../framework";
import { accessHandlers } from "./access-handlers";
import { backupHandlers } from "./backup-handlers";
import { catalogueHandlers } from "./catalogue-handlers";
import { controlHandlers } from "./control-handlers";
import { EndpointModel } from "./endpoint-model";
import { instanceHandlers } from "./instance-handlers";
import { InstanceModel } from "./instance-model";
import { instancePartHandlers } from "./instance-part-handlers";
import { readReplicaHandlers, snapshotHandlers } from "./replica-snapshot-handlers";
import type { RdbStore } from "./store";

const REGION = "/rdb/v1/regions/:region";
const INSTANCES = `${REGION}/instances`;
const INSTANCE = `${INSTANCES}/:instanceId`;
const BACKUPS = `${REGION}/backups`;
const BACKUP = `${BACKUPS}/:backupId`;
const READ_REPLICA = `${REGION}/read-replicas/:readReplicaId`;
const SNAPSHOT = `${REGION}/snapshots/:snapshotId`;
const ENDPOINT = `${REGION}/endpoints/:endpointId`;
const CONTROL = "/_emulator/scaleway-rdb/instances/:instanceId";
const BACKUP_CONTROL = "/_emulator/scaleway-rdb/backups/:backupId";

export function rdbRoutes(store: RdbStore): Route[] {
  const catalogue = catalogueHandlers(store);
  const instances = instanceHandlers(store);
  const parts = instancePartHandlers(store);
  const backups = backupHandlers(store);
  const controls = controlHandlers(store);
  const endpoints = new EndpointModel(store);
  const access = accessHandlers(store, endpoints);
  const replicas = readReplicaHandlers(store, endpoints, new InstanceModel(store));
  const snapshots = snapshotHandlers(store, new InstanceModel(store));
  return routeTable([
    [`${REGION}/database-engines`, { GET: catalogue.databaseEngines }],
    [`${REGION}/node-types`, { GET: catalogue.nodeTypes }],
    [INSTANCES, { GET: instances.list, POST: instances.create }],
    [INSTANCE, { GET: instances.get, PATCH: instances.update, DELETE: instances.remove }],
    [`${INSTANCE}/upgrade`, { POST: instances.upgrade }],
    [`${INSTANCE}/clone`, { POST: instances.clone }],
    [`${INSTANCE}/restart`, { POST: instances.restart }],
    [`${INSTANCE}/apply-maintenance`, { POST: instances.applyMaintenance }],
    [`${INSTANCE}/certificate`, { GET: instances.certificate }],
    [`${INSTANCE}/renew-certificate`, { POST: instances.renewCertificate }],
    [`${INSTANCE}/metrics`, { GET: instances.metrics }],
    [
      `${INSTANCE}/settings`,
      { PUT: parts.setSettings, POST: parts.addSettings, DELETE: parts.deleteSettings },
    ],
    [`${INSTANCE}/databases`, { GET: parts.listDatabases, POST: parts.createDatabase }],
    [`${INSTANCE}/databases/:databaseName`, { DELETE: parts.deleteDatabase }],
    [`${INSTANCE}/users`, { GET: parts.listUsers, POST: parts.createUser }],
    [`${INSTANCE}/users/:userName`, { PATCH: parts.updateUser, DELETE: parts.deleteUser }],
    [`${INSTANCE}/prepare-logs`, { POST: parts.prepareLogs }],
    [`${INSTANCE}/logs`, { GET: parts.listLogs }],
    [`${INSTANCE}/logs-details`, { GET: parts.logsDetails }],
    [`${INSTANCE}/purge-logs`, { POST: parts.purgeLogs }],
    [`${REGION}/logs/:logId`, { GET: parts.getLog }],
    [BACKUPS, { GET: backups.list, POST: backups.create }],
    [BACKUP, { GET: backups.get, PATCH: backups.update, DELETE: backups.remove }],
    [`${BACKUP}/export`, { POST: backups.export }],
    [`${BACKUP}/restore`, { POST: backups.restore }],
    [
      `${INSTANCE}/acls`,
      { GET: access.listAcls, PUT: access.setAcls, POST: access.addAcls, DELETE: access.deleteAcls },
    ],
    [`${INSTANCE}/privileges`, { GET: access.listPrivileges, PUT: access.setPrivilege }],
    [`${INSTANCE}/endpoints`, { POST: access.createEndpoint }],
    [ENDPOINT, { GET: access.getEndpoint, DELETE: access.deleteEndpoint }],
    [`${ENDPOINT}/migrate`, { POST: access.migrateEndpoint }],
    [`${REGION}/read-replicas`, { POST: replicas.create }],
    [READ_REPLICA, { GET: replicas.get, DELETE: replicas.remove }],
    [`${READ_REPLICA}/reset`, { POST: replicas.reset }],
    [`${READ_REPLICA}/promote`, { POST: replicas.promote }],
    [`${READ_REPLICA}/endpoints`, { POST: replicas.createEndpoints }],
    [`${REGION}/snapshots`, { GET: snapshots.list }],
    [`${INSTANCE}/snapshots`, { POST: snapshots.create }],
    [SNAPSHOT, { GET: snapshots.get, PATCH: snapshots.update, DELETE: snapshots.remove }],
    [`${SNAPSHOT}/create-instance`, { POST: snapshots.createInstance }],
    [`${CONTROL}/fail`, { POST: controls.failInstance }],
    [`${BACKUP_CONTROL}/fail`, { POST: controls.failBackup }],
    [`${CONTROL}/hold`, { POST: controls.holdInstance }],
    [`${CONTROL}/maintenances`, { POST: controls.scheduleMaintenance }],
    [
      `${CONTROL}/databases/:databaseName/tables/:table/rows`,
      { POST: controls.insertRows, GET: controls.readRows },
    ],
  ]);
}
