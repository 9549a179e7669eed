// The route table of the emulated Serverless SQL Database API (v1alpha1) and of its test control taking a backup on
// demand, each route naming its handler.
import { type Route, routeTable } from "../framework";
import { serverlessHandlers } from "./handlers";
import type { ServerlessStore } from "./store";

export const SERVERLESS_PREFIX = "/serverless-sqldb/v1alpha1/regions/:region";
export const SERVERLESS_CONTROL_PATH = "/_emulator/serverless/backups";
const ROWS_CONTROL_PATH = "/_emulator/serverless/databases/:databaseId/tables/:table/rows";

const DATABASES = `${SERVERLESS_PREFIX}/databases`;
const DATABASE = `${DATABASES}/:databaseId`;
const BACKUPS = `${SERVERLESS_PREFIX}/backups`;

export function serverlessRoutes(store: ServerlessStore): Route[] {
  const handlers = serverlessHandlers(store);
  return routeTable([
    [DATABASES, { POST: handlers.createDatabase, GET: handlers.listDatabases }],
    [
      DATABASE,
      { GET: handlers.getDatabase, PATCH: handlers.updateDatabase, DELETE: handlers.deleteDatabase },
    ],
    [`${DATABASE}/restore`, { POST: handlers.restoreDatabase }],
    [BACKUPS, { GET: handlers.listBackups }],
    [`${BACKUPS}/:backupId`, { GET: handlers.getBackup }],
    [`${BACKUPS}/:backupId/export`, { POST: handlers.exportBackup }],
    [SERVERLESS_CONTROL_PATH, { POST: handlers.takeBackupNow }],
    [ROWS_CONTROL_PATH, { POST: handlers.insertRows, GET: handlers.readRows }],
  ]);
}
