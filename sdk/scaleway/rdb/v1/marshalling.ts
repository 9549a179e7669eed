// The only place where RDB v1 wire names (snake_case) meet model names (camelCase): response decoding, request
// bodies and query strings.
import { camelToSnake, convertKeys, snakeToCamel } from "../../../core/case";
import type { QueryValue } from "../../../core/transport";

/** Maps whose keys are data rather than field names (metric metadata). */
const OPAQUE_KEYS = new Set(["metadata"]);

export function unmarshalRdbResponse(json: unknown): unknown {
  return convertKeys(json, snakeToCamel, OPAQUE_KEYS);
}

/** The wire body of a request: every field except the path parameters, in snake_case. */
export function marshalRdbBody<T extends object>(
  request: T,
  pathFields: readonly (keyof T)[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (pathFields.includes(key as keyof T) || value === undefined) continue;
    body[key] = value;
  }
  return convertKeys(body, camelToSnake, OPAQUE_KEYS) as Record<string, unknown>;
}

/** The query string of a request: every field except the path parameters, with snake_case names. */
export function marshalRdbQuery<T extends object>(
  request: T,
  pathFields: readonly (keyof T)[],
): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(request)) {
    if (pathFields.includes(key as keyof T) || value === undefined) continue;
    query[camelToSnake(key)] = value as QueryValue;
  }
  return query;
}
