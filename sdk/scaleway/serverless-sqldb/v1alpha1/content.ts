// Constants of the Serverless SQL Database v1alpha1 API: regions, statuses and orderings.

export const SERVERLESS_SQLDB_REGIONS = ["fr-par"] as const;

export const SERVERLESS_DATABASE_STATUSES = [
  "unknown_status",
  "error",
  "creating",
  "ready",
  "deleting",
  "restoring",
  "locked",
] as const;
export type ServerlessDatabaseStatus = (typeof SERVERLESS_DATABASE_STATUSES)[number];

export const SERVERLESS_DATABASE_TRANSIENT_STATUSES: readonly ServerlessDatabaseStatus[] = [
  "creating",
  "deleting",
  "restoring",
];
export const SERVERLESS_DATABASE_FAILURE_STATUSES: readonly ServerlessDatabaseStatus[] = ["error", "locked"];

export const SERVERLESS_BACKUP_STATUSES = ["unknown_status", "error", "ready", "locked"] as const;
export type ServerlessBackupStatus = (typeof SERVERLESS_BACKUP_STATUSES)[number];
export const SERVERLESS_BACKUP_FAILURE_STATUSES: readonly ServerlessBackupStatus[] = ["error", "locked"];

export const SERVERLESS_DATABASE_ORDER_BY = [
  "created_at_asc",
  "created_at_desc",
  "name_asc",
  "name_desc",
] as const;
export const SERVERLESS_BACKUP_ORDER_BY = ["created_at_desc", "created_at_asc"] as const;
