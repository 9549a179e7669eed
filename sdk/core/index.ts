// Reusable parts of every API client: transport, errors, redaction, retries, rate limiting, pagination, waiters.
export * from "./case";
export * from "./errors";
export * from "./pagination";
export * from "./rate-limiter";
export * from "./redact";
export * from "./retry";
export * from "./transport";
export * from "./version";
export * from "./waiter";
