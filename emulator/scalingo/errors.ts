// The typed errors of the emulated Scalingo APIs, rendered as Scalingo answers them: `{error}` (with a `code` when
// the API gives one), `{resource, error}` for a 404, `{errors: {field: [...]}}` for a 422.
import { EmulatorError } from "../errors";
import type { EmulatorResponse } from "../framework";

export class ScalingoError extends EmulatorError {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.error === "string" ? body.error : `Scalingo error ${status}`);
  }

  response(): EmulatorResponse {
    return { status: this.status, body: this.body };
  }
}

export class Unauthorized extends ScalingoError {
  constructor(error: string) {
    super(401, { error });
  }
}

export class Forbidden extends ScalingoError {
  constructor(error: string, code: string) {
    super(403, { error, code });
  }
}

export class NotFound extends ScalingoError {
  constructor(resource: string) {
    super(404, { resource, error: "not found" });
  }
}

export class Unprocessable extends ScalingoError {
  constructor(errors: Record<string, string[]>) {
    super(422, { errors });
  }
}

/** A 400 or 409 with a plain error message (and a code where the API gives one). */
export class Rejected extends ScalingoError {
  constructor(status: 400 | 409, error: string, code?: string) {
    super(status, code === undefined ? { error } : { error, code });
  }
}

export class TooManyRequests extends ScalingoError {
  constructor(error: string) {
    super(429, { error, code: "too_many_requests" });
  }
}
