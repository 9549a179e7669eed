// Scaleway client configuration: explicit options first, then the standard SCW_* environment variables.
import type { RateLimit, TokenBucket } from "../core/rate-limiter";
import { requiredSetting, settingReader } from "../core/settings";
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

/** Resolves the configuration; a missing secret key is one clear ConfigurationError naming where to set it. */
export function loadScalewayConfig(options: ScalewayClientOptions = {}): ScalewayConfig {
  const read = settingReader(options.env ?? process.env);
  const secretKey = requiredSetting(
    read(options.secretKey, "SCW_SECRET_KEY"),
    "Scaleway credentials are missing: pass the `secretKey` option or set the SCW_SECRET_KEY environment variable " +
      "(and SCW_DEFAULT_PROJECT_ID, or the `defaultProjectId` option, for creates).",
  );
  return {
    secretKey,
    accessKey: read(options.accessKey, "SCW_ACCESS_KEY"),
    defaultProjectId: read(options.defaultProjectId, "SCW_DEFAULT_PROJECT_ID"),
    defaultOrganizationId: read(options.defaultOrganizationId, "SCW_DEFAULT_ORGANIZATION_ID"),
    defaultRegion: read(options.defaultRegion, "SCW_DEFAULT_REGION") ?? DEFAULT_REGION,
    apiUrl: read(options.apiUrl, "SCW_API_URL") ?? DEFAULT_API_URL,
  };
}
