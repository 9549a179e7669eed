// snake_case ⇄ camelCase conversion of object keys, used by the API clients' marshalling to keep the wire format
// (snake_case) out of the models users touch (camelCase).

export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Deep copy of a JSON value with every object key converted. Values under a key listed in `opaqueKeys` (maps
 * whose keys are data, such as metric metadata) are copied untouched.
 */
export function convertKeys(
  value: unknown,
  convert: (key: string) => string,
  opaqueKeys: ReadonlySet<string> = new Set(),
): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, convert, opaqueKeys));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    copy[convert(key)] = opaqueKeys.has(key) ? inner : convertKeys(inner, convert, opaqueKeys);
  }
  return copy;
}
