// Constants of the RDB v1 API: regions, statuses (and which of them are transient or failures), orderings, the
// permissions a privilege grants.

export const RDB_REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;

export const INSTANCE_STATUSES = [
  "unknown",
  "ready",
  "provisioning",
  "configuring",
  "deleting",
  "error",
  "autohealing",
  "locked",
  "initializing",
  "disk_full",
  "backuping",
  "snapshotting",
  "restarting",
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const INSTANCE_TRANSIENT_STATUSES: readonly InstanceStatus[] = [
  "provisioning",
  "configuring",
  "deleting",
  "autohealing",
  "initializing",
  "backuping",
  "snapshotting",
  "restarting",
];

export const INSTANCE_FAILURE_STATUSES: readonly InstanceStatus[] = ["error", "locked"];

export const DATABASE_BACKUP_STATUSES = [
  "unknown",
  "creating",
  "ready",
  "restoring",
  "deleting",
  "error",
  "exporting",
  "locked",
] as const;
export type DatabaseBackupStatus = (typeof DATABASE_BACKUP_STATUSES)[number];

export const DATABASE_BACKUP_TRANSIENT_STATUSES: readonly DatabaseBackupStatus[] = [
  "creating",
  "restoring",
  "deleting",
  "exporting",
];

export const DATABASE_BACKUP_FAILURE_STATUSES: readonly DatabaseBackupStatus[] = ["error", "locked"];

export const INSTANCE_LOG_STATUSES = ["unknown", "ready", "creating", "error"] as const;
export type InstanceLogStatus = (typeof INSTANCE_LOG_STATUSES)[number];
export const INSTANCE_LOG_TRANSIENT_STATUSES: readonly InstanceLogStatus[] = ["creating"];
export const INSTANCE_LOG_FAILURE_STATUSES: readonly InstanceLogStatus[] = ["error"];

export const READ_REPLICA_STATUSES = [
  "unknown",
  "provisioning",
  "initializing",
  "ready",
  "deleting",
  "error",
  "locked",
  "configuring",
  "promoting",
] as const;
export type ReadReplicaStatus = (typeof READ_REPLICA_STATUSES)[number];

export const READ_REPLICA_TRANSIENT_STATUSES: readonly ReadReplicaStatus[] = [
  "provisioning",
  "initializing",
  "deleting",
  "configuring",
  "promoting",
];

export const READ_REPLICA_FAILURE_STATUSES: readonly ReadReplicaStatus[] = ["error", "locked"];

export const SNAPSHOT_STATUSES = [
  "unknown",
  "creating",
  "ready",
  "restoring",
  "deleting",
  "error",
  "locked",
] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

export const SNAPSHOT_TRANSIENT_STATUSES: readonly SnapshotStatus[] = ["creating", "restoring", "deleting"];
export const SNAPSHOT_FAILURE_STATUSES: readonly SnapshotStatus[] = ["error", "locked"];

/** What a user may do on a database: `none` revokes, `custom` reports grants made outside the API (never sent). */
export const PERMISSIONS = ["readonly", "readwrite", "all", "custom", "none"] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** An instance has at most this many read replicas. */
export const MAX_READ_REPLICAS_PER_INSTANCE = 3;

export const MAINTENANCE_STATUSES = ["unknown", "pending", "done", "canceled", "ongoing"] as const;

export const VOLUME_TYPES = ["lssd", "bssd", "sbs_5k", "sbs_15k"] as const;

export const INSTANCE_ORDER_BY = [
  "created_at_asc",
  "created_at_desc",
  "name_asc",
  "name_desc",
  "region",
  "status_asc",
  "status_desc",
] as const;

export const DATABASE_BACKUP_ORDER_BY = [
  "created_at_asc",
  "created_at_desc",
  "name_asc",
  "name_desc",
  "status_asc",
  "status_desc",
] as const;

export const SNAPSHOT_ORDER_BY = [
  "created_at_asc",
  "created_at_desc",
  "name_asc",
  "name_desc",
  "expires_at_asc",
  "expires_at_desc",
] as const;

export const PRIVILEGE_ORDER_BY = [
  "user_name_asc",
  "user_name_desc",
  "database_name_asc",
  "database_name_desc",
] as const;

export const INSTANCE_LOG_ORDER_BY = ["created_at_asc", "created_at_desc"] as const;
export const NAME_ORDER_BY = ["name_asc", "name_desc"] as const;

/** The engine families the service runs; an engine is named `{family}-{major version}` (`PostgreSQL-16`). */
export const ENGINE_FAMILIES = ["PostgreSQL", "MySQL"] as const;

/** What the service accepts as a user's password: its length, and the kinds of character it must contain. */
export const PASSWORD_POLICY = {
  minLength: 8,
  maxLength: 128,
  mustContain: { digit: /[0-9]/, uppercase: /[A-Z]/, lowercase: /[a-z]/, special: /[^A-Za-z0-9]/ },
} as const;
