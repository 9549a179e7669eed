// The route table of the emulated Scalingo APIs — auth, main API and database API, each under the path prefix
// standing for its host — and of the module's test control creating database addons.
import { type EmulatorOptions, type Route, routeTable } from "../framework";
import { scalingoHandlers } from "./handlers";
import { API_PREFIX, AUTH_PREFIX, DB_API_PREFIX, SCALINGO_CONTROL_PATH } from "./hosts";
import type { ScalingoStore } from "./store";

const ADDON = `${API_PREFIX}/v1/apps/:app/addons/:addonId`;
const DATABASE = `${DB_API_PREFIX}/api/databases/:db`;
const BACKUP = `${DATABASE}/backups/:backupId`;

export function scalingoRoutes(store: ScalingoStore, options: EmulatorOptions): Route[] {
  const handlers = scalingoHandlers(store, options);
  return routeTable([
    [`${AUTH_PREFIX}/v1/tokens/exchange`, { POST: handlers.exchangeToken }],
    [`${AUTH_PREFIX}/v1/regions`, { GET: handlers.listRegions }],
    [`${API_PREFIX}/v1/apps/:app/addons`, { GET: handlers.listAddons }],
    [`${API_PREFIX}/v1/apps/:app/variables`, { GET: handlers.listVariables }],
    [ADDON, { GET: handlers.showAddon }],
    [`${ADDON}/token`, { POST: handlers.mintAddonToken }],
    [DATABASE, { GET: handlers.showDatabase, PATCH: handlers.updateDatabase, PUT: handlers.updateDatabase }],
    [`${DATABASE}/backups`, { GET: handlers.listBackups, POST: handlers.createBackup }],
    [BACKUP, { GET: handlers.showBackup }],
    [`${BACKUP}/archive`, { GET: handlers.backupArchive }],
    [`${DB_API_PREFIX}/api/backups/:backupId`, { GET: handlers.showBackupById }],
    [SCALINGO_CONTROL_PATH, { POST: handlers.createDatabase }],
  ]);
}
