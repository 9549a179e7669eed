// Rate limits in front of the API routes: the server-wide one set through POST /_emulator/rate-limit, and the
// per-token one of `--rate-limit N`, each answering 429 `too_many_requests` past its budget.
import { RateLimitRule, type RateLimitSpec } from "./faults";
import type { EmulatorResponse } from "./framework";

/** The per-token limit of `--rate-limit N`: N per second, bursts of half a second's worth, Retry-After 1 s. */
export function perTokenRateLimit(requestsPerSecond: number): {
  requests_per_second: number;
  burst: number;
  retry_after_seconds: number;
} {
  if (!(Number.isFinite(requestsPerSecond) && requestsPerSecond > 0)) {
    throw new Error(`rateLimit must be a positive number of requests per second, got ${requestsPerSecond}`);
  }
  return {
    requests_per_second: requestsPerSecond,
    burst: Math.max(2, Math.ceil(requestsPerSecond / 2)),
    retry_after_seconds: 1,
  };
}

/** The `limit` a real 429 states: a whole quota per window (per second, or per minute for a fractional rate). */
function statedLimit(requestsPerSecond: number): { quota: number; window_seconds: number } {
  return Number.isInteger(requestsPerSecond)
    ? { quota: requestsPerSecond, window_seconds: 1 }
    : { quota: Math.max(1, Math.round(requestsPerSecond * 60)), window_seconds: 60 };
}

export class Throttle {
  /** The server-wide limit, when a test has set one. */
  rule: RateLimitRule | undefined;
  private readonly perToken: RateLimitSpec | undefined;
  /** One bucket per token under the per-token limit, created on the token's first request. */
  private readonly buckets = new Map<string, RateLimitRule>();

  constructor(
    requestsPerSecondPerToken: number | undefined,
    private readonly wallClock: () => number,
  ) {
    if (requestsPerSecondPerToken === undefined) return;
    const parsed = RateLimitRule.parse(perTokenRateLimit(requestsPerSecondPerToken), 0);
    this.perToken = parsed.ok ? parsed.rule.spec : undefined;
  }

  /** What GET /_emulator/rate-limit shows. */
  describe(): object {
    return { rate_limit: this.rule?.spec ?? null, per_token_rate_limit: this.perToken ?? null };
  }

  /** The 429 a request to `path` by `token` at `nowMs` gets, or undefined when it is within every limit. */
  refusal(path: string, token: string, nowMs: number): EmulatorResponse | undefined {
    const refusedBy = [this.rule, this.bucketOf(token)].find((rule) => rule?.refuses(path, nowMs));
    if (!refusedBy) return undefined;
    const retryAfter = refusedBy.spec.retry_after_seconds;
    return {
      status: 429,
      body: {
        message: "too many requests",
        type: "too_many_requests",
        help_message: `at most ${refusedBy.spec.requests_per_second} requests per second`,
        limit: statedLimit(refusedBy.spec.requests_per_second),
      },
      headers: retryAfter === undefined ? undefined : { "retry-after": String(retryAfter) },
    };
  }

  private bucketOf(token: string): RateLimitRule | undefined {
    if (!this.perToken) return undefined;
    let bucket = this.buckets.get(token);
    if (!bucket) {
      const parsed = RateLimitRule.parse(this.perToken, this.wallClock());
      if (!parsed.ok) return undefined;
      bucket = parsed.rule;
      this.buckets.set(token, bucket);
    }
    return bucket;
  }
}
