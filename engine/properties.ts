// Property values as they travel between program, engine state and the dynamic-provider host: secret wrappers,
// the preview unknown sentinel, ignoreChanges paths and display masking.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type PropertyMap = { [key: string]: JsonValue };

/** The Pulumi wire signature marking a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What a value not known until the real run looks like during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The input and output key under which a dynamic resource carries its serialized provider. */
export const PROVIDER_KEY = "__provider";

export function isPlainObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isSecret(value: JsonValue): value is { [key: string]: JsonValue } {
  return isPlainObject(value) && value[SIG_KEY] === SECRET_SIG;
}

export function wrapSecret(value: JsonValue): JsonValue {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** Removes every secret wrapper, however deep; `secret` tells whether one was found. */
export function unwrapSecrets(value: JsonValue): { plain: JsonValue; secret: boolean } {
  if (isSecret(value)) {
    return { plain: unwrapSecrets(value.value ?? null).plain, secret: true };
  }
  if (Array.isArray(value)) {
    let secret = false;
    const plain = value.map((item) => {
      const inner = unwrapSecrets(item);
      secret ||= inner.secret;
      return inner.plain;
    });
    return { plain, secret };
  }
  if (isPlainObject(value)) {
    let secret = false;
    const plain: PropertyMap = {};
    for (const [key, item] of Object.entries(value)) {
      const inner = unwrapSecrets(item);
      secret ||= inner.secret;
      plain[key] = inner.plain;
    }
    return { plain, secret };
  }
  return { plain: value, secret: false };
}

/**
 * Splits a property map into plain values and the top-level keys that held a secret anywhere inside. Secrecy is
 * tracked per top-level key because that is how it comes back: an output is secret when its input key was.
 */
export function splitSecrets(props: PropertyMap): { plain: PropertyMap; secretKeys: Set<string> } {
  const plain: PropertyMap = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(props)) {
    const inner = unwrapSecrets(value);
    plain[key] = inner.plain;
    if (inner.secret) secretKeys.add(key);
  }
  return { plain, secretKeys };
}

export function applySecrets(props: PropertyMap, secretKeys: Iterable<string>): PropertyMap {
  const result: PropertyMap = { ...props };
  for (const key of secretKeys) {
    const value = result[key];
    if (key in result && value !== undefined) result[key] = wrapSecret(value);
  }
  return result;
}

function containsSecrets(value: JsonValue): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isPlainObject(value)) return Object.values(value).some(containsSecrets);
  return false;
}

/**
 * Marks secret, in values a provider returned in plain text (it never accepts secrets), every property whose
 * counterpart in `ins` held a secret: objects key by key, anything else whole (provider_plugin.go `annotateSecrets`,
 * applied to Check's inputs, Create/Update/Read's outputs and Read's inputs).
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    const outValue = result[key];
    if (outValue === undefined) continue;
    if (isPlainObject(outValue) && !isSecret(outValue) && isPlainObject(inValue) && !isSecret(inValue)) {
      result[key] = annotateSecrets(outValue, inValue);
    } else if (!isSecret(outValue) && containsSecrets(inValue)) result[key] = wrapSecret(outValue);
  }
  return result;
}

function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return canonical(a) === canonical(b);
}

/** Parses a property path such as `a.b[0]["c.d"]` into its segments. */
export function parsePropertyPath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    const gap = path.slice(consumed, match.index);
    if (gap !== "" && gap !== ".") throw new Error(`invalid property path "${path}"`);
    if (match[1] !== undefined) {
      if (match[1] === "*") throw new Error(`wildcards in ignoreChanges ("${path}") are not supported`);
      segments.push(match[1]);
    } else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
    consumed = (match.index ?? 0) + match[0].length;
  }
  if (consumed !== path.length || segments.length === 0) throw new Error(`invalid property path "${path}"`);
  return segments;
}

type Container = JsonValue[] | { [key: string]: JsonValue };

function childOf(container: JsonValue | undefined, segment: string | number): JsonValue | undefined {
  if (Array.isArray(container)) return typeof segment === "number" ? container[segment] : undefined;
  if (isPlainObject(container)) return typeof segment === "string" ? container[segment] : undefined;
  return undefined;
}

function shapeError(path: string): Error {
  return new Error(`cannot ignore changes in added or removed elements of the path "${path}"`);
}

function removePath(root: PropertyMap, segments: Array<string | number>, path: string): void {
  let cursor: JsonValue | undefined = root;
  for (const segment of segments.slice(0, -1)) cursor = childOf(cursor, segment);
  const last = segments[segments.length - 1]!;
  if (isPlainObject(cursor) && typeof last === "string") delete cursor[last];
  else if (Array.isArray(cursor) && typeof last === "number" && last < cursor.length) throw shapeError(path);
}

function writePath(
  root: PropertyMap,
  segments: Array<string | number>,
  value: JsonValue,
  path: string,
): void {
  let cursor: Container = root;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const next = segments[index + 1];
    if (Array.isArray(cursor)) {
      if (typeof segment !== "number" || segment > cursor.length) throw shapeError(path);
    } else if (typeof segment !== "string") throw shapeError(path);
    const holder: { [key: string]: JsonValue } | JsonValue[] = cursor;
    const existing = childOf(holder, segment);
    const child: JsonValue =
      last || existing !== undefined ? (last ? value : existing!) : typeof next === "number" ? [] : {};
    if (Array.isArray(holder)) holder[segment as number] = child;
    else holder[segment as string] = child;
    if (!last) {
      if (!Array.isArray(child) && !isPlainObject(child)) throw shapeError(path);
      cursor = child;
    }
  });
}

/**
 * Applies `ignoreChanges` before Check, as the real engine does: each path takes its old input value, or is removed
 * when the old inputs lack it. A path whose array shape changed cannot be ignored and is an error.
 */
export function applyIgnoreChanges(news: PropertyMap, olds: PropertyMap, paths: string[]): PropertyMap {
  const result = structuredClone(news);
  for (const path of paths) {
    const segments = parsePropertyPath(path);
    let oldValue: JsonValue | undefined = olds;
    for (const segment of segments) oldValue = childOf(oldValue, segment);
    if (oldValue === undefined) removePath(result, segments, path);
    else writePath(result, segments, structuredClone(oldValue), path);
  }
  return result;
}

/**
 * The top-level keys whose values differ between two property maps, as a summary names them: hidden inputs (`__`,
 * such as the provider's own `__provider`) are bookkeeping a user never declared, and are left out.
 */
export function changedKeys(before: PropertyMap, after: PropertyMap): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !key.startsWith("__") && !deepEqual(before[key] ?? null, after[key] ?? null))
    .sort();
}
