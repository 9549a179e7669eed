// Scalingo database backup resources, exported as `scalingo.*`.
export { BackupSchedule, type BackupScheduleArgs } from "./backup-schedule";
export { DatabaseBackup, type DatabaseBackupArgs } from "./database-backup";
