// Scaleway API errors: one class per `type` of the error body, each reading its own body's extra fields;
// `parseScalewayError` picks the class by type.
import { z } from "zod";
import type { ApiErrorBase, ApiErrorClass } from "../core/errors";
import { ApiError, errorFromBody, plainApiErrorClass } from "../core/errors";
import { redactText } from "../core/redact";
import type { ErrorResponse } from "../core/transport";

const BodySchema = z.object({
  type: z.string(),
  message: z.string().optional(),
  resource: z.string().optional(),
  resource_id: z.string().optional(),
});

export class NotFoundError extends plainApiErrorClass("not_found") {}

export class LockedError extends plainApiErrorClass("locked") {}

export class AlreadyExistsError extends plainApiErrorClass("already_exists") {}

const ArgumentDetailSchema = z.object({
  argument_name: z.string(),
  reason: z.string(),
  help_message: z.string().optional(),
});

export interface ArgumentProblem {
  argumentName: string;
  reason: string;
  helpMessage?: string;
}

export class InvalidArgumentsError extends ApiError {
  static readonly type = "invalid_arguments";
  static readonly detailsSchema = z.object({ details: z.array(ArgumentDetailSchema) });
  static fromBody(base: ApiErrorBase, body: unknown): InvalidArgumentsError | undefined {
    return errorFromBody(InvalidArgumentsError.detailsSchema, body, ({ details }) => {
      const fields = details.map((d) => ({
        argumentName: d.argument_name,
        reason: d.reason,
        helpMessage: d.help_message,
      }));
      return new InvalidArgumentsError(base, fields);
    });
  }

  readonly fields: ArgumentProblem[];
  constructor(base: ApiErrorBase, fields: ArgumentProblem[]) {
    const summary = fields.map((f) => `${f.argumentName}: ${f.helpMessage ?? f.reason}`).join("; ");
    super({
      ...base,
      type: InvalidArgumentsError.type,
      message: `${base.message} (${summary})`,
      details: fields,
    });
    this.fields = fields.map((field) => ({
      ...field,
      ...(field.helpMessage === undefined ? {} : { helpMessage: redactText(field.helpMessage) }),
    }));
  }
}

export class TransientStateError extends ApiError {
  static readonly type = "transient_state";
  static readonly detailsSchema = z.object({ current_state: z.string() });
  static fromBody(base: ApiErrorBase, body: unknown): TransientStateError | undefined {
    return errorFromBody(
      TransientStateError.detailsSchema,
      body,
      (fields) => new TransientStateError(base, fields.current_state),
    );
  }

  readonly currentState: string;
  constructor(base: ApiErrorBase, currentState: string) {
    super({ ...base, type: TransientStateError.type, details: { currentState } });
    this.currentState = currentState;
  }
}

export interface Quota {
  resource: string;
  quota: number;
  current: number;
}

export class QuotasExceededError extends ApiError {
  static readonly type = "quotas_exceeded";
  static readonly detailsSchema = z.object({
    details: z.array(z.object({ resource: z.string(), quota: z.number(), current: z.number() })),
  });
  static fromBody(base: ApiErrorBase, body: unknown): QuotasExceededError | undefined {
    return errorFromBody(
      QuotasExceededError.detailsSchema,
      body,
      (fields) => new QuotasExceededError(base, fields.details),
    );
  }

  readonly quotas: Quota[];
  constructor(base: ApiErrorBase, quotas: Quota[]) {
    super({ ...base, type: QuotasExceededError.type, details: quotas });
    this.quotas = quotas;
  }
}

export class PermissionsDeniedError extends ApiError {
  static readonly type = "permissions_denied";
  static readonly detailsSchema = z.object({
    details: z.array(z.object({ resource: z.string(), action: z.string() })),
  });
  static fromBody(base: ApiErrorBase, body: unknown): PermissionsDeniedError | undefined {
    return errorFromBody(
      PermissionsDeniedError.detailsSchema,
      body,
      (fields) => new PermissionsDeniedError(base, fields.details),
    );
  }

  readonly permissions: Array<{ resource: string; action: string }>;
  constructor(base: ApiErrorBase, permissions: Array<{ resource: string; action: string }>) {
    super({ ...base, type: PermissionsDeniedError.type, details: permissions });
    this.permissions = permissions;
  }
}

export class DeniedAuthenticationError extends ApiError {
  static readonly type = "denied_authentication";
  static readonly detailsSchema = z.object({ method: z.string().optional(), reason: z.string().optional() });
  static fromBody(base: ApiErrorBase, body: unknown): DeniedAuthenticationError | undefined {
    return errorFromBody(
      DeniedAuthenticationError.detailsSchema,
      body,
      (fields) => new DeniedAuthenticationError(base, fields.method, fields.reason),
    );
  }

  readonly method?: string;
  readonly reason?: string;
  constructor(base: ApiErrorBase, method?: string, reason?: string) {
    super({ ...base, type: DeniedAuthenticationError.type, details: { method, reason } });
    this.method = method;
    this.reason = reason;
  }
}

export class PreconditionFailedError extends ApiError {
  static readonly type = "precondition_failed";
  static readonly detailsSchema = z.object({ precondition: z.string(), help_message: z.string().optional() });
  static fromBody(base: ApiErrorBase, body: unknown): PreconditionFailedError | undefined {
    return errorFromBody(
      PreconditionFailedError.detailsSchema,
      body,
      (fields) => new PreconditionFailedError(base, fields.precondition, fields.help_message),
    );
  }

  readonly precondition: string;
  readonly helpMessage?: string;
  constructor(base: ApiErrorBase, precondition: string, helpMessage?: string) {
    super({ ...base, type: PreconditionFailedError.type, details: { precondition, helpMessage } });
    this.precondition = precondition;
    this.helpMessage = helpMessage === undefined ? undefined : redactText(helpMessage);
  }
}

export class TooManyRequestsError extends ApiError {
  static readonly type = "too_many_requests";
  static readonly detailsSchema = z.object({
    help_message: z.string().optional(),
    limit: z.object({ quota: z.number(), window_seconds: z.number() }).optional(),
  });
  static fromBody(base: ApiErrorBase, body: unknown): TooManyRequestsError | undefined {
    return errorFromBody(TooManyRequestsError.detailsSchema, body, ({ limit }) => {
      return new TooManyRequestsError(
        base,
        limit && { quota: limit.quota, windowSeconds: limit.window_seconds },
      );
    });
  }

  readonly limit?: { quota: number; windowSeconds: number };
  constructor(base: ApiErrorBase, limit?: { quota: number; windowSeconds: number }) {
    super({ ...base, type: TooManyRequestsError.type, details: limit && { limit } });
    this.limit = limit;
  }
}

/** The rate a `too_many_requests` body states (`limit`: a quota per window), in requests per second. */
export function statedRequestsPerSecond(body: unknown): number | undefined {
  const parsed = TooManyRequestsError.detailsSchema.safeParse(body);
  const limit = parsed.success ? parsed.data.limit : undefined;
  return limit && limit.quota > 0 && limit.window_seconds > 0
    ? limit.quota / limit.window_seconds
    : undefined;
}

/** Every typed Scaleway error, found by the `type` of the error body. */
const ERROR_CLASSES: readonly ApiErrorClass[] = [
  NotFoundError,
  LockedError,
  AlreadyExistsError,
  InvalidArgumentsError,
  TransientStateError,
  QuotasExceededError,
  PermissionsDeniedError,
  DeniedAuthenticationError,
  PreconditionFailedError,
  TooManyRequestsError,
];

/**
 * Builds the typed error of a Scaleway error answer. A body whose `type` is unknown, or whose extra fields do not
 * match its type, becomes a plain ApiError carrying the raw body as details.
 */
export function parseScalewayError(response: ErrorResponse): ApiError {
  const parsed = BodySchema.safeParse(response.body);
  const bodyText = typeof response.body === "string" ? response.body : undefined;
  const message = `${response.request.method} ${response.request.url} failed with HTTP ${response.status}: ${
    parsed.success ? (parsed.data.message ?? parsed.data.type) : (bodyText ?? "no error body")
  }`;
  const base: ApiErrorBase = {
    status: response.status,
    message,
    resource: parsed.success ? parsed.data.resource : undefined,
    resourceId: parsed.success ? parsed.data.resource_id : undefined,
    requestId: response.requestId,
    request: response.request,
  };
  const typed = parsed.success
    ? ERROR_CLASSES.find((errorClass) => errorClass.type === parsed.data.type)?.fromBody(base, response.body)
    : undefined;
  return (
    typed ??
    new ApiError({
      ...base,
      type: parsed.success ? parsed.data.type : `http_${response.status}`,
      details: response.body,
    })
  );
}
