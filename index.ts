// Package entry point: the Pulumi resources, grouped by platform.
export * as scaleway from "./provider/scaleway";
export * as scalingo from "./provider/scalingo";
export * as serverless from "./provider/serverless";
