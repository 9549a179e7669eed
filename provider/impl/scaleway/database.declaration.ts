// The `scaleway:Database` declaration: every input with its rule, default and change, and every output. Its API
// mapping is database.ts; the program-side class is generated from this (npm run generate).
import { z } from "zod";
import { declareResource, inputSchemaOf } from "../declaration";
import { databaseNameSchema, instancePartIdSchema, regionalIdSchema } from "./common-schemas";

export const databaseDeclaration = declareResource({
  kind: "scaleway:Database",
  summary: "a logical database of a Scaleway RDB instance.",
  doc:
    "A logical database of an RDB instance. Its id is `{region}/{instance uuid}/{name}`, as Terraform's " +
    "scaleway_rdb_database writes it. Every input replaces: the API can neither rename nor move a database. " +
    "Deleting it drops the database with its data. A database that already exists is never taken over silently: " +
    "create fails naming the `adoptId` that adopts it.",
  inputs: {
    instanceId: {
      doc: "The instance (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the database.",
      type: "string",
      schema: regionalIdSchema("instance"),
      change: "replace",
      output: "string",
    },
    name: {
      doc: "The database name (letters, digits, `-` or `_`, at most 63). Changing it replaces the database.",
      type: "string",
      schema: databaseNameSchema.refine(
        (name) => !["postgres", "template0", "template1"].includes(name),
        "must not be postgres, template0 or template1 (reserved by the engine)",
      ),
      change: "replace",
      output: "string",
    },
    adoptId: {
      doc:
        "Adopt the existing database `{region}/{instance uuid}/{name}` (the one the inputs declare) instead of " +
        "creating it. Never part of the diff.",
      type: "string",
      schema: instancePartIdSchema("database", ["name"]).optional(),
      change: "never",
      readme: { change: "create takes over that database" },
    },
  },
  hidden: { __identity: z.string().optional() },
  outputs: {
    owner: { doc: "The PostgreSQL or MySQL role that owns the database.", type: "string" },
    managed: {
      doc: "Whether the service manages the database (it does for those made through the API).",
      type: "boolean",
    },
    size: { doc: "Size in bytes.", type: "number" },
  },
});

export const databaseInputSchema = inputSchemaOf(databaseDeclaration);
