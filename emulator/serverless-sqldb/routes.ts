// The route table of the emulated Serverless SQL Database API (v1alpha1) and of its test control taking a backup on
// demand, each route naming its handler.
import type { Route } from "../framework";
import { serverlessHandlers } from "./handlers";
import type { ServerlessStore } from "./store";

export const SERVERLESS_PREFIX = "/serverless-sqldb/v1alpha1/regions/:region";
export const SERVERLESS_CONTROL_PATH = "/_emulator/serverless/backups";

const DATABASES = `${SERVERLESS_PREFIX}/databases`;
const DATABASE = `${DATABASES}/:databaseId`;
const BACKUPS = `${SERVERLESS_PREFIX}/backups`;

export function serverlessRoutes(store: ServerlessStore): Route[] {
  const handlers = serverlessHandlers(store);
  return [
    { method: "POST", pattern: DATABASES, handler: handlers.createDatabase },
    { method: "GET", pattern: DATABASES, handler: handlers.listDatabases },
    { method: "GET", pattern: DATABASE, handler: handlers.getDatabase },
    { method: "PATCH", pattern: DATABASE, handler: handlers.updateDatabase },
    { method: "DELETE", pattern: DATABASE, handler: handlers.deleteDatabase },
    { method: "POST", pattern: `${DATABASE}/restore`, handler: handlers.restoreDatabase },
    { method: "GET", pattern: BACKUPS, handler: handlers.listBackups },
    { method: "GET", pattern: `${BACKUPS}/:backupId`, handler: handlers.getBackup },
    { method: "POST", pattern: `${BACKUPS}/:backupId/export`, handler: handlers.exportBackup },
    { method: "POST", pattern: SERVERLESS_CONTROL_PATH, handler: handlers.takeBackupNow },
  ];
}
