// The emulated Scaleway Serverless SQL Database API (v1alpha1) as one emulator module.

export { BACKUP_INTERVAL_MS, BACKUP_RETENTION_MS, EXPORT_URL_TTL_MS, TIMINGS } from "./model";
export { createServerlessSqlModule, SERVERLESS_CONTROL_PATH, SERVERLESS_PREFIX } from "./module";
