// Scaleway Managed Databases (RDB v1) client: API class, models and constants.
export * from "./api";
export * from "./content";
export { marshalRdbBody, marshalRdbQuery, unmarshalRdbResponse } from "./marshalling";
export * from "./types";
