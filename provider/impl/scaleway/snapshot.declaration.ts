// The `scaleway:Snapshot` declaration: every input with its rule, default and change, and every output. Its API
// mapping is snapshot.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { regionalIdSchema, timeoutsSchema } from "./common-schemas";

export const snapshotDeclaration = declareResource({
  kind: "scaleway:Snapshot",
  summary: "a snapshot of the volume of a Scaleway RDB instance.",
  doc:
    "A snapshot of an RDB instance's volume, taken while the instance is ready (it is `snapshotting` meanwhile). " +
    "Its name and expiry update in place; another instance replaces it, as with Terraform's scaleway_rdb_snapshot. " +
    "Restoring it is `DatabaseInstance`'s `snapshotId` input.",
  types: ["Timeouts"],
  inputs: {
    instanceId: {
      doc: "The instance to snapshot (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the snapshot.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    name: {
      doc:
        "Snapshot name. Default: the resource name plus 7 characters derived from project, stack and resource name " +
        "(so an interrupted create is found again by name). Updates in place.",
      type: "string",
      schema: z.string().min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "string",
      readme: { default: "resource name + 7 characters derived from project, stack and resource name" },
    },
    expiresAt: {
      doc: "Expiry date (RFC 3339), which must be in the future. Default: the service's (a year). Updates in place.",
      type: "string",
      schema: z.iso
        .datetime({ offset: true, message: "must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z" })
        .optional(),
      change: "update",
      compare: "instant",
      whenUnset: "unmanaged",
      output: "string | null",
      readme: {
        input: "`expiresAt` (RFC 3339, in the future)",
        default: "the service's (a year); unmanaged",
      },
    },
    adoptId: {
      doc: "Adopt an existing snapshot (`{region}/{uuid}`) instead of creating one. Never part of the diff.",
      type: "string",
      schema: regionalIdSchema("snapshot").optional(),
      change: "never",
      readme: { change: "create takes over that snapshot" },
    },
    timeouts: {
      doc: 'Deadlines for create, update and delete (`"15m"`). Default 15m each.',
      type: "Timeouts",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "15m each" },
    },
  },
  hidden: {
    __identity: z.string().optional(),
    __autoName: z.string().optional(),
  },
  outputs: {
    snapshotId: {
      doc: "The snapshot UUID without the region (the resource id is `{region}/{uuid}`).",
      type: "string",
    },
    status: { doc: "The snapshot's status (`creating`, `ready`, `restoring`, `error`…).", type: "string" },
    size: { doc: "Size in bytes, once the snapshot is taken.", type: "number | null" },
    nodeType: { doc: "The instance's node type when the snapshot was taken.", type: "string" },
    volumeType: {
      doc: "The type of the volume snapshotted (`lssd`, `sbs_5k`…), which an instance made from it gets.",
      type: "string | null",
    },
    instanceName: { doc: "The name of the instance snapshotted.", type: "string" },
    createdAt: { doc: "When the snapshot was taken (RFC 3339).", type: "string | null" },
    updatedAt: { doc: "When the snapshot last changed (RFC 3339), or null.", type: "string | null" },
    region: { doc: "The snapshot's region.", type: "string" },
  },
});

export const snapshotInputSchema = inputSchemaOf(snapshotDeclaration);
