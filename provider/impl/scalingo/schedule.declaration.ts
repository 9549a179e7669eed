// The `scalingo:BackupSchedule` declaration: every input with its rule, default and change, and every output. Its
// API mapping is schedule.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { addonIdSchema, appSchema } from "./schemas";

const HOUR_RULE = "must be an hour of the day (UTC), 0 to 23";

export const scheduleDeclaration = declareResource({
  kind: "scalingo:BackupSchedule",
  summary: "the periodic backup setting of one Scalingo database addon.",
  doc:
    "The periodic backups of a Scalingo database: on or off, and at which hour (UTC). Creating it takes over the " +
    "database's current setting; a change made outside Pulumi shows as drift on refresh. The resource id is " +
    "`{app}/{addonId}`. Deleting it restores Scalingo's default for paid plans: periodic backups enabled, at 00:00 " +
    "UTC. Sandbox plans have no backups: the API refuses (403).",
  inputs: {
    app: {
      doc: "The Scalingo application the database addon belongs to. Changing it replaces the schedule.",
      type: "string",
      schema: appSchema,
      change: "replace",
      output: "string",
    },
    addonId: {
      doc: "The database addon id (`ad-…`). Changing it replaces the schedule.",
      type: "string",
      schema: addonIdSchema,
      change: "replace",
      output: "string",
    },
    enabled: {
      doc: "Whether Scalingo makes a periodic backup every day. Default true. Updates in place.",
      type: "boolean",
      schema: z.boolean().default(true),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
    },
    hour: {
      doc: "Hour of the day (0–23, UTC) the periodic backup runs at. Default: left as it is on Scalingo. Updates in place.",
      type: "number",
      schema: z.number().int(HOUR_RULE).min(0, HOUR_RULE).max(23, HOUR_RULE).optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "number | null",
      readme: { default: "left as it is on Scalingo" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    scheduledHours: {
      doc: "Every hour (UTC) Scalingo has scheduled, as the API reports them.",
      type: "number[]",
    },
  },
});

export const scheduleInputSchema = inputSchemaOf(scheduleDeclaration);
