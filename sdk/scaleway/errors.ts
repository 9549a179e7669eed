// Scaleway API errors: one class per `type` of the error body, all chosen by `parseScalewayError`.
import { z } from "zod";
import { ApiError, type ApiErrorInit } from "../core/errors";
import { redactText } from "../core/redact";
import type { ErrorResponse } from "../core/transport";

type Base = Omit<ApiErrorInit, "type" | "details">;

const BodySchema = z.object({
  type: z.string(),
  message: z.string().optional(),
  resource: z.string().optional(),
  resource_id: z.string().optional(),
});

export class NotFoundError extends ApiError {
  static readonly type = "not_found";
  constructor(base: Base) {
    super({ ...base, type: NotFoundError.type });
  }
}

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
  readonly fields: ArgumentProblem[];
  constructor(base: Base, fields: ArgumentProblem[]) {
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
  readonly currentState: string;
  constructor(base: Base, currentState: string) {
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
  readonly quotas: Quota[];
  constructor(base: Base, quotas: Quota[]) {
    super({ ...base, type: QuotasExceededError.type, details: quotas });
    this.quotas = quotas;
  }
}

export class PermissionsDeniedError extends ApiError {
  static readonly type = "permissions_denied";
  static readonly detailsSchema = z.object({
    details: z.array(z.object({ resource: z.string(), action: z.string() })),
  });
  readonly permissions: Array<{ resource: string; action: string }>;
  constructor(base: Base, permissions: Array<{ resource: string; action: string }>) {
    super({ ...base, type: PermissionsDeniedError.type, details: permissions });
    this.permissions = permissions;
  }
}

export class DeniedAuthenticationError extends ApiError {
  static readonly type = "denied_authentication";
  static readonly detailsSchema = z.object({ method: z.string().optional(), reason: z.string().optional() });
  readonly method?: string;
  readonly reason?: string;
  constructor(base: Base, method?: string, reason?: string) {
    super({ ...base, type: DeniedAuthenticationError.type, details: { method, reason } });
    this.method = method;
    this.reason = reason;
  }
}

export class PreconditionFailedError extends ApiError {
  static readonly type = "precondition_failed";
  static readonly detailsSchema = z.object({ precondition: z.string(), help_message: z.string().optional() });
  readonly precondition: string;
  readonly helpMessage?: string;
  constructor(base: Base, precondition: string, helpMessage?: string) {
    super({ ...base, type: PreconditionFailedError.type, details: { precondition, helpMessage } });
    this.precondition = precondition;
    this.helpMessage = helpMessage === undefined ? undefined : redactText(helpMessage);
  }
}

export class LockedError extends ApiError {
  static readonly type = "locked";
  constructor(base: Base) {
    super({ ...base, type: LockedError.type });
  }
}

export class TooManyRequestsError extends ApiError {
  static readonly type = "too_many_requests";
  static readonly detailsSchema = z.object({
    help_message: z.string().optional(),
    limit: z.object({ quota: z.number(), window_seconds: z.number() }).optional(),
  });
  readonly limit?: { quota: number; windowSeconds: number };
  constructor(base: Base, limit?: { quota: number; windowSeconds: number }) {
    super({ ...base, type: TooManyRequestsError.type, details: limit && { limit } });
    this.limit = limit;
  }
}

export class AlreadyExistsError extends ApiError {
  static readonly type = "already_exists";
  constructor(base: Base) {
    super({ ...base, type: AlreadyExistsError.type });
  }
}

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
  const base: Base = {
    status: response.status,
    message,
    resource: parsed.success ? parsed.data.resource : undefined,
    resourceId: parsed.success ? parsed.data.resource_id : undefined,
    requestId: response.requestId,
    request: response.request,
  };
  const typed = parsed.success ? typedError(parsed.data.type, base, response.body) : undefined;
  return (
    typed ??
    new ApiError({
      ...base,
      type: parsed.success ? parsed.data.type : `http_${response.status}`,
      details: response.body,
    })
  );
}

function typedError(type: string, base: Base, body: unknown): ApiError | undefined {
  switch (type) {
    case NotFoundError.type:
      return new NotFoundError(base);
    case LockedError.type:
      return new LockedError(base);
    case AlreadyExistsError.type:
      return new AlreadyExistsError(base);
    case InvalidArgumentsError.type: {
      const extra = InvalidArgumentsError.detailsSchema.safeParse(body);
      return extra.success
        ? new InvalidArgumentsError(
            base,
            extra.data.details.map((d) => ({
              argumentName: d.argument_name,
              reason: d.reason,
              helpMessage: d.help_message,
            })),
          )
        : undefined;
    }
    case TransientStateError.type: {
      const extra = TransientStateError.detailsSchema.safeParse(body);
      return extra.success ? new TransientStateError(base, extra.data.current_state) : undefined;
    }
    case QuotasExceededError.type: {
      const extra = QuotasExceededError.detailsSchema.safeParse(body);
      return extra.success ? new QuotasExceededError(base, extra.data.details) : undefined;
    }
    case PermissionsDeniedError.type: {
      const extra = PermissionsDeniedError.detailsSchema.safeParse(body);
      return extra.success ? new PermissionsDeniedError(base, extra.data.details) : undefined;
    }
    case DeniedAuthenticationError.type: {
      const extra = DeniedAuthenticationError.detailsSchema.safeParse(body);
      return extra.success
        ? new DeniedAuthenticationError(base, extra.data.method, extra.data.reason)
        : undefined;
    }
    case PreconditionFailedError.type: {
      const extra = PreconditionFailedError.detailsSchema.safeParse(body);
      return extra.success
        ? new PreconditionFailedError(base, extra.data.precondition, extra.data.help_message)
        : undefined;
    }
    case TooManyRequestsError.type: {
      const extra = TooManyRequestsError.detailsSchema.safeParse(body);
      const limit = extra.success ? extra.data.limit : undefined;
      return extra.success
        ? new TooManyRequestsError(base, limit && { quota: limit.quota, windowSeconds: limit.window_seconds })
        : undefined;
    }
    default:
      return undefined;
  }
}
