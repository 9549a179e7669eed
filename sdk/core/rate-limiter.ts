// Token-bucket rate limiting shared by every client of a platform in the process, so that parallel Pulumi resources
// together stay under the platform's request quota.

export type Clock = () => number;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimit {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket capacity: how many requests may go out at once after a quiet period. */
  burst: number;
}

/** Scaleway's documented limits are per-key and generous; 20 req/s with bursts of 40 stays well below them. */
export const SCALEWAY_RATE_LIMIT: RateLimit = { ratePerSecond: 20, burst: 40 };

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class TokenBucket {
  private tokens: number;
  private lastRefillMs: number;

  constructor(
    private limit: RateLimit,
    private readonly now: Clock = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError("rate limit needs ratePerSecond > 0 and burst >= 1");
    }
    this.tokens = limit.burst;
    this.lastRefillMs = now();
  }

  get settings(): RateLimit {
    return { ...this.limit };
  }

  reconfigure(limit: RateLimit): void {
    this.refill();
    this.limit = { ...limit };
    this.tokens = Math.min(this.tokens, limit.burst);
  }

  /**
   * Takes one token and returns how long the caller must wait before sending (0 when a token was available).
   * The balance may go negative: each waiting caller has reserved its own future token, so waiters are served in order.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.limit.ratePerSecond) * 1000);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const waitMs = this.reserve();
    if (waitMs > 0) await this.sleep(waitMs, signal);
  }

  private refill(): void {
    const nowMs = this.now();
    const elapsedMs = Math.max(0, nowMs - this.lastRefillMs);
    this.lastRefillMs = nowMs;
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsedMs / 1000) * this.limit.ratePerSecond);
  }
}

const sharedBuckets = new Map<string, TokenBucket>();

/**
 * The process-wide bucket registered under `name` (e.g. "scaleway"), created with `limit` on first use.
 * Later callers share it whatever limit they pass; use `configureRateLimit` to change it.
 */
export function sharedRateLimiter(name: string, limit: RateLimit): TokenBucket {
  let bucket = sharedBuckets.get(name);
  if (!bucket) {
    bucket = new TokenBucket(limit);
    sharedBuckets.set(name, bucket);
  }
  return bucket;
}

/** Changes (or creates) the process-wide bucket `name`. */
export function configureRateLimit(name: string, limit: RateLimit): void {
  const bucket = sharedBuckets.get(name);
  if (bucket) bucket.reconfigure(limit);
  else sharedBuckets.set(name, new TokenBucket(limit));
}
