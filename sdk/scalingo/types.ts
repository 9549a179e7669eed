// Models of the Scalingo main API and database API (camelCase), the zod schemas that check them once decoded from
// the wire (snake_case), and the request shapes of the client's methods.
import { z } from "zod";

export const SCALINGO_BACKUP_STATUSES = [
  "scheduled",
  "pending",
  "running",
  "done",
  "error",
  "cancelling",
  "cancelled",
] as const;
export type ScalingoBackupStatus = (typeof SCALINGO_BACKUP_STATUSES)[number];
export const SCALINGO_BACKUP_TRANSIENT_STATUSES: readonly string[] = [
  "scheduled",
  "pending",
  "running",
  "cancelling",
];
export const SCALINGO_BACKUP_FAILURE_STATUSES: readonly string[] = ["error", "cancelled"];

export const ScalingoBackupSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable().optional(),
  name: z.string(),
  /** Bytes; null until the backup has started. */
  size: z.number().nullable().optional(),
  /** Kept as a string so a status added later by Scalingo does not break parsing. */
  status: z.string(),
  databaseId: z.string(),
  /** `periodic` or `manual`. */
  method: z.string().optional(),
  type: z.string().optional(),
});
export type ScalingoBackup = z.infer<typeof ScalingoBackupSchema>;

export const ScalingoBackupEnvelopeSchema = z.object({ databaseBackup: ScalingoBackupSchema });
export const ScalingoBackupListSchema = z.object({ databaseBackups: z.array(ScalingoBackupSchema) });

export const ScalingoDatabaseSchema = z.object({
  id: z.string(),
  resourceId: z.string().optional(),
  appName: z.string().optional(),
  plan: z.string().optional(),
  status: z.string(),
  typeName: z.string().optional(),
  readableVersion: z.string().optional(),
  createdAt: z.string().optional(),
  features: z.array(z.object({ name: z.string(), status: z.string() })).optional(),
  periodicBackupsEnabled: z.boolean(),
  /** Hours of the day (UTC) periodic backups run at. */
  periodicBackupsScheduledAt: z.array(z.number().int()),
});
export type ScalingoDatabase = z.infer<typeof ScalingoDatabaseSchema>;
export const ScalingoDatabaseEnvelopeSchema = z.object({ database: ScalingoDatabaseSchema });

export const ScalingoAddonSchema = z.object({
  id: z.string(),
  appId: z.string().optional(),
  resourceId: z.string().optional(),
  status: z.string().optional(),
  plan: z.object({ name: z.string(), displayName: z.string().optional() }).optional(),
  addonProvider: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  provisionedAt: z.string().nullable().optional(),
});
export type ScalingoAddon = z.infer<typeof ScalingoAddonSchema>;
export const ScalingoAddonListSchema = z.object({ addons: z.array(ScalingoAddonSchema) });
export const ScalingoAddonTokenSchema = z.object({ addon: z.object({ token: z.string() }) });

export const ScalingoUserTokenSchema = z.object({ token: z.string() });

export const ScalingoRegionSchema = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  api: z.string(),
  databaseApi: z.string(),
  default: z.boolean().optional(),
});
export type ScalingoRegion = z.infer<typeof ScalingoRegionSchema>;
export const ScalingoRegionListSchema = z.object({ regions: z.array(ScalingoRegionSchema) });

export const ScalingoArchiveSchema = z.object({ downloadUrl: z.string() });

/** A temporary link to a backup's .tar.gz; download it without auth headers. */
export interface ScalingoBackupArchive {
  downloadUrl: string;
  /** When the presigned URL stops working, read from its signature parameters; undefined when they do not say. */
  expiresAt?: string;
}

const appName = z
  .string({ message: "is required: the application name" })
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must be an application name (lowercase letters, digits, dashes)");
const addonId = z
  .string({ message: "is required: the database addon id (ad-…)" })
  .regex(/^[A-Za-z0-9_-]+$/, "must be an addon id (letters, digits, dashes, underscores)");
const backupId = z
  .string({ message: "is required: the backup id" })
  .regex(/^[A-Za-z0-9_-]+$/, "must be a backup id (letters, digits, dashes, underscores)");

export const ScalingoAppRequestSchema = z.object({ app: appName });
export type ScalingoAppRequest = z.infer<typeof ScalingoAppRequestSchema>;

export const ScalingoDatabaseRequestSchema = z.object({ app: appName, addonId });
export type ScalingoDatabaseRequest = z.infer<typeof ScalingoDatabaseRequestSchema>;

export const ScalingoBackupRequestSchema = z.object({ app: appName, addonId, backupId });
export type ScalingoBackupRequest = z.infer<typeof ScalingoBackupRequestSchema>;

export const ScalingoUpdatePeriodicBackupsRequestSchema = z.object({
  app: appName,
  addonId,
  enabled: z.boolean().optional(),
  /** The API takes one hour and answers the list of scheduled hours. */
  hour: z.number().int("must be a whole hour").min(0, "must be 0–23").max(23, "must be 0–23").optional(),
});
export type ScalingoUpdatePeriodicBackupsRequest = z.infer<typeof ScalingoUpdatePeriodicBackupsRequestSchema>;
