// Scalingo client configuration: explicit options first, then the SCALINGO_* environment variables; endpoints come
// from explicit URLs, or from the region (built-in URLs for osc-fr1, otherwise the auth host's region list).
import type { RateLimit, TokenBucket } from "../core/rate-limiter";
import { requiredSetting, settingReader } from "../core/settings";
import type { ClientTransportOptions } from "../core/transport";

export const DEFAULT_SCALINGO_REGION = "osc-fr1";
export const DEFAULT_SCALINGO_AUTH_URL = "https://auth.scalingo.com";
export const DEFAULT_SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com";
export const DEFAULT_SCALINGO_DB_API_URL = "https://db-api.osc-fr1.scalingo.com";

/**
 * The main API allows 60 requests a minute per user. A bucket of 10 refilled at 48 a minute sends at most
 * 10 + 48 = 58 requests in any 60-second window, so even a burst after a quiet minute stays under the quota.
 */
export const SCALINGO_RATE_LIMIT: RateLimit = { ratePerSecond: 0.8, burst: 10 };

export interface ScalingoClientOptions extends ClientTransportOptions {
  /** User API token (`tk-us-…`); default SCALINGO_API_TOKEN. */
  apiToken?: string;
  /** Auth host, e.g. https://auth.scalingo.com; default SCALINGO_AUTH_URL. */
  authUrl?: string;
  /** Regional main API, e.g. https://api.osc-fr1.scalingo.com; default SCALINGO_API_URL, else from the region. */
  apiUrl?: string;
  /** Regional database API, e.g. https://db-api.osc-fr1.scalingo.com; default SCALINGO_DB_API_URL, else from the region. */
  dbApiUrl?: string;
  /** Region name used when an API URL is not given; default SCALINGO_REGION, then osc-fr1. */
  region?: string;
  /** Limit of the process-wide "scalingo" bucket used for the main API (default 48/min, burst 10), or a private bucket. */
  rateLimit?: RateLimit | TokenBucket;
  /** Environment to read SCALINGO_* variables from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ScalingoConfig {
  apiToken: string;
  authUrl: string;
  /** Undefined until resolved from the region list. */
  apiUrl?: string;
  dbApiUrl?: string;
  region: string;
}

/** Trailing slashes and a trailing `/v1` (main API) or `/api` (database API) are dropped: paths add them. */
export function normalizeBaseUrl(url: string, versionSuffix?: "/v1" | "/api"): string {
  const trimmed = url.replace(/\/+$/, "");
  return versionSuffix && trimmed.endsWith(versionSuffix) ? trimmed.slice(0, -versionSuffix.length) : trimmed;
}

/** Resolves the configuration; a missing token is one clear ConfigurationError naming where to set it. */
export function loadScalingoConfig(options: ScalingoClientOptions = {}): ScalingoConfig {
  const read = settingReader(options.env ?? process.env);
  const apiToken = requiredSetting(
    read(options.apiToken, "SCALINGO_API_TOKEN"),
    "Scalingo credentials are missing: set the SCALINGO_API_TOKEN environment variable to a user API token " +
      "(tk-us-…), or pass the `apiToken` option.",
  );
  const region = read(options.region, "SCALINGO_REGION") ?? DEFAULT_SCALINGO_REGION;
  const authUrl = normalizeBaseUrl(
    read(options.authUrl, "SCALINGO_AUTH_URL") ?? DEFAULT_SCALINGO_AUTH_URL,
    "/v1",
  );
  let apiUrl = read(options.apiUrl, "SCALINGO_API_URL");
  let dbApiUrl = read(options.dbApiUrl, "SCALINGO_DB_API_URL");
  // The real default region's hosts are known; any other region (or auth host) is looked up when first needed.
  if (region === DEFAULT_SCALINGO_REGION && authUrl === DEFAULT_SCALINGO_AUTH_URL) {
    apiUrl ??= DEFAULT_SCALINGO_API_URL;
    dbApiUrl ??= DEFAULT_SCALINGO_DB_API_URL;
  }
  return {
    apiToken,
    authUrl,
    apiUrl: apiUrl && normalizeBaseUrl(apiUrl, "/v1"),
    dbApiUrl: dbApiUrl && normalizeBaseUrl(dbApiUrl, "/api"),
    region,
  };
}
