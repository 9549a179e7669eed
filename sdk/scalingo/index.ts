// Scalingo client: configuration, typed errors, token caching and the database backup calls.
export * from "./client";
export * from "./config";
export * from "./errors";
export * from "./tokens";
export * from "./types";
