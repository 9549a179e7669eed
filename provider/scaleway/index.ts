// Scaleway Managed Databases (RDB v1) resources and lookups, exported as `scaleway.*`.
export { Acl, type AclArgs } from "./acl";
export { BackupRestore, type BackupRestoreArgs } from "./backup-restore";
export { BackupSchedule, type BackupScheduleArgs } from "./backup-schedule";
export { DatabaseBackup, type DatabaseBackupArgs } from "./database-backup";
export { DatabaseInstance, type DatabaseInstanceArgs } from "./database-instance";
export {
  getAcl,
  getDatabaseBackup,
  getInstance,
  getReadReplica,
  getSnapshot,
  listDatabaseBackups,
  listSnapshots,
} from "./lookups";
export { ReadReplica, type ReadReplicaArgs } from "./read-replica";
export { Snapshot, type SnapshotArgs } from "./snapshot";
export type {
  AclRule,
  Endpoint,
  LogsPolicy,
  PrivateNetwork,
  ReadReplicaEndpoint,
  Timeouts,
} from "./types";
