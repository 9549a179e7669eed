// Scaleway Serverless SQL Database resources and lookups, exported as `serverless.*`.
export { BackupExport, type BackupExportArgs } from "./backup-export";
export { getBackup, getLatestBackup, listBackups } from "./lookups";
