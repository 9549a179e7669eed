// The `scaleway:BackupRestore` declaration: every input with its rule and change, and every output. Its API mapping
// is restore.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { databaseNameSchema, regionalIdSchema } from "./common-schemas";

export const restoreDeclaration = declareResource({
  kind: "scaleway:BackupRestore",
  summary: "restores a backup into a database of an instance; any change of its inputs restores again.",
  doc:
    "A restore of a backup into a database of an instance. Deleting it does nothing remote: a restore cannot be " +
    "undone.",
  inputs: {
    backupId: {
      doc: "The backup to restore (`{region}/{uuid}`, e.g. `backup.id`). Changing it restores again.",
      type: "string",
      schema: regionalIdSchema("backup"),
      change: "replace",
      compare: "json",
      whenUnset: "unmanaged",
      output: "string",
    },
    instanceId: {
      doc: "The target instance (`{region}/{uuid}`). Changing it restores again.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      compare: "json",
      whenUnset: "unmanaged",
      output: "string",
    },
    databaseName: {
      doc: "The target database. Default: the backup's database name. Changing it restores again.",
      type: "string",
      schema: databaseNameSchema.optional(),
      change: "replace",
      compare: "json",
      whenUnset: "unmanaged",
      output: "string",
      readme: { default: "the backup's" },
    },
    triggers: {
      doc: "Any values: when one changes, the backup is restored again.",
      type: "Record<string, pulumi.Input<unknown>>",
      schema: z.record(z.string(), z.unknown()).optional(),
      change: "replace",
      compare: "json",
      whenUnset: "unmanaged",
    },
    timeouts: {
      doc: 'Deadline for the restore (`"30m"`). Default 30m.',
      type: "{ create?: string }",
      schema: z
        .object({ create: z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/, 'must be a duration such as "20m"') })
        .partial()
        .strict()
        .optional(),
      change: "never",
      readme: { default: "30m" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    restoredAt: { doc: "When the restore finished (RFC 3339).", type: "string" },
    status: { doc: "The target instance's status after the restore.", type: "string" },
  },
});

export const restoreInputSchema = inputSchemaOf(restoreDeclaration);
