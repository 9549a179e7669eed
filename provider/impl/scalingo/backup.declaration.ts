// The `scalingo:DatabaseBackup` declaration: every input with its rule, default and change, and every output. Its
// API mapping is backup.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { timeoutsSchema } from "../scaleway/common-schemas";
import { addonIdSchema, appSchema } from "./schemas";

export const backupDeclaration = declareResource({
  kind: "scalingo:DatabaseBackup",
  summary: "one manual backup of a Scalingo database addon, optionally with a download link.",
  doc: [
    "A manual backup of a Scalingo database (PostgreSQL, MySQL, MongoDB…), created when the resource is created and " +
      "waited for until it is done. The resource id is `{app}/{addonId}/{backupId}`.",
    "Deleting: the Scalingo API has no way to delete a backup. Destroying or replacing this resource only removes it " +
      "from the stack (the console says so); the backup stays on Scalingo until it rotates out (the newest 10 manual " +
      "backups are kept on Starter plans, 50 on Business plans). For the same reason, a refresh after the backup " +
      "rotated out removes the resource from the stack.",
    "Interrupted creates: before asking for the backup, the provider lists the database's backups and writes a " +
      "marker file (in `$PULUMI_DBAAS_STATE_DIR/pending-creates`, default `~/.pulumi-dbaas/pending-creates`) naming " +
      "the backups that already existed. If the run stops before the backup is recorded, the next `up` of the same " +
      "resource finds the marker and adopts the oldest manual backup that is new since then and not failed, instead " +
      "of starting another one. Markers older than 24 hours are ignored; the marker is removed once the backup id is " +
      "in the stack's state.",
    "Download link: Scalingo's archive links are short-lived (minutes). The next `pulumi up` within a link's last " +
      "5 minutes, or after it expired, gets a new one; previews and refreshes never count an expiring or expired " +
      "link as a change, so `--expect-no-changes` drift checks keep passing. The class passes the time of each real " +
      "`up` as the hidden input `__appliedAt`, which is how the provider tells an `up` from a preview or a refresh.",
  ].join("\n\n"),
  inputs: {
    app: {
      doc: "The Scalingo application the database addon belongs to. Changing it replaces the backup.",
      type: "string",
      schema: appSchema,
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
    },
    addonId: {
      doc: "The database addon id (`ad-…`, as `scalingo addons` lists it). Changing it replaces the backup.",
      type: "string",
      schema: addonIdSchema,
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
    },
    exported: {
      doc:
        "Publish the archive's temporary download link as the secret output `downloadUrl` (with " +
        "`downloadUrlExpiresAt` when the link says when it expires). The next `pulumi up` within the link's last 5 " +
        "minutes, or after it expired, renews it; previews and refreshes never count that as a change. Default " +
        "false. Updates in place.",
      type: "boolean",
      schema: z.boolean().default(false),
      change: "update",
      whenUnset: "default",
      output: "boolean",
      readme: {
        change:
          "update: an expired link is renewed by the next `pulumi up`; previews and refreshes do not count it as a " +
          "change",
      },
    },
    adoptId: {
      doc:
        "Adopt an existing backup of this database (its Scalingo id) instead of starting one: Pulumi's own import " +
        "cannot reach dynamic providers. Never part of the diff.",
      type: "string",
      schema: z
        .string()
        .regex(
          /^[A-Za-z0-9]+$/,
          "must be the id of an existing backup of this database (scalingo backups lists them)",
        )
        .optional(),
      change: "never",
      readme: { change: "create takes over that backup" },
    },
    timeouts: {
      doc: 'How long create and update wait for the backup to finish (`"15m"`). Default 15m each; delete calls no API.',
      type: "{ create?: string; update?: string; delete?: string }",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "15m each" },
    },
  },
  hidden: { __identity: z.string().optional(), __appliedAt: z.string().optional() },
  outputs: {
    backupId: { doc: "The backup's id on Scalingo.", type: "string" },
    name: {
      doc: "Scalingo's name for it: creation time then database resource id (`20250301100000_my_app_1234`).",
      type: "string",
    },
    status: {
      doc: "`done` once created; `error` or `cancelled` mean the next `up` replaces it.",
      type: "string",
    },
    size: { doc: "Size in bytes.", type: "number | null" },
    method: { doc: "`manual` for backups made by this resource.", type: "string | null" },
    createdAt: { doc: "When the backup was made (RFC 3339).", type: "string" },
    startedAt: { doc: "When the backup started (RFC 3339), or null.", type: "string | null" },
    downloadUrl: {
      doc:
        "Secret: the temporary link to the backup's .tar.gz (null unless `exported`). Download it without auth " +
        "headers.",
      type: "string | null",
      secret: true,
    },
    downloadUrlExpiresAt: {
      doc: "When `downloadUrl` stops working (RFC 3339), or null when the link does not say.",
      type: "string | null",
    },
  },
  renewsDownloadUrl: true,
});

export const backupInputSchema = inputSchemaOf(backupDeclaration);
