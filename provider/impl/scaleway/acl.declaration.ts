// The `scaleway:Acl` declaration: every input with its rule, default and change, and every output. Its API mapping is
// acl.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { parseIpv4Network, regionalIdSchema, timeoutsSchema } from "./common-schemas";

const ruleSchema = z
  .object({
    ip: z.string().refine((text) => parseIpv4Network(text) !== undefined, {
      error: (issue) =>
        `must be an IPv4 network in CIDR notation such as 1.2.3.4/32 or 10.0.0.0/16 (got ${JSON.stringify(issue.input)})`,
    }),
    description: z.string().max(255, "must be at most 255 characters").optional(),
  })
  .strict();

export const aclDeclaration = declareResource({
  kind: "scaleway:Acl",
  summary: "the whole ACL (the networks allowed to reach the public endpoint) of one Scaleway RDB instance.",
  doc:
    "The ACL of one RDB instance: the networks allowed to reach its public endpoint. It owns the instance's whole " +
    "ACL, so declare one `Acl` per instance: a rule added out of band is drift, and the next `up` removes it. Its " +
    "id is the instance's id; creating it takes over whatever ACL the instance had (no adoptId needed). Deleting " +
    "it removes every rule, as Terraform's scaleway_rdb_acl does, so the public endpoint then refuses every " +
    "address: it never puts back the 0.0.0.0/0 rule a new instance starts with, since destroying an ACL must not " +
    "open a database to the whole internet.",
  types: ["AclRule", "Timeouts"],
  inputs: {
    instanceId: {
      doc: "The instance (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the ACL.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    rules: {
      doc:
        "The networks allowed in, each `{ ip, description? }` with `ip` an IPv4 network in CIDR notation (a bare " +
        "address is a /32). Their order does not matter; a rule without a description gets the API's. Updates in " +
        "place: the whole list is set at once.",
      type: "AclRule[]",
      schema: z.array(ruleSchema).min(1, "must list at least one rule"),
      change: "update",
      compare: "json",
      output: "AclRule[]",
      readme: { input: "`rules` (`[{ ip, description? }]`, CIDR; order free; `1.2.3.4` is `1.2.3.4/32`)" },
    },
    timeouts: {
      doc: 'Deadlines for create, update and delete (`"20m"`), each a wait for the instance. Default 30m each.',
      type: "Timeouts",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { default: "30m each" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    region: { doc: "The instance's region.", type: "string" },
  },
});

export const aclInputSchema = inputSchemaOf(aclDeclaration);
