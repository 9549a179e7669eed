// Retry policy of the transport: which failures are retried, and how long to wait (full-jitter exponential backoff,
// or the server's Retry-After).

export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Backoff base: attempt n (1-based) waits up to baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
  /** Upper bound of one backoff delay and of an honoured Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Error codes of failures where no HTTP answer arrived. */
const RETRYABLE_NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/**
 * Whether an HTTP answer may be retried.
 * 429 is the rate limiter refusing the request before any processing, so even a create can be re-sent.
 * 502, 503 and 504 may come from a gateway that already forwarded the request: only idempotent requests are retried.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 429) return true;
  return idempotent && (status === 502 || status === 503 || status === 504);
}

/** The longest Retry-After the client waits out; a server asking for more gets its error passed on instead. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Parses a Retry-After header (delay in seconds, or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Full jitter: a uniformly random delay between 0 and the exponential ceiling of this attempt. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
