// Typed errors shared by every API client, all under one root (DbaasError): HTTP failures (ApiError and platform
// subclasses), network failures, unexpected responses, configuration, request validation and waiter outcomes.
import { inspect } from "node:util";
import { z } from "zod";
import { redactText, redactUrl, redactValue } from "./redact";

/** The request an error is about, with its URL already redacted. */
export interface RequestSummary {
  method: string;
  url: string;
}

/** A sanitized stand-in for a low-level failure: the raw axios error (which holds the config and headers) is dropped. */
export interface ErrorCause {
  name: string;
  code?: string;
  message: string;
}

export interface ApiErrorInit {
  status: number;
  type: string;
  message: string;
  resource?: string;
  resourceId?: string;
  requestId?: string;
  details?: unknown;
  request?: RequestSummary;
  cause?: ErrorCause;
}

/**
 * The root of every error the clients throw, so that one `instanceof DbaasError` tells them from bugs and foreign
 * errors. Each subclass is named after itself.
 */
export class DbaasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An API call that failed: HTTP status (0 for network errors), the platform's error type, and what it was about.
 * Secrets are redacted in every rendering.
 */
export class ApiError extends DbaasError {
  readonly status: number;
  readonly type: string;
  readonly resource?: string;
  readonly resourceId?: string;
  readonly requestId?: string;
  readonly details?: unknown;
  readonly request?: RequestSummary;
  override readonly cause?: ErrorCause;

  constructor(init: ApiErrorInit) {
    super(redactText(init.message));
    this.status = init.status;
    this.type = init.type;
    this.resource = init.resource;
    this.resourceId = init.resourceId;
    this.requestId = init.requestId;
    this.details = init.details === undefined ? undefined : redactValue(init.details);
    this.request = init.request && { method: init.request.method, url: redactUrl(init.request.url) };
    this.cause = init.cause && { ...init.cause, message: redactText(init.cause.message) };
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      type: this.type,
      message: this.message,
      resource: this.resource,
      resourceId: this.resourceId,
      requestId: this.requestId,
      details: this.details,
      request: this.request,
      cause: this.cause,
    };
  }

  [inspect.custom](): string {
    return `${this.stack ?? this.message} ${inspect(this.toJSON(), { depth: 4 })}`;
  }
}

/** What a platform's error parser knows of every failed call; each error class adds its type and details. */
export type ApiErrorBase = Omit<ApiErrorInit, "type" | "details">;

/** An API error class as an error parser sees it: the error `type` it stands for, and how it reads its own body. */
export interface ApiErrorClass {
  readonly type: string;
  /** The error, or undefined when the body does not have this error's documented shape. */
  fromBody(base: ApiErrorBase, body: unknown): ApiError | undefined;
}

/** Builds an error from the fields of a body that matches `schema`; undefined when it does not match. */
export function errorFromBody<S extends z.ZodType, E extends ApiError>(
  schema: S,
  body: unknown,
  build: (fields: z.output<S>) => E,
): E | undefined {
  const parsed = schema.safeParse(body);
  return parsed.success ? build(parsed.data) : undefined;
}

/** An error class that carries nothing beyond the common fields, only its `type`. */
export interface PlainApiErrorClass<T extends string> {
  new (base: ApiErrorBase): ApiError;
  readonly type: T;
  fromBody<E extends ApiError>(
    this: new (
      base: ApiErrorBase,
    ) => E,
    base: ApiErrorBase,
    body: unknown,
  ): E | undefined;
}

/** The base of a plain error class; `bodySchema`, when given, is the shape its body must have. */
export function plainApiErrorClass<T extends string>(type: T, bodySchema?: z.ZodType): PlainApiErrorClass<T> {
  return class extends ApiError {
    static readonly type: T = type;
    static fromBody<E extends ApiError>(
      this: new (
        base: ApiErrorBase,
      ) => E,
      base: ApiErrorBase,
      body: unknown,
    ): E | undefined {
      return bodySchema === undefined || bodySchema.safeParse(body).success ? new this(base) : undefined;
    }
    constructor(base: ApiErrorBase) {
      super({ ...base, type });
    }
  };
}

/** The request never got an HTTP answer (connection refused or reset, timeout, DNS). `status` is 0. */
export class NetworkError extends ApiError {
  readonly code: string;
  constructor(init: { code: string; message: string; request?: RequestSummary; cause?: ErrorCause }) {
    super({ status: 0, type: "network_error", ...init });
    this.code = init.code;
  }
}

/** The server answered 2xx with a body that does not match the expected schema. */
export class UnexpectedResponseError extends ApiError {
  constructor(init: { status: number; message: string; request?: RequestSummary; requestId?: string }) {
    super({ type: "unexpected_response", ...init });
  }
}

/** A request refused before being sent (empty path parameter, unknown region, invalid field). */
export class RequestValidationError extends DbaasError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(redactText(`${field}: ${message}`));
    this.field = field;
  }
}

/** Parses a request with its schema, turning the first problem into a RequestValidationError naming the field. */
export function validateRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  // Unknown keys are refused, not dropped: a misspelt option (`volumesize`) must not silently become a default.
  const parsed = (schema instanceof z.ZodObject ? schema.strict() : schema).safeParse(request);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0];
  throw new RequestValidationError(issue?.path.join(".") || "request", issue?.message ?? "invalid request");
}

/** Missing or invalid client configuration (e.g. no credentials). */
export class ConfigurationError extends DbaasError {}

/** A wait that ended without its resource reaching a steady status. */
export abstract class WaitError extends DbaasError {
  constructor(
    message: string,
    /** What was waited for, e.g. `instance 1f2…`. */
    readonly resource: string,
  ) {
    super(message);
  }
}

/** A waited-for resource reached a failure status (`error`, `locked`…). */
export class WaitFailedError extends WaitError {
  readonly status: string;
  readonly elapsedMs: number;
  constructor(resource: string, status: string, elapsedMs: number) {
    super(`${resource} reached failure status "${status}" after ${Math.round(elapsedMs / 1000)} s`, resource);
    this.status = status;
    this.elapsedMs = elapsedMs;
  }
}

/** The deadline passed while the resource was still in a transient status. */
export class WaitTimeoutError extends WaitError {
  readonly lastStatus: string | undefined;
  readonly elapsedMs: number;
  constructor(resource: string, lastStatus: string | undefined, elapsedMs: number) {
    super(
      `timed out after ${Math.round(elapsedMs / 1000)} s waiting for ${resource} (last status: ${lastStatus ?? "none"})`,
      resource,
    );
    this.lastStatus = lastStatus;
    this.elapsedMs = elapsedMs;
  }
}

/** The caller aborted a wait through its AbortSignal. */
export class WaitAbortedError extends WaitError {
  constructor(resource: string) {
    super(`waiting for ${resource} was aborted`, resource);
  }
}
