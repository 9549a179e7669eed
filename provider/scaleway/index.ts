// Scaleway Managed Databases (RDB v1) resources and lookups, exported as `scaleway.*`.
export { Acl, type AclArgs } from "./acl";
export { BackupRestore, type BackupRestoreArgs } from "./backup-restore";
export { BackupSchedule, type BackupScheduleArgs } from "./backup-schedule";
export { Database, type DatabaseArgs } from "./database";
export { DatabaseBackup, type DatabaseBackupArgs } from "./database-backup";
export { DatabaseInstance, type DatabaseInstanceArgs } from "./database-instance";
export {
  getAcl,
  getDatabase,
  getDatabaseBackup,
  getInstance,
  getPrivilege,
  getReadReplica,
  getSnapshot,
  getUser,
  listDatabaseBackups,
  listSnapshots,
} from "./lookups";
export { Privilege, type PrivilegeArgs } from "./privilege";
export { ReadReplica, type ReadReplicaArgs } from "./read-replica";
export { Snapshot, type SnapshotArgs } from "./snapshot";
export type {
  AclRule,
  Endpoint,
  InstanceEndpoint,
  LogsPolicy,
  PrivateNetwork,
  ReadReplicaEndpoint,
  Timeouts,
} from "./types";
export { User, type UserArgs } from "./user";
