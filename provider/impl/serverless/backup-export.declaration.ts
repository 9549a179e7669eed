// The `serverless:BackupExport` declaration: its input with its rule and change, and every output. Its API mapping
// is backup-export.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { SERVERLESS_SQLDB_REGIONS } from "../../../sdk";
import { declareResource, inputSchemaOf } from "../declaration";
import { regionalIdSchema, timeoutsSchema } from "../scaleway/common-schemas";

export const backupExportDeclaration = declareResource({
  kind: "serverless:BackupExport",
  summary: "keeps an automatic Serverless SQL Database backup exported and its download URL fresh.",
  doc:
    "Exports a backup and exposes its download URL. The URL lives 24 hours; the next `pulumi up` within its last " +
    "hour, or after it expired, renews it, and nothing else ever changes. Previews and refreshes never count an " +
    "expiring or expired URL as a change, so `pulumi refresh --expect-no-changes` and `pulumi preview --refresh " +
    "--expect-no-changes` keep passing: the class passes the time of each real `up` as the hidden input " +
    "`__appliedAt`. Deleting the resource deletes nothing remotely: the service expires backups on its own.",
  inputs: {
    backupId: {
      doc:
        "The backup to export (`{region}/{uuid}`, or a UUID in the default region), e.g. from `getLatestBackup`. " +
        "Backups are taken daily by the service and deleted after 7 days. Changing it replaces the resource.",
      type: "string",
      schema: regionalIdSchema("backup").refine(
        (id) =>
          !id.includes("/") || (SERVERLESS_SQLDB_REGIONS as readonly string[]).includes(id.split("/")[0]),
        `must be in a region where Serverless SQL exists (${SERVERLESS_SQLDB_REGIONS.join(", ")})`,
      ),
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
    },
    timeouts: {
      doc: 'Deadlines for the export on create and on renewal (update), e.g. `"15m"`. Default 15m.',
      type: "{ create?: string; update?: string; delete?: string }",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "15m" },
    },
  },
  hidden: { __identity: z.string().optional(), __appliedAt: z.string().optional() },
  outputs: {
    databaseId: { doc: "`{region}/{uuid}` of the database the backup was taken from.", type: "string" },
    status: { doc: "`ready`, `locked`, `error` or `unknown_status`.", type: "string" },
    size: { doc: "Size in bytes of the exported file (null until exported).", type: "number | null" },
    createdAt: { doc: "When the service took the backup (RFC 3339).", type: "string | null" },
    expiresAt: {
      doc: "When the service deletes the backup (7 days after it was taken).",
      type: "string | null",
    },
    region: { doc: "The backup's region.", type: "string" },
    downloadUrl: {
      doc: "Secret: the presigned URL of the exported pg_dump file; download it without credentials.",
      type: "string",
      secret: true,
    },
    downloadUrlExpiresAt: { doc: "When `downloadUrl` stops working (RFC 3339).", type: "string" },
  },
  renewsDownloadUrl: true,
});

export const backupExportInputSchema = inputSchemaOf(backupExportDeclaration);
