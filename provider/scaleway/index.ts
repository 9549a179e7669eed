// Scaleway Managed Databases (RDB v1) resources and lookups, exported as `scaleway.*`.
export { BackupRestore, type BackupRestoreArgs } from "./backup-restore";
export { BackupSchedule, type BackupScheduleArgs } from "./backup-schedule";
export { DatabaseBackup, type DatabaseBackupArgs } from "./database-backup";
export { DatabaseInstance, type DatabaseInstanceArgs } from "./database-instance";
export { getDatabaseBackup, getInstance, listDatabaseBackups } from "./lookups";
export type { Endpoint, LogsPolicy, Timeouts } from "./types";
