// What the resources living inside an RDB instance (Database, User, Privilege) share: their ids, the checks that tie
// an adoptId to the declared names, and writes that wait for the instance to be ready and ride out busy answers.
import { setTimeout as sleep } from "node:timers/promises";
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { AlreadyExistsError, ApiError, type RdbApi } from "../../../sdk";
import type { Outputs } from "../resource-impl";
import { isUnknown, parseRegionalId, plainObject, progressReporter } from "../support";
import { type CheckFailure, validateInputs } from "../validation";
import { qualifyRegionalIds } from "./clients";

/** Where a part lives: the instance's region and uuid, and the part's own names (a privilege has two). */
export interface PartRef {
  region: string;
  instanceId: string;
  names: string[];
}

/** `{region}/{instance uuid}/{name}…` from an instance id (`{region}/{uuid}`) and the part's names. */
export function formatPartId(instanceId: string, names: readonly string[]): string {
  return [instanceId, ...names].join("/");
}

export function parsePartId(id: string, count: number): PartRef {
  const parts = id.split("/");
  if (parts.length !== 2 + count) throw new Error(`"${id}" is not a {region}/{instance}/{name} identifier`);
  const [region, instanceId, ...names] = parts;
  return { region, instanceId, names };
}

/** The instance's region and uuid from a checked `instanceId` input (`{region}/{uuid}`). */
export function instanceRef(instanceId: unknown): { region: string; instanceId: string } {
  const { region, id } = parseRegionalId(String(instanceId));
  return { region, instanceId: id };
}

/**
 * An `adoptId` must name the very object the inputs declare (same instance, same names), since the names are what
 * the API knows it by; inputs still unknown in a preview are not compared.
 */
function adoptIdFailures(inputs: Record<string, unknown>, nameKeys: readonly string[]): CheckFailure[] {
  const adoptId = inputs.adoptId;
  const declared = [inputs.instanceId, ...nameKeys.map((key) => inputs[key])];
  if (
    typeof adoptId !== "string" ||
    declared.some((value) => typeof value !== "string" || isUnknown(value))
  ) {
    return [];
  }
  if (
    adoptId ===
    formatPartId(
      String(inputs.instanceId),
      nameKeys.map((key) => String(inputs[key])),
    )
  )
    return [];
  const shape = ["instanceId", ...nameKeys].map((key) => `{${key}}`).join("/");
  return [{ property: "adoptId", reason: `must name what the inputs declare: ${shape}` }];
}

/** `check` of a part known by one `name` (a database, a user): the schema's rules, then the adoptId's. */
export async function checkNamedPart(
  schema: z.ZodObject,
  news: Outputs,
): Promise<pulumi.dynamic.CheckResult> {
  const checked = validateInputs(schema, news);
  if (!checked.ok) return { failures: checked.failures };
  const inputs: Record<string, unknown> = { ...checked.inputs };
  await qualifyRegionalIds(inputs, ["instanceId"], checked.unknownKeys);
  const failures = adoptIdFailures(inputs, ["name"]);
  return failures.length > 0 ? { failures } : { inputs: plainObject(inputs) };
}

/** How many times a write is sent when the instance keeps answering that it is busy or that it conflicts. */
const WRITE_ATTEMPTS = 6;
const PAUSE_MS = 1_000;

/**
 * A refusal that says "not now": the instance busy beyond what the client already waited out (409
 * transient_state), or a plain 409 such as PostgreSQL's `Tuple concurrently updated` when several privileges of one
 * database change at once. Nothing was done; the same write succeeds later.
 */
function busyOrConflicting(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && !(error instanceof AlreadyExistsError);
}

/**
 * Waits for the instance to be ready (printing its progress), then sends `write`; while the answer is a "not now"
 * refusal, waits again and re-sends, so that many writes to one instance in one deployment all land.
 */
export async function writeWhenReady<T>(
  api: RdbApi,
  instance: { region: string; instanceId: string },
  label: string,
  write: () => Promise<T>,
): Promise<T> {
  const onProgress = progressReporter(label);
  for (let attempt = 1; ; attempt++) {
    await api.waitForInstance(instance, { onProgress });
    try {
      return await write();
    } catch (error) {
      if (!busyOrConflicting(error) || attempt >= WRITE_ATTEMPTS) throw error;
      const reason = error instanceof ApiError ? error.type : "conflict";
      console.log(`${label}: the instance refused the change for now (${reason}); sending it again`);
      await sleep(PAUSE_MS * attempt);
    }
  }
}
