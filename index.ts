// Package entry point: the Pulumi resources, grouped by platform.
export * as scaleway from "./provider/scaleway";
export * as serverless from "./provider/serverless";
