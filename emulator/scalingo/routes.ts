// The route table of the emulated Scalingo APIs — auth, main API and database API, each under the path prefix
// standing for its host — and of the module's test control creating database addons.
import type { EmulatorOptions, Route } from "../framework";
import { scalingoHandlers } from "./handlers";
import { API_PREFIX, AUTH_PREFIX, DB_API_PREFIX, SCALINGO_CONTROL_PATH } from "./hosts";
import type { ScalingoStore } from "./store";

const ADDON = `${API_PREFIX}/v1/apps/:app/addons/:addonId`;
const DATABASE = `${DB_API_PREFIX}/api/databases/:db`;
const BACKUP = `${DATABASE}/backups/:backupId`;

export function scalingoRoutes(store: ScalingoStore, options: EmulatorOptions): Route[] {
  const handlers = scalingoHandlers(store, options);
  return [
    { method: "POST", pattern: `${AUTH_PREFIX}/v1/tokens/exchange`, handler: handlers.exchangeToken },
    { method: "GET", pattern: `${AUTH_PREFIX}/v1/regions`, handler: handlers.listRegions },
    { method: "GET", pattern: `${API_PREFIX}/v1/apps/:app/addons`, handler: handlers.listAddons },
    { method: "GET", pattern: ADDON, handler: handlers.showAddon },
    { method: "POST", pattern: `${ADDON}/token`, handler: handlers.mintAddonToken },
    { method: "GET", pattern: DATABASE, handler: handlers.showDatabase },
    { method: "PATCH", pattern: DATABASE, handler: handlers.updateDatabase },
    { method: "PUT", pattern: DATABASE, handler: handlers.updateDatabase },
    { method: "GET", pattern: `${DATABASE}/backups`, handler: handlers.listBackups },
    { method: "POST", pattern: `${DATABASE}/backups`, handler: handlers.createBackup },
    { method: "GET", pattern: BACKUP, handler: handlers.showBackup },
    { method: "GET", pattern: `${BACKUP}/archive`, handler: handlers.backupArchive },
    { method: "GET", pattern: `${DB_API_PREFIX}/api/backups/:backupId`, handler: handlers.showBackupById },
    { method: "POST", pattern: SCALINGO_CONTROL_PATH, handler: handlers.createDatabase },
  ];
}
