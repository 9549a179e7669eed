// The only place where RDB v1 wire names (snake_case) meet model names (camelCase): response decoding, request
// bodies and query strings.
import { scalewayMarshalling } from "../../marshalling";

/** Metric metadata is a map whose keys are data rather than field names: it crosses the wire untouched. */
export const rdbMarshalling = scalewayMarshalling(new Set(["metadata"]));

export const unmarshalRdbResponse = rdbMarshalling.response;
export const marshalRdbBody = rdbMarshalling.body;
export const marshalRdbQuery = rdbMarshalling.query;
