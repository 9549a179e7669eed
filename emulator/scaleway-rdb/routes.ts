// The route table of the emulated Scaleway RDB v1 API: every /rdb/v1/regions/:region route and the module's test
// controls under /_emulator/scaleway-rdb/, each naming its handler.
import type { Route } from "../framework";
import { backupHandlers } from "./backup-handlers";
import { catalogueHandlers } from "./catalogue-handlers";
import { controlHandlers } from "./control-handlers";
import { instanceHandlers } from "./instance-handlers";
import { instancePartHandlers } from "./instance-part-handlers";
import type { RdbStore } from "./store";

const REGION = "/rdb/v1/regions/:region";
const INSTANCES = `${REGION}/instances`;
const INSTANCE = `${INSTANCES}/:instanceId`;
const BACKUPS = `${REGION}/backups`;
const BACKUP = `${BACKUPS}/:backupId`;
const CONTROL = "/_emulator/scaleway-rdb/instances/:instanceId";
const BACKUP_CONTROL = "/_emulator/scaleway-rdb/backups/:backupId";

export function rdbRoutes(store: RdbStore): Route[] {
  const catalogue = catalogueHandlers(store);
  const instances = instanceHandlers(store);
  const parts = instancePartHandlers(store);
  const backups = backupHandlers(store);
  const controls = controlHandlers(store);
  return [
    { method: "GET", pattern: `${REGION}/database-engines`, handler: catalogue.databaseEngines },
    { method: "GET", pattern: `${REGION}/node-types`, handler: catalogue.nodeTypes },
    { method: "GET", pattern: INSTANCES, handler: instances.list },
    { method: "POST", pattern: INSTANCES, handler: instances.create },
    { method: "GET", pattern: INSTANCE, handler: instances.get },
    { method: "PATCH", pattern: INSTANCE, handler: instances.update },
    { method: "DELETE", pattern: INSTANCE, handler: instances.remove },
    { method: "POST", pattern: `${INSTANCE}/upgrade`, handler: instances.upgrade },
    { method: "POST", pattern: `${INSTANCE}/clone`, handler: instances.clone },
    { method: "POST", pattern: `${INSTANCE}/restart`, handler: instances.restart },
    { method: "POST", pattern: `${INSTANCE}/apply-maintenance`, handler: instances.applyMaintenance },
    { method: "GET", pattern: `${INSTANCE}/certificate`, handler: instances.certificate },
    { method: "POST", pattern: `${INSTANCE}/renew-certificate`, handler: instances.renewCertificate },
    { method: "GET", pattern: `${INSTANCE}/metrics`, handler: instances.metrics },
    { method: "PUT", pattern: `${INSTANCE}/settings`, handler: parts.setSettings },
    { method: "POST", pattern: `${INSTANCE}/settings`, handler: parts.addSettings },
    { method: "DELETE", pattern: `${INSTANCE}/settings`, handler: parts.deleteSettings },
    { method: "GET", pattern: `${INSTANCE}/databases`, handler: parts.listDatabases },
    { method: "POST", pattern: `${INSTANCE}/databases`, handler: parts.createDatabase },
    { method: "DELETE", pattern: `${INSTANCE}/databases/:databaseName`, handler: parts.deleteDatabase },
    { method: "GET", pattern: `${INSTANCE}/users`, handler: parts.listUsers },
    { method: "POST", pattern: `${INSTANCE}/users`, handler: parts.createUser },
    { method: "PATCH", pattern: `${INSTANCE}/users/:userName`, handler: parts.updateUser },
    { method: "DELETE", pattern: `${INSTANCE}/users/:userName`, handler: parts.deleteUser },
    { method: "POST", pattern: `${INSTANCE}/prepare-logs`, handler: parts.prepareLogs },
    { method: "GET", pattern: `${INSTANCE}/logs`, handler: parts.listLogs },
    { method: "GET", pattern: `${INSTANCE}/logs-details`, handler: parts.logsDetails },
    { method: "POST", pattern: `${INSTANCE}/purge-logs`, handler: parts.purgeLogs },
    { method: "GET", pattern: `${REGION}/logs/:logId`, handler: parts.getLog },
    { method: "GET", pattern: BACKUPS, handler: backups.list },
    { method: "POST", pattern: BACKUPS, handler: backups.create },
    { method: "GET", pattern: BACKUP, handler: backups.get },
    { method: "PATCH", pattern: BACKUP, handler: backups.update },
    { method: "DELETE", pattern: BACKUP, handler: backups.remove },
    { method: "POST", pattern: `${BACKUP}/export`, handler: backups.export },
    { method: "POST", pattern: `${BACKUP}/restore`, handler: backups.restore },
    { method: "POST", pattern: `${CONTROL}/fail`, handler: controls.failInstance },
    { method: "POST", pattern: `${BACKUP_CONTROL}/fail`, handler: controls.failBackup },
    { method: "POST", pattern: `${CONTROL}/maintenances`, handler: controls.scheduleMaintenance },
    {
      method: "POST",
      pattern: `${CONTROL}/databases/:databaseName/tables/:table/rows`,
      handler: controls.insertRows,
    },
    {
      method: "GET",
      pattern: `${CONTROL}/databases/:databaseName/tables/:table/rows`,
      handler: controls.readRows,
    },
  ];
}
