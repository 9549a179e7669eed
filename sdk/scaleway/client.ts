// The Scaleway client shared by every Scaleway API: configuration, authenticated transport on the process-wide
// "scaleway" rate limiter, and validation of path parameters.
import { RequestValidationError } from "../core/errors";
import { SCALEWAY_RATE_LIMIT, sharedRateLimiter, TokenBucket } from "../core/rate-limiter";
import { clientTransportOptions, Transport } from "../core/transport";
import { loadScalewayConfig, type ScalewayClientOptions, type ScalewayConfig } from "./config";
import { parseScalewayError, statedRequestsPerSecond } from "./errors";

export class ScalewayClient {
  readonly config: ScalewayConfig;
  readonly transport: Transport;

  constructor(options: ScalewayClientOptions = {}) {
    this.config = loadScalewayConfig(options);
    const secretKey = this.config.secretKey;
    const rateLimiter =
      options.rateLimit instanceof TokenBucket
        ? options.rateLimit
        : sharedRateLimiter("scaleway", options.rateLimit ?? SCALEWAY_RATE_LIMIT);
    this.transport = new Transport({
      baseUrl: this.config.apiUrl,
      parseError: parseScalewayError,
      statedRateLimit: statedRequestsPerSecond,
      auth: (headers) => {
        headers["X-Auth-Token"] = secretKey;
      },
      rateLimiter,
      ...clientTransportOptions(options),
    });
  }
}

/** Checks a path parameter is a non-empty single segment and returns it URL-encoded. */
export function pathParam(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new RequestValidationError(name, "must be a non-empty string");
  }
  if (value.includes("/")) throw new RequestValidationError(name, `must not contain "/" (got "${value}")`);
  return encodeURIComponent(value);
}

/** The request's region, or the client's default, checked against the regions the API exists in. */
export function regionParam(region: string | undefined, fallback: string, known: readonly string[]): string {
  const value = region ?? fallback;
  if (!known.includes(value)) {
    throw new RequestValidationError("region", `must be one of ${known.join(", ")} (got "${value}")`);
  }
  return value;
}
