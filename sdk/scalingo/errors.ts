// Scalingo API errors: one class per documented error status and body shape, all chosen by `parseScalingoError`.
import { z } from "zod";
import { ApiError, type ApiErrorInit } from "../core/errors";
import type { ErrorResponse } from "../core/transport";

type Base = Omit<ApiErrorInit, "type" | "details">;

const MessageBody = z.object({ error: z.string() });
const CodedBody = z.object({ error: z.string(), code: z.string().optional() });

/** 400 `{error, code}`: the request is malformed or not possible in the current state (e.g. backup not finished). */
export class ScalingoBadRequestError extends ApiError {
  static readonly type = "bad_request";
  readonly code?: string;
  constructor(base: Base, code?: string) {
    super({
      ...base,
      type: ScalingoBadRequestError.type,
      details: code === undefined ? undefined : { code },
    });
    this.code = code;
  }
}

/** 401 `{error}`: the token is missing, invalid or expired (the client already re-minted it once). */
export class ScalingoUnauthorizedError extends ApiError {
  static readonly type = "unauthorized";
  constructor(base: Base) {
    super({ ...base, type: ScalingoUnauthorizedError.type });
  }
}

/** 402 `{error, url}`: the account needs a payment method or credit; `url` is where to add one. */
export class ScalingoPaymentRequiredError extends ApiError {
  static readonly type = "payment_required";
  readonly url?: string;
  constructor(base: Base, url?: string) {
    super({
      ...base,
      type: ScalingoPaymentRequiredError.type,
      details: url === undefined ? undefined : { url },
    });
    this.url = url;
  }
}

/** 403 `{error, code}`: not allowed for this user or plan (e.g. `plan_without_backups` on Sandbox plans). */
export class ScalingoForbiddenError extends ApiError {
  static readonly type = "forbidden";
  readonly code?: string;
  constructor(base: Base, code?: string) {
    super({ ...base, type: ScalingoForbiddenError.type, details: code === undefined ? undefined : { code } });
    this.code = code;
  }
}

/** 404 `{resource, error}`: `resource` names what was not found (app, addon, database, backup). */
export class ScalingoNotFoundError extends ApiError {
  static readonly type = "not_found";
  constructor(base: Base) {
    super({ ...base, type: ScalingoNotFoundError.type });
  }
}

/** 409 `{error}`: the resource is busy or the change conflicts with its state. */
export class ScalingoConflictError extends ApiError {
  static readonly type = "conflict";
  constructor(base: Base) {
    super({ ...base, type: ScalingoConflictError.type });
  }
}

/** 422 `{errors: {field: [messages]}}`: invalid fields, each with its messages. */
export class ScalingoValidationError extends ApiError {
  static readonly type = "unprocessable_entity";
  static readonly bodySchema = z.object({ errors: z.record(z.string(), z.array(z.string())) });
  readonly fields: Record<string, string[]>;
  constructor(base: Base, fields: Record<string, string[]>) {
    const summary = Object.entries(fields)
      .map(([field, messages]) => `${field} ${messages.join(", ")}`)
      .join("; ");
    super({
      ...base,
      type: ScalingoValidationError.type,
      message: `${base.message}: ${summary}`,
      details: fields,
    });
    this.fields = fields;
  }
}

/** 429: over the main API's 60 requests a minute (the transport already retried with backoff). */
export class ScalingoTooManyRequestsError extends ApiError {
  static readonly type = "too_many_requests";
  constructor(base: Base) {
    super({ ...base, type: ScalingoTooManyRequestsError.type });
  }
}

function errorText(body: unknown): string | undefined {
  const parsed = MessageBody.safeParse(body);
  if (parsed.success) return parsed.data.error;
  return typeof body === "string" && body !== "" ? body : undefined;
}

/**
 * Builds the typed error of a Scalingo error answer. A body that does not have its status's documented shape (e.g. a
 * proxy's HTML page) becomes a plain ApiError of type `http_<status>` carrying the raw body as details.
 */
export function parseScalingoError(response: ErrorResponse): ApiError {
  const text = errorText(response.body);
  const base: Base = {
    status: response.status,
    message: `${response.request.method} ${response.request.url} failed with HTTP ${response.status}${
      text ? `: ${text}` : ""
    }`,
    requestId: response.requestId,
    request: response.request,
  };
  return (
    typedError(response.status, base, response.body) ??
    new ApiError({ ...base, type: `http_${response.status}`, details: response.body })
  );
}

function typedError(status: number, base: Base, body: unknown): ApiError | undefined {
  switch (status) {
    case 400: {
      const parsed = CodedBody.safeParse(body);
      return parsed.success ? new ScalingoBadRequestError(base, parsed.data.code) : undefined;
    }
    case 401:
      return MessageBody.safeParse(body).success ? new ScalingoUnauthorizedError(base) : undefined;
    case 402: {
      const parsed = MessageBody.extend({ url: z.string().optional() }).safeParse(body);
      return parsed.success ? new ScalingoPaymentRequiredError(base, parsed.data.url) : undefined;
    }
    case 403: {
      const parsed = CodedBody.safeParse(body);
      return parsed.success ? new ScalingoForbiddenError(base, parsed.data.code) : undefined;
    }
    case 404: {
      const parsed = MessageBody.extend({ resource: z.string() }).safeParse(body);
      return parsed.success
        ? new ScalingoNotFoundError({ ...base, resource: parsed.data.resource })
        : undefined;
    }
    case 409:
      return MessageBody.safeParse(body).success ? new ScalingoConflictError(base) : undefined;
    case 422: {
      const parsed = ScalingoValidationError.bodySchema.safeParse(body);
      return parsed.success ? new ScalingoValidationError(base, parsed.data.errors) : undefined;
    }
    case 429:
      return new ScalingoTooManyRequestsError(base);
    default:
      return undefined;
  }
}
