// The `scaleway:DatabaseBackup` declaration: every input with its rule, default and change, and every output. Its
// API mapping is backup.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { databaseNameSchema, regionalIdSchema, timeoutsSchema } from "./common-schemas";

export const backupDeclaration = declareResource({
  kind: "scaleway:DatabaseBackup",
  summary: "a logical backup of one database of a Scaleway RDB instance, optionally exported.",
  doc:
    "A logical backup of one database of an RDB instance. With `exported: true` its download URL is renewed by the " +
    "next `pulumi up` within an hour of its expiry, or after it. Previews and refreshes never count an expiring or " +
    "expired URL as a change, so `pulumi refresh --expect-no-changes` and `pulumi preview --refresh " +
    "--expect-no-changes` keep passing: the class passes the time of each real `up` as the hidden input " +
    "`__appliedAt`, which is how the provider tells an `up` from a preview or a refresh.",
  inputs: {
    instanceId: {
      doc: "The instance to back up (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the backup.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
    },
    databaseName: {
      doc: "The logical database to back up. Default `rdb`, the database every new instance has. Changing it replaces.",
      type: "string",
      schema: databaseNameSchema.default("rdb"),
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
    },
    name: {
      doc:
        "Backup name. Default: the resource name plus 7 characters derived from project, stack and resource name " +
        "(so an interrupted create is found again by name). Updates in place.",
      type: "string",
      schema: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "string",
      readme: { default: "resource name + 7 characters derived from project, stack and resource name" },
    },
    expiresAt: {
      doc: "Expiry date (RFC 3339), which must be in the future. Default: never. Updates in place.",
      type: "string",
      schema: z.iso
        .datetime({ offset: true, message: "must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z" })
        .optional(),
      change: "update",
      compare: "instant",
      whenUnset: "unmanaged",
      output: "string | null",
      readme: { input: "`expiresAt` (RFC 3339, in the future)", default: "never" },
    },
    exported: {
      doc:
        "Export the backup so it can be downloaded: `downloadUrl` (secret) and `downloadUrlExpiresAt` become " +
        "outputs. The URL lives 24 hours; the next `pulumi up` within its last hour, or after it expired, renews " +
        "it. Default false. Updates in place.",
      type: "boolean",
      schema: z.boolean().default(false),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
      readme: {
        change:
          "update: exports the backup; an expired URL is renewed by the next `pulumi up`; previews and refreshes " +
          "do not count it as a change",
      },
    },
    adoptId: {
      doc: "Adopt an existing backup (`{region}/{uuid}`) instead of creating one. Never part of the diff.",
      type: "string",
      schema: regionalIdSchema("backup").optional(),
      change: "never",
      readme: { change: "create takes over that backup" },
    },
    timeouts: {
      doc: 'Deadlines for create, update and delete (`"15m"`). Default 15m each.',
      type: "{ create?: string; update?: string; delete?: string }",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "15m each" },
    },
  },
  hidden: {
    __identity: z.string().optional(),
    __autoName: z.string().optional(),
    __appliedAt: z.string().optional(),
  },
  outputs: {
    status: { doc: "The backup's status (`creating`, `ready`, `exporting`, `error`…).", type: "string" },
    size: { doc: "Size in bytes, once the backup is ready.", type: "number | null" },
    instanceName: { doc: "The name of the instance backed up.", type: "string" },
    createdAt: { doc: "When the backup was made (RFC 3339).", type: "string" },
    updatedAt: { doc: "When the backup last changed (RFC 3339), or null.", type: "string | null" },
    region: { doc: "The backup's region.", type: "string" },
    sameRegion: { doc: "Whether the backup is stored in the instance's region.", type: "boolean" },
    downloadUrl: {
      doc: "Secret: the presigned URL of the exported backup (null unless `exported`).",
      type: "string | null",
      secret: true,
    },
    downloadUrlExpiresAt: {
      doc: "When `downloadUrl` stops working (RFC 3339), or null.",
      type: "string | null",
    },
    backupId: {
      doc: "The backup UUID without the region (the resource id is `{region}/{uuid}`).",
      type: "string",
    },
  },
  renewsDownloadUrl: true,
});

export const backupInputSchema = inputSchemaOf(backupDeclaration);
