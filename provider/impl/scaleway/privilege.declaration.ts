// The `scaleway:Privilege` declaration: every input with its rule, default and change, and every output. Its API
// mapping is privilege.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { PERMISSIONS } from "../../../sdk";
import { declareResource, inputSchemaOf } from "../declaration";
import { databaseNameSchema, regionalIdSchema, userNameSchema } from "./common-schemas";

export const privilegeDeclaration = declareResource({
  kind: "scaleway:Privilege",
  summary: "what one user may do on one logical database of a Scaleway RDB instance.",
  doc:
    "What one user may do on one database of an RDB instance. Its id is `{region}/{instance uuid}/{databaseName}/" +
    "{userName}`, as Terraform's scaleway_rdb_privilege writes it. Every user has a permission on every database " +
    "(`none` until set), so creating this resource takes over the pair's current permission and needs no adoptId, " +
    "as with Terraform; deleting it sets `none`. The permission updates in place; another instance, database or " +
    "user replaces it. Declare it after the `Database` and `User` it names (pass their outputs), since both must exist.",
  inputs: {
    instanceId: {
      doc: "The instance (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the privilege.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    databaseName: {
      doc: "The database (e.g. `database.name`). Changing it replaces the privilege.",
      type: "string",
      schema: databaseNameSchema,
      change: "replace",
      output: "string",
    },
    userName: {
      doc: "The user (e.g. `user.name`). Changing it replaces the privilege.",
      type: "string",
      schema: userNameSchema,
      change: "replace",
      output: "string",
    },
    permission: {
      doc:
        "`readonly`, `readwrite`, `all`, `custom` or `none`. `custom` is what the API reports for grants made " +
        "outside it (SQL `GRANT`) and cannot be set through it: declaring it only records those grants, and create " +
        "or update fail unless the pair already has them. Updates in place.",
      type: "string",
      schema: z.enum(PERMISSIONS, { message: `must be one of ${PERMISSIONS.join(", ")}` }),
      change: "update",
      output: "string",
      readme: { input: `\`permission\` (${PERMISSIONS.map((p) => `\`${p}\``).join(", ")})` },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {},
});

export const privilegeInputSchema = inputSchemaOf(privilegeDeclaration);
