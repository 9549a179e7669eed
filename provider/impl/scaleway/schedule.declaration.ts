// The `scaleway:BackupSchedule` declaration: every input with its rule, default and change, and every output. Its
// API mapping is schedule.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { regionalIdSchema } from "./common-schemas";

export const scheduleDeclaration = declareResource({
  kind: "scaleway:BackupSchedule",
  summary: "the automatic backup policy of one Scaleway RDB instance.",
  doc:
    "The automatic backup policy of one RDB instance; its id is the instance's id. Creating it takes over the " +
    "instance's existing policy (no adoptId needed); deleting it restores the service defaults (enabled, every 24 " +
    "hours, kept 7 days) and never deletes backups.",
  inputs: {
    instanceId: {
      doc: "The instance (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the schedule.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    frequencyHours: {
      doc: "Hours between automatic backups (1–8760). Default 24. Updates in place.",
      type: "number",
      schema: z
        .number()
        .int("must be a whole number of hours")
        .min(1, "must be at least 1 hour")
        .max(8760, "must be at most 8760 hours (a year)")
        .default(24),
      change: "update",
      whenUnset: "unmanaged",
      output: "number",
    },
    retentionDays: {
      doc: "Days automatic backups are kept (1–365). Default 7. Updates in place.",
      type: "number",
      schema: z
        .number()
        .int("must be a whole number of days")
        .min(1, "must be at least 1 day")
        .max(365, "must be at most 365 days")
        .default(7),
      change: "update",
      whenUnset: "unmanaged",
      output: "number",
    },
    startHour: {
      doc:
        "Hour of the day (0–23, UTC) backups start. Write-only on the API: it is not read back, so drift on it " +
        "cannot be detected. Default: unset (the service chooses). Updates in place.",
      type: "number",
      schema: z
        .number()
        .int("must be a whole hour")
        .min(0, "must be between 0 and 23")
        .max(23, "must be between 0 and 23")
        .optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "number | null",
      readme: { input: "`startHour` (0–23 UTC; write-only on the API, so drift on it cannot be seen)" },
    },
    enabled: {
      doc: "Whether automatic backups run. Default true. Updates in place.",
      type: "boolean",
      schema: z.boolean().default(true),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
    },
    sameRegion: {
      doc: "Keep automatic backups in the instance's region. Default: unmanaged. Updates in place.",
      type: "boolean",
      schema: z.boolean().optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
      readme: { default: "unmanaged" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    nextRunAt: { doc: "When the next automatic backup runs (RFC 3339), or null.", type: "string | null" },
  },
});

export const scheduleInputSchema = inputSchemaOf(scheduleDeclaration);
