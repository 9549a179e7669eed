// Scaleway Managed Databases (RDB v1) resources and lookups, exported as `scaleway.*`.
export { BackupRestore, type BackupRestoreArgs } from "./backup-restore";
export { BackupSchedule, type BackupScheduleArgs } from "./backup-schedule";
export { Database, type DatabaseArgs } from "./database";
export { DatabaseBackup, type DatabaseBackupArgs } from "./database-backup";
export { DatabaseInstance, type DatabaseInstanceArgs } from "./database-instance";
export {
  getDatabase,
  getDatabaseBackup,
  getInstance,
  getPrivilege,
  getUser,
  listDatabaseBackups,
} from "./lookups";
export { Privilege, type PrivilegeArgs } from "./privilege";
export type { Endpoint, LogsPolicy, Timeouts } from "./types";
export { User, type UserArgs } from "./user";
