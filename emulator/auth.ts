// Who an API request is made by: the Scaleway secret key check every Scaleway module shares, and the token a
// per-token rate limit counts a request against.
import { EmulatorError } from "./errors";
import type { EmulatorRequest, EmulatorResponse, ScalewayCaller } from "./framework";

class DeniedAuthentication extends EmulatorError {
  response(): EmulatorResponse {
    return {
      status: 401,
      body: {
        message: "authentication is denied",
        method: "api_key",
        reason: "invalid_argument",
        type: "denied_authentication",
      },
    };
  }
}

type Headers = EmulatorRequest["headers"];

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks `X-Auth-Token` against the declared tokens (any non-empty one when none is declared); a token bound to a
 * project acts on that project only.
 */
export function scalewayAuthenticator(
  tokens: Array<{ token: string; projectId?: string }>,
): (req: EmulatorRequest) => ScalewayCaller {
  return (req) => {
    const token = firstHeader(req.headers["x-auth-token"])?.trim() ?? "";
    if (token === "") throw new DeniedAuthentication("authentication is denied");
    if (tokens.length === 0) return { projectId: undefined };
    const declared = tokens.find((candidate) => candidate.token === token);
    if (!declared) throw new DeniedAuthentication("authentication is denied");
    return { projectId: declared.projectId };
  };
}

/** Who a request counts against under a per-token limit: its Scaleway secret key or its bearer token. */
export function callerToken(headers: Headers): string {
  return firstHeader(headers["x-auth-token"]) ?? firstHeader(headers.authorization) ?? "anonymous";
}
