// The vocabulary every resource is declared in: its inputs (rule, how a change applies, how values compare) and its
// outputs. From one declaration come the zod input schema and the diff table here, the program-side class and README
// tables through scripts/generate-resources.ts.
import { z } from "zod";
import type { ResourceKind } from "../shim";
import type { Outputs } from "./resource-impl";
import { UNKNOWN } from "./support";

/**
 * How a change of an input applies: in place, by replacing the resource, by replacing it only when `replaceIf` says
 * so for that old and next value (for a value still unknown, `next` is undefined), or never (the input is not
 * compared: deadlines, adoption ids, inputs that apply at creation only).
 */
export type ChangeRule =
  | "update"
  | "replace"
  | "never"
  | { replaceIf: (old: unknown, next: unknown) => boolean };

/** How an old and a next value compare: exactly, ignoring case, as JSON with sorted keys, as a set, as instants. */
export type Comparison = "exact" | "ignoringCase" | "json" | "set" | "instant";

/**
 * What an unset input compares as: null (so a value set before and removed now is a change), nothing (the input is
 * unmanaged when unset), or the schema's default.
 */
export type WhenUnset = "null" | "unmanaged" | "default";

export interface InputDeclaration {
  /** The JSDoc of the program-side `Args` property. */
  doc: string;
  /** The TypeScript type of the `Args` property, inside `pulumi.Input<…>`. */
  type: string;
  /** The rule `check` applies; its default is the input's default. */
  schema: z.ZodType;
  change: ChangeRule;
  compare?: Comparison;
  whenUnset?: WhenUnset;
  /** Wrapped in `pulumi.secret` by the class, so the engine stores it as a secret. */
  secret?: boolean;
  /** The output type when the resource also declares the input as an output (most echo their inputs back). */
  output?: string;
  /** The README row: how the input is shown, its default and its change, when the derived ones say too little. */
  readme?: { input?: string; default?: string; change?: string };
}

export interface OutputDeclaration {
  doc: string;
  /** The TypeScript type, inside `pulumi.Output<…>`. */
  type: string;
  secret?: boolean;
}

export interface ResourceDeclaration<
  I extends Record<string, InputDeclaration> = Record<string, InputDeclaration>,
  H extends Record<string, z.ZodType> = Record<string, z.ZodType>,
> {
  kind: ResourceKind;
  /** The first line of the program-side module. */
  summary: string;
  /** The class JSDoc. */
  doc?: string;
  /** Types the `Args` and outputs refer to, from the `types.ts` module beside the program-side module. */
  types?: string[];
  inputs: I;
  /** Inputs the class passes itself (`__identity`, `__autoName`, `__appliedAt`): never documented, never diffed. */
  hidden: H;
  outputs: Record<string, OutputDeclaration>;
  /** The resource publishes a download URL that expires: the class passes `__appliedAt`. */
  renewsDownloadUrl?: boolean;
}

/** Declares a resource, keeping the literal input names and schemas so that the derived schema stays typed. */
export function declareResource<
  I extends Record<string, InputDeclaration>,
  H extends Record<string, z.ZodType>,
>(declaration: ResourceDeclaration<I, H>): ResourceDeclaration<I, H> {
  return declaration;
}

type SchemaShape<I extends Record<string, InputDeclaration>> = { [K in keyof I]: I[K]["schema"] };

/** The zod object `check` validates with: every input, then the hidden ones. */
export function inputSchemaOf<
  I extends Record<string, InputDeclaration>,
  H extends Record<string, z.ZodType>,
>(declaration: ResourceDeclaration<I, H>): z.ZodObject<SchemaShape<I> & H> {
  const shape = Object.fromEntries(
    Object.entries(declaration.inputs).map(([key, input]) => [key, input.schema]),
  );
  return z.object({ ...shape, ...declaration.hidden }) as z.ZodObject<SchemaShape<I> & H>;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

const COMPARISONS: Record<Comparison, (a: unknown, b: unknown) => boolean> = {
  exact: (a, b) => a === b,
  ignoringCase: (a, b) =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b,
  json: sameJson,
  set: (a, b) =>
    Array.isArray(a) && Array.isArray(b) ? sameJson([...a].sort(), [...b].sort()) : sameJson(a, b),
  // The API rewrites dates (`…00Z` comes back as `…00.000000Z`): the same instant is the same value.
  instant: (a, b) =>
    typeof a === "string" && typeof b === "string" ? Date.parse(a) === Date.parse(b) : a === b,
};

/** Whether two values of an input are the same, as the input's declaration compares them. */
export function sameValue(input: InputDeclaration, a: unknown, b: unknown): boolean {
  return COMPARISONS[input.compare ?? "exact"](a, b);
}

function replaces(rule: ChangeRule, old: unknown, next: unknown): boolean {
  if (typeof rule === "object") return rule.replaceIf(old, next);
  return rule === "replace";
}

/** The inputs that changed between `olds` and `news`, split into those that replace and those that update. */
export interface TableDiff {
  changes: boolean;
  replaces: string[];
  updates: string[];
}

/**
 * Compares old outputs (on refresh: the live object) with new checked inputs (on refresh: the inputs stored before),
 * input by input as the declaration says; hidden inputs and output-only fields never diff. A value still unknown
 * counts as a change, and as a replacement when the input is one that can replace.
 */
export function diffByTable(
  declaration: ResourceDeclaration,
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): TableDiff {
  const diff: TableDiff = { changes: false, replaces: [], updates: [] };
  for (const [key, input] of Object.entries(declaration.inputs)) {
    if (input.change === "never") continue;
    let next = news[key];
    let old = olds[key];
    if (next === undefined && input.whenUnset === "unmanaged") continue;
    if (next === UNKNOWN) {
      (replaces(input.change, old, undefined) ? diff.replaces : diff.updates).push(key);
      continue;
    }
    if (input.whenUnset === "default") {
      const fallback = input.schema.safeParse(undefined).data;
      next ??= fallback;
      old ??= fallback;
    }
    if (sameValue(input, old ?? null, next ?? null)) continue;
    (replaces(input.change, old, next) ? diff.replaces : diff.updates).push(key);
  }
  diff.changes = diff.replaces.length + diff.updates.length > 0;
  return diff;
}

/** The inputs `check` returned, typed as the schema made them: the engine hands them back as they were stored. */
export function checkedInputs<S extends z.ZodObject>(_schema: S, stored: Outputs): z.output<S> {
  return stored as z.output<S>;
}
