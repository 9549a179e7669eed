// Retry policy of the transport: which failures are retried, for how long (a time budget, not a fixed count), and how
// long to wait between attempts (full-jitter exponential backoff, or the server's Retry-After).

export interface RetryPolicy {
  /**
   * How long a request may keep being retried, from its first attempt. A retry whose wait would end after the budget
   * is not made: a Retry-After longer than what is left passes the 429 on, a backoff is shortened to fit.
   */
  budgetMs: number;
  /** An optional cap on attempts including the first; by default only the budget bounds retries. */
  maxAttempts: number;
  /** Backoff base: attempt n (1-based) waits up to baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
  /** Upper bound of one backoff delay (a server's Retry-After is honoured as given). */
  maxDelayMs: number;
}

/** Five minutes rides out a rate-limit window or a short outage without hiding a lasting one for long. */
export const DEFAULT_RETRY_BUDGET_MS = 5 * 60_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: DEFAULT_RETRY_BUDGET_MS,
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

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

/**
 * The wait before the next attempt, or undefined when the request must not be retried: attempts exhausted, or the
 * wait would end after the budget. `spentMs` is the time already spent on the request, retries included.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  attempt: number,
  spentMs: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const leftMs = policy.budgetMs - spentMs;
  if (leftMs <= 0) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= leftMs ? retryAfterMs : undefined;
  return Math.min(backoffDelay(policy, attempt, random), leftMs);
}
