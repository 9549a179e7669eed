// Models (camelCase) of the Serverless SQL Database v1alpha1 API as zod schemas, responses and requests.
// Backups cannot be created or deleted through the API: they are daily and automatic.
import { z } from "zod";
import {
  SERVERLESS_BACKUP_ORDER_BY,
  SERVERLESS_BACKUP_STATUSES,
  SERVERLESS_DATABASE_ORDER_BY,
  SERVERLESS_DATABASE_STATUSES,
} from "./content";

export const ServerlessDatabaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(SERVERLESS_DATABASE_STATUSES).catch("unknown_status"),
  /** `postgres://…` without credentials. */
  endpoint: z.string(),
  organizationId: z.string(),
  projectId: z.string(),
  region: z.string(),
  createdAt: z.string().nullable(),
  cpuMin: z.number().int(),
  cpuMax: z.number().int(),
  cpuCurrent: z.number().int(),
  started: z.boolean(),
  engineMajorVersion: z.number().int(),
});
export type ServerlessDatabase = z.infer<typeof ServerlessDatabaseSchema>;

export const ListServerlessDatabasesResponseSchema = z.object({
  databases: z.array(ServerlessDatabaseSchema),
  totalCount: z.number().int(),
});
export type ListServerlessDatabasesResponse = z.infer<typeof ListServerlessDatabasesResponseSchema>;

export const ServerlessBackupSchema = z.object({
  id: z.string(),
  status: z.enum(SERVERLESS_BACKUP_STATUSES).catch("unknown_status"),
  organizationId: z.string(),
  projectId: z.string(),
  databaseId: z.string(),
  createdAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Bytes of the backup file; null until exported. */
  size: z.number().int().nullable(),
  dbSize: z.number().int().nullable(),
  /** Presigned URL (its query string is a credential); empty or null until an export completes. */
  downloadUrl: z.string().nullable(),
  downloadUrlExpiresAt: z.string().nullable(),
  region: z.string(),
});
export type ServerlessBackup = z.infer<typeof ServerlessBackupSchema>;

export const ListServerlessBackupsResponseSchema = z.object({
  backups: z.array(ServerlessBackupSchema),
  totalCount: z.number().int(),
});
export type ListServerlessBackupsResponse = z.infer<typeof ListServerlessBackupsResponseSchema>;

const region = z.string().optional();
const id = z.string().min(1);
const page = z.number().int().min(1).optional();
const pageSize = z.number().int().min(1).max(100).optional();
const cpu = { cpuMin: z.number().int().min(0).max(15), cpuMax: z.number().int().min(1).max(15) };

export const CreateServerlessDatabaseRequestSchema = z
  .object({
    region,
    projectId: z.string().optional(),
    name: z.string().min(1).max(63),
    cpuMin: cpu.cpuMin,
    cpuMax: cpu.cpuMax,
    fromBackupId: z.string().min(1).optional(),
  })
  .refine((r) => r.cpuMin <= r.cpuMax, "cpuMin must not exceed cpuMax");
export type CreateServerlessDatabaseRequest = z.input<typeof CreateServerlessDatabaseRequestSchema>;

export const ServerlessDatabaseRequestSchema = z.object({ region, databaseId: id });
export type ServerlessDatabaseRequest = z.input<typeof ServerlessDatabaseRequestSchema>;

export const ListServerlessDatabasesRequestSchema = z.object({
  region,
  projectId: z.string().optional(),
  organizationId: z.string().optional(),
  name: z.string().optional(),
  orderBy: z.enum(SERVERLESS_DATABASE_ORDER_BY).optional(),
  page,
  pageSize,
});
export type ListServerlessDatabasesRequest = z.input<typeof ListServerlessDatabasesRequestSchema>;

export const UpdateServerlessDatabaseRequestSchema = z.object({
  region,
  databaseId: id,
  cpuMin: cpu.cpuMin.optional(),
  cpuMax: cpu.cpuMax.optional(),
});
export type UpdateServerlessDatabaseRequest = z.input<typeof UpdateServerlessDatabaseRequestSchema>;

export const RestoreServerlessDatabaseRequestSchema = z.object({ region, databaseId: id, backupId: id });
export type RestoreServerlessDatabaseRequest = z.input<typeof RestoreServerlessDatabaseRequestSchema>;

export const ListServerlessBackupsRequestSchema = z.object({
  region,
  databaseId: z.string().optional(),
  projectId: z.string().optional(),
  organizationId: z.string().optional(),
  orderBy: z.enum(SERVERLESS_BACKUP_ORDER_BY).optional(),
  page,
  pageSize,
});
export type ListServerlessBackupsRequest = z.input<typeof ListServerlessBackupsRequestSchema>;

export const ServerlessBackupRequestSchema = z.object({ region, backupId: id });
export type ServerlessBackupRequest = z.input<typeof ServerlessBackupRequestSchema>;
