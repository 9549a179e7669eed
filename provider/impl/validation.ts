// Input validation for `check`: one failure per bad property naming the rule broken, before any API call.
// Values still unknown during a preview are not validated; they are passed through untouched.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isUnknown, plainObject } from "./support";

export interface CheckFailure {
  property: string;
  reason: string;
}

export type Checked<T> =
  | { ok: true; inputs: T; unknownKeys: string[] }
  | { ok: false; failures: CheckFailure[] };

function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc === "" ? String(part) : `${acc}.${String(part)}`;
  }, "");
}

/** One failure per property (the first rule it breaks), as `pulumi preview` lists them. */
export function failuresOf(error: z.ZodError): CheckFailure[] {
  return onePerProperty(
    error.issues.map((issue) => ({
      property: propertyPath(issue.path) || "(inputs)",
      reason: issue.message,
    })),
  );
}

export function onePerProperty(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((failure) => !seen.has(failure.property) && seen.add(failure.property));
}

/** Validates the known top-level properties of `raw` with `schema`; unknown ones are kept as they are. */
export function validateInputs<S extends z.ZodObject>(
  schema: S,
  raw: Record<string, unknown>,
): Checked<z.output<S>> {
  const unknownKeys = Object.keys(raw).filter((key) => isUnknown(raw[key]));
  const known: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!unknownKeys.includes(key) && key !== "__provider") known[key] = value;
  }
  const knownShape = Object.fromEntries(
    Object.entries(schema.shape).filter(([key]) => !unknownKeys.includes(key)),
  );
  const result = z.object(knownShape).strict().safeParse(known);
  if (!result.success) return { ok: false, failures: failuresOf(result.error) };
  const inputs = { ...result.data } as Record<string, unknown>;
  for (const key of unknownKeys) inputs[key] = raw[key];
  return { ok: true, inputs: inputs as z.output<S>, unknownKeys };
}

/**
 * The whole `check` of a resource whose inputs need nothing beyond their schema but what `complete` adds to the valid
 * ones (ids written out in full…); values still unknown are named in its second argument.
 */
export async function checkInputs<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  complete?: (inputs: Record<string, unknown>, unknownKeys: string[]) => Promise<void>,
): Promise<pulumi.dynamic.CheckResult> {
  const checked = validateInputs(schema, news);
  if (!checked.ok) return { failures: checked.failures };
  const inputs: Record<string, unknown> = { ...checked.inputs };
  await complete?.(inputs, checked.unknownKeys);
  return { inputs: plainObject(inputs) };
}
