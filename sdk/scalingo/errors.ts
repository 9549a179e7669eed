// Scalingo API errors: one class per documented error status and body shape, each reading its own body;
// `parseScalingoError` picks the class by status.
import { z } from "zod";
import type { ApiErrorBase, ApiErrorClass } from "../core/errors";
import { ApiError, errorFromBody, plainApiErrorClass } from "../core/errors";
import type { ErrorResponse } from "../core/transport";

const MessageBody = z.object({ error: z.string() });
const CodedBody = z.object({ error: z.string(), code: z.string().optional() });

type CodedErrorConstructor<E> = new (base: ApiErrorBase, code?: string) => E;

/** An error class whose body is `{error, code}`, the code saying why. */
interface CodedErrorClass<T extends string> {
  new (base: ApiErrorBase, code?: string): ApiError & { readonly code?: string };
  readonly type: T;
  fromBody<E extends ApiError>(
    this: CodedErrorConstructor<E>,
    base: ApiErrorBase,
    body: unknown,
  ): E | undefined;
}

/** The base of a coded error class. */
function codedErrorClass<T extends string>(type: T): CodedErrorClass<T> {
  return class extends ApiError {
    static readonly type: T = type;
    static fromBody<E extends ApiError>(this: CodedErrorConstructor<E>, base: ApiErrorBase, body: unknown) {
      return errorFromBody(CodedBody, body, (fields) => new this(base, fields.code));
    }

    readonly code?: string;
    constructor(base: ApiErrorBase, code?: string) {
      super({ ...base, type, details: code === undefined ? undefined : { code } });
      this.code = code;
    }
  };
}

/** 400 `{error, code}`: the request is malformed or not possible in the current state (e.g. backup not finished). */
export class ScalingoBadRequestError extends codedErrorClass("bad_request") {}

/** 401 `{error}`: the token is missing, invalid or expired (the client already re-minted it once). */
export class ScalingoUnauthorizedError extends plainApiErrorClass("unauthorized", MessageBody) {}

/** 402 `{error, url}`: the account needs a payment method or credit; `url` is where to add one. */
export class ScalingoPaymentRequiredError extends ApiError {
  static readonly type = "payment_required";
  static fromBody(base: ApiErrorBase, body: unknown): ScalingoPaymentRequiredError | undefined {
    const schema = MessageBody.extend({ url: z.string().optional() });
    return errorFromBody(schema, body, (fields) => new ScalingoPaymentRequiredError(base, fields.url));
  }

  readonly url?: string;
  constructor(base: ApiErrorBase, url?: string) {
    super({
      ...base,
      type: ScalingoPaymentRequiredError.type,
      details: url === undefined ? undefined : { url },
    });
    this.url = url;
  }
}

/** 403 `{error, code}`: not allowed for this user or plan (e.g. `plan_without_backups` on Sandbox plans). */
export class ScalingoForbiddenError extends codedErrorClass("forbidden") {}

/** 404 `{resource, error}`: `resource` names what was not found (app, addon, database, backup). */
export class ScalingoNotFoundError extends ApiError {
  static readonly type = "not_found";
  static fromBody(base: ApiErrorBase, body: unknown): ScalingoNotFoundError | undefined {
    const schema = MessageBody.extend({ resource: z.string() });
    return errorFromBody(
      schema,
      body,
      (fields) => new ScalingoNotFoundError({ ...base, resource: fields.resource }),
    );
  }

  constructor(base: ApiErrorBase) {
    super({ ...base, type: ScalingoNotFoundError.type });
  }
}

/** 409 `{error}`: the resource is busy or the change conflicts with its state. */
export class ScalingoConflictError extends plainApiErrorClass("conflict", MessageBody) {}

/** 422 `{errors: {field: [messages]}}`: invalid fields, each with its messages. */
export class ScalingoValidationError extends ApiError {
  static readonly type = "unprocessable_entity";
  static readonly bodySchema = z.object({ errors: z.record(z.string(), z.array(z.string())) });
  static fromBody(base: ApiErrorBase, body: unknown): ScalingoValidationError | undefined {
    return errorFromBody(
      ScalingoValidationError.bodySchema,
      body,
      (fields) => new ScalingoValidationError(base, fields.errors),
    );
  }

  readonly fields: Record<string, string[]>;
  constructor(base: ApiErrorBase, fields: Record<string, string[]>) {
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

/** 429: over the main API's 60 requests a minute (the transport already retried with backoff). Any body. */
export class ScalingoTooManyRequestsError extends plainApiErrorClass("too_many_requests") {}

/** Every typed Scalingo error, found by the HTTP status of the answer. */
const ERROR_CLASSES = new Map<number, ApiErrorClass>([
  [400, ScalingoBadRequestError],
  [401, ScalingoUnauthorizedError],
  [402, ScalingoPaymentRequiredError],
  [403, ScalingoForbiddenError],
  [404, ScalingoNotFoundError],
  [409, ScalingoConflictError],
  [422, ScalingoValidationError],
  [429, ScalingoTooManyRequestsError],
]);

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
  const base: ApiErrorBase = {
    status: response.status,
    message: `${response.request.method} ${response.request.url} failed with HTTP ${response.status}${
      text ? `: ${text}` : ""
    }`,
    requestId: response.requestId,
    request: response.request,
  };
  return (
    ERROR_CLASSES.get(response.status)?.fromBody(base, response.body) ??
    new ApiError({ ...base, type: `http_${response.status}`, details: response.body })
  );
}
