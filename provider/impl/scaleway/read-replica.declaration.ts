// The `scaleway:ReadReplica` declaration: every input with its rule, default and change, and every output. Its API
// mapping is read-replica.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { privateNetworkSchema, regionalIdSchema, timeoutsSchema } from "./common-schemas";

export const readReplicaDeclaration = declareResource({
  kind: "scaleway:ReadReplica",
  summary: "a read-only replica of a Scaleway RDB instance, with its own endpoints.",
  doc:
    "A read replica of an RDB instance (at most three per instance), reachable through a direct-access endpoint, " +
    "a Private Network endpoint, or both. Changing its endpoints updates it in place (the old endpoint is removed, " +
    "then the new one added, as Terraform's scaleway_rdb_read_replica does); another instance or zone placement " +
    "replaces it.",
  types: ["PrivateNetwork", "ReadReplicaEndpoint", "Timeouts"],
  inputs: {
    instanceId: {
      doc: "The primary instance (`{region}/{uuid}`, e.g. `instance.id`), which must be ready. Changing it replaces.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    sameZone: {
      doc: "Run the replica in its primary's availability zone. Default true, as Terraform's. Changing it replaces.",
      type: "boolean",
      schema: z.boolean().default(true),
      change: "replace",
      output: "boolean",
    },
    directAccess: {
      doc:
        "Give the replica a public direct-access endpoint. Default: true unless `privateNetwork` is set. Updates " +
        "in place.",
      type: "boolean",
      schema: z.boolean().optional(),
      change: "update",
      output: "boolean",
      readme: { default: "`true` unless `privateNetwork` is set" },
    },
    privateNetwork: {
      doc:
        "Give the replica an endpoint in a Private Network: `{ privateNetworkId, serviceIp?, enableIpam? }`, with a " +
        "static `serviceIp` (`192.168.1.254/24`) or an address IPAM picks (the default). Updates in place.",
      type: "PrivateNetwork",
      schema: privateNetworkSchema.optional(),
      change: "update",
      compare: "json",
      whenUnset: "null",
      output: "PrivateNetwork | null",
      readme: { input: "`privateNetwork` `{privateNetworkId, serviceIp?, enableIpam?}`" },
    },
    adoptId: {
      doc: "Adopt an existing read replica (`{region}/{uuid}`) instead of creating one. Never part of the diff.",
      type: "string",
      schema: regionalIdSchema("read replica").optional(),
      change: "never",
      readme: { change: "create takes over that replica" },
    },
    timeouts: {
      doc: 'Deadlines for create, update and delete (`"20m"`). Default 30m each.',
      type: "Timeouts",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "30m each" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    readReplicaId: {
      doc: "The replica UUID without the region (the resource id is `{region}/{uuid}`).",
      type: "string",
    },
    status: { doc: "The replica's status (`provisioning`, `ready`, `configuring`…).", type: "string" },
    endpoints: {
      doc: "Where the replica answers: each endpoint's id, kind, IP or host name, port and name.",
      type: "ReadReplicaEndpoint[]",
    },
    region: { doc: "The replica's region.", type: "string" },
  },
});

export const readReplicaInputSchema = inputSchemaOf(readReplicaDeclaration);
