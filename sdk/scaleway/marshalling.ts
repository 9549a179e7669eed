// The wire conventions every Scaleway API shares (snake_case JSON and query strings, camelCase models), from which
// each API builds its own marshalling with the maps it keeps untouched.
import { camelToSnake, convertKeys, snakeToCamel } from "../core/case";
import type { QueryValue } from "../core/transport";

/** How one API turns requests into wire bodies and query strings, and wire answers into model shapes. */
export interface ScalewayMarshalling {
  /** The wire body of a request: every field except the path parameters, in snake_case. */
  body<T extends object>(request: T, pathFields: readonly (keyof T)[]): Record<string, unknown>;
  /** The query string of a request: every field except the path parameters, with snake_case names. */
  query<T extends object>(request: T, pathFields: readonly (keyof T)[]): Record<string, QueryValue>;
  /** A wire answer with camelCase keys, ready for its schema. */
  response(json: unknown): unknown;
}

/** The marshalling of an API whose fields named in `opaqueKeys` hold maps whose keys are data, not field names. */
export function scalewayMarshalling(opaqueKeys: ReadonlySet<string> = new Set()): ScalewayMarshalling {
  const fieldsOf = <T extends object>(request: T, pathFields: readonly (keyof T)[]) =>
    Object.entries(request).filter(
      ([key, value]) => value !== undefined && !pathFields.includes(key as keyof T),
    );
  return {
    body: (request, pathFields) =>
      convertKeys(Object.fromEntries(fieldsOf(request, pathFields)), camelToSnake, opaqueKeys) as Record<
        string,
        unknown
      >,
    query: (request, pathFields) =>
      Object.fromEntries(
        fieldsOf(request, pathFields).map(([key, value]) => [camelToSnake(key), value as QueryValue]),
      ),
    response: (json) => convertKeys(json, snakeToCamel, opaqueKeys),
  };
}
