// What backups and snapshots share: copies of an instance's data that take no tags, so a stable generated name is
// what finds the one an interrupted create made, and an expiry that must lie in the future when it is set.
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { type Outputs, stableAutoName } from "../resource-impl";
import { type Json, plainObject } from "../support";
import { validateInputs } from "../validation";
import { qualifyRegionalIds } from "./clients";

/** `{resourceName}-{7 hex chars of the identity's hash}`, the same on the re-run of an interrupted create. */
function hashedAutoName(resourceName: string, identity: Json | undefined): string {
  return `${resourceName}-${createHash("sha256").update(String(identity)).digest("hex").slice(0, 7)}`;
}

/**
 * `check` of a backup or snapshot: the schema's rules, an `expiresAt` in the future (unless unchanged, so an old
 * stack whose expiry has passed still previews), the generated name carried in `__autoName`, a qualified instance id.
 */
export async function checkNamedCopy(
  schema: z.ZodObject,
  olds: Outputs,
  news: Outputs,
): Promise<pulumi.dynamic.CheckResult> {
  const checked = validateInputs(schema, news);
  if (!checked.ok) return { failures: checked.failures };
  const inputs: Record<string, unknown> = { ...checked.inputs };
  const expiresAt = inputs.expiresAt;
  if (typeof expiresAt === "string" && expiresAt !== olds.expiresAt && Date.parse(expiresAt) <= Date.now()) {
    return { failures: [{ property: "expiresAt", reason: "must be in the future" }] };
  }
  if (inputs.name === undefined) {
    inputs.name = inputs.__autoName = stableAutoName(olds, news, (resourceName) =>
      hashedAutoName(resourceName, news.__identity),
    );
  }
  await qualifyRegionalIds(inputs, ["instanceId"], checked.unknownKeys);
  return { inputs: plainObject(inputs) };
}
