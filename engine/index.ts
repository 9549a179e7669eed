// The local engine's programmatic API: run a Pulumi Node.js program with dynamic providers without the Pulumi CLI.
export type { EngineEvent, Phase, StepOp, StepRecord } from "./context";
export type { LogSeverity } from "./monitor";
export type { JsonValue, PropertyMap } from "./properties";
export { type EngineCommand, type EngineOptions, type EngineResult, runEngine } from "./run";
export type { ResourceState, StackState } from "./state";
export { formatSummary, jsonDocument } from "./summary";
