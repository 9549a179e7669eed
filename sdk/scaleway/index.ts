// Scaleway clients: configuration, typed errors, and the RDB v1 and Serverless SQL v1alpha1 APIs.
export * from "./client";
export * from "./config";
export * from "./errors";
export * from "./rdb/v1";
export * from "./serverless-sqldb/v1alpha1";
