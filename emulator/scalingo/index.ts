// The emulated Scalingo APIs (auth, main API, database API) as one emulator module.

export { DEFAULT_SCALINGO_API_TOKEN, scalingoEnvironment } from "./environment";
export { DEFAULT_PERIODIC_BACKUP_HOURS, MANUAL_BACKUPS_KEPT } from "./model";
export {
  API_PREFIX,
  ARCHIVE_URL_TTL_MS,
  AUTH_PREFIX,
  createScalingoModule,
  DB_API_PREFIX,
  MAIN_API_RATE_LIMIT,
  REGION_NAME,
  SCALINGO_CONTROL_PATH,
} from "./module";
