// Scaleway client configuration: explicit options first, then the standard SCW_* environment variables.
import { ConfigurationError } from "../core/errors";
import type { RateLimit, TokenBucket } from "../core/rate-limiter";
import type { ClientTransportOptions } from "../core/transport";

export const DEFAULT_REGION = "fr-par";
export const DEFAULT_API_URL = "https://api.scaleway.com";

export interface ScalewayClientOptions extends ClientTransportOptions {
  secretKey?: string;
  accessKey?: string;
  defaultProjectId?: string;
  defaultOrganizationId?: string;
  defaultRegion?: string;
  apiUrl?: string;
  /** Limit of the process-wide "scaleway" bucket (default 20 req/s, burst 40), or a private bucket. */
  rateLimit?: RateLimit | TokenBucket;
  /** Environment to read SCW_* variables from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ScalewayConfig {
  secretKey: string;
  accessKey?: string;
  defaultProjectId?: string;
  defaultOrganizationId?: string;
  defaultRegion: string;
  apiUrl: string;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** Resolves the configuration; a missing secret key is one clear ConfigurationError naming where to set it. */
export function loadScalewayConfig(options: ScalewayClientOptions = {}): ScalewayConfig {
  const env = options.env ?? process.env;
  const secretKey = nonEmpty(options.secretKey) ?? nonEmpty(env.SCW_SECRET_KEY);
  if (!secretKey) {
    throw new ConfigurationError(
      "Scaleway credentials are missing: pass the `secretKey` option or set the SCW_SECRET_KEY environment variable " +
        "(and SCW_DEFAULT_PROJECT_ID, or the `defaultProjectId` option, for creates).",
    );
  }
  return {
    secretKey,
    accessKey: nonEmpty(options.accessKey) ?? nonEmpty(env.SCW_ACCESS_KEY),
    defaultProjectId: nonEmpty(options.defaultProjectId) ?? nonEmpty(env.SCW_DEFAULT_PROJECT_ID),
    defaultOrganizationId:
      nonEmpty(options.defaultOrganizationId) ?? nonEmpty(env.SCW_DEFAULT_ORGANIZATION_ID),
    defaultRegion: nonEmpty(options.defaultRegion) ?? nonEmpty(env.SCW_DEFAULT_REGION) ?? DEFAULT_REGION,
    apiUrl: nonEmpty(options.apiUrl) ?? nonEmpty(env.SCW_API_URL) ?? DEFAULT_API_URL,
  };
}
