// Scaleway Serverless SQL Database (v1alpha1) client: API class, models and constants.
export * from "./api";
export * from "./content";
export * from "./types";
