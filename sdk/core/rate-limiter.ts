// Token-bucket rate limiting shared by every client of a platform in the process, so that parallel Pulumi resources
// together stay under the platform's request quota; the bucket slows down when the platform answers 429 (AIMD).

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

/**
 * How the bucket adapts to 429s: multiplicative decrease on a 429, linear increase while answers come back without one
 * (AIMD, as TCP congestion control), so every client sharing the bucket converges on a rate the platform accepts.
 */
export interface AdaptiveRate {
  /** The rate is multiplied by this on a 429. */
  decreaseFactor: number;
  /** The lowest rate, as a fraction of the configured one. */
  minFraction: number;
  /** Rate regained per second of answers without a 429, as a fraction of the configured rate. */
  recoveryPerSecond: number;
  /** 429s closer together than this count as one: the requests in flight when the limit was hit all answer 429. */
  decreaseIntervalMs: number;
  /** Whether a rate a 429 states (see `TokenBucket.onThrottled`) becomes the bucket's ceiling. */
  followsStatedRate: boolean;
}

/**
 * Halve on a 429 (at most every 250 ms, down to 1/16 of the configured rate); climb back to the configured rate over
 * 20 s without one. Under a limit of 20 req/s, a bucket set to 100 req/s settles at about 20 within two seconds.
 */
export const DEFAULT_ADAPTIVE_RATE: AdaptiveRate = {
  decreaseFactor: 0.5,
  minFraction: 1 / 16,
  recoveryPerSecond: 1 / 20,
  decreaseIntervalMs: 250,
  followsStatedRate: true,
};

/**
 * Above a rate the platform was seen to accept, the rate climbs this much slower: a limit learned from the answers is
 * probed now and then (a 429 and its Retry-After, which delays a waiter's poll past its lag rule when it hits one),
 * not every few seconds. At 1/50, a bucket settled on a limit of 10 req/s draws about five 429s a minute fewer than at
 * 1/10 (simulated: a deep queue for 60 s).
 */
const PROBING_SLOWDOWN = 0.02;

/** After a 429, the bucket holds at most this many seconds' worth of requests. */
const THROTTLED_BURST_SECONDS = 0.25;

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
  /** The rate in force: the configured one, lowered after 429s. */
  private rate: number;
  private lastDecreaseMs = Number.NEGATIVE_INFINITY;
  /** When the rate was last lowered or raised: recovery counts from there. */
  private lastAdjustMs: number;
  /** When the answers of the last second (other than 429) came: what the platform just proved it accepts. */
  private readonly recentAcceptsMs: number[] = [];
  /** The last decrease stopped at a rate the platform accepted: climb above it slowly, probing for more. */
  private probing = false;
  /** A 429 came since the rate was last at the configured one: bursts stay within `THROTTLED_BURST_SECONDS`. */
  private throttled = false;
  /**
   * The rate the platform stated in a 429 (Scaleway's `limit`: a quota per window), when one did: the bucket keeps to
   * it rather than probing above it, since every probe draws a 429 and its Retry-After, which a waiter's poll cannot
   * afford (each change it serves would be noticed that much later).
   */
  private statedRate: number | undefined;
  /** Callers of `acquire` waiting for a token: status checks first, then the rest, each first come first served. */
  private readonly queue: Array<{ grant: () => void; statusCheck: boolean }> = [];
  private serving = false;

  constructor(
    private limit: RateLimit,
    private readonly now: Clock = Date.now,
    private readonly sleep: Sleep = realSleep,
    private readonly adaptive: AdaptiveRate = DEFAULT_ADAPTIVE_RATE,
  ) {
    checkLimit(limit);
    this.tokens = limit.burst;
    this.rate = limit.ratePerSecond;
    this.lastRefillMs = now();
    this.lastAdjustMs = this.lastRefillMs;
  }

  /** The configured limit. */
  get settings(): RateLimit {
    return { ...this.limit };
  }

  /** Requests per second allowed now: the configured rate, or less while the platform answers 429. */
  get currentRatePerSecond(): number {
    return this.rate;
  }

  reconfigure(limit: RateLimit): void {
    checkLimit(limit);
    this.refill();
    this.limit = { ...limit };
    this.rate = limit.ratePerSecond;
    this.statedRate = undefined;
    this.tokens = Math.min(this.tokens, limit.burst);
  }

  /**
   * A 429 arrived: lower the rate (once per interval) to what the platform accepted over the last second, or by
   * `decreaseFactor` if it accepted less (down to the floor), and stop the current burst. Keeping the accepted rate
   * learns the platform's limit in one step, where halving would leave it idle half the time. A request sent
   * (`sentAtMs`) before the last decrease already counted in it: it was sent at the old rate, so its 429 says nothing
   * about the new one (one decrease per round of requests in flight, as TCP does), instead of driving the rate to the
   * floor when many requests are refused together. When the 429 states the platform's rate (`statedRatePerSecond`), a
   * bucket above it goes down to it, and no longer climbs past it; one already at it (the key is shared) decreases
   * as above.
   */
  onThrottled(sentAtMs?: number, statedRatePerSecond?: number): void {
    const nowMs = this.now();
    this.lastAdjustMs = nowMs;
    if (this.adaptive.followsStatedRate && statedRatePerSecond !== undefined && statedRatePerSecond > 0) {
      this.statedRate = Math.min(statedRatePerSecond, this.limit.ratePerSecond);
    }
    if (sentAtMs !== undefined && sentAtMs < this.lastDecreaseMs) return;
    if (nowMs - this.lastDecreaseMs < this.adaptive.decreaseIntervalMs) return;
    this.refill();
    this.lastDecreaseMs = nowMs;
    this.throttled = true;
    this.tokens = Math.min(this.tokens, 0);
    if (this.statedRate !== undefined && this.rate > this.statedRate) {
      this.rate = this.statedRate;
      this.probing = false;
      return;
    }
    const floor = this.limit.ratePerSecond * this.adaptive.minFraction;
    const accepted = this.acceptedInLastSecond(nowMs);
    const lowered = this.rate * this.adaptive.decreaseFactor;
    this.probing = accepted > lowered;
    this.rate = Math.max(floor, Math.min(this.rate, Math.max(lowered, accepted)));
  }

  /** An answer other than 429 arrived: regain rate in proportion to the time since the last change. */
  onAccepted(): void {
    const nowMs = this.now();
    this.acceptedInLastSecond(nowMs);
    this.recentAcceptsMs.push(nowMs);
    const ceiling = Math.min(this.limit.ratePerSecond, this.statedRate ?? Number.POSITIVE_INFINITY);
    if (this.rate < ceiling) {
      this.refill();
      const regained =
        this.limit.ratePerSecond *
        this.adaptive.recoveryPerSecond *
        (this.probing ? PROBING_SLOWDOWN : 1) *
        (Math.max(0, nowMs - this.lastAdjustMs) / 1000);
      this.rate = Math.min(ceiling, this.rate + regained);
      if (this.rate === this.limit.ratePerSecond) this.throttled = this.probing = false;
    }
    this.lastAdjustMs = nowMs;
  }

  /**
   * Takes one token and returns how long the caller must wait before sending (0 when a token was available).
   * The balance may go negative: each waiting caller has reserved its own future token, so waiters are served in order.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }

  /**
   * Waits for a token, in arrival order. Callers queue instead of reserving a wait up front: the queue is served at
   * the rate in force while they wait, so that a rate lowered by 429s and raised again does not leave them sleeping
   * for waits computed at the low rate. A `statusCheck` (a waiter's poll) goes ahead of every other queued caller:
   * under a rate limit a poll that waits behind a stack's creates and lookups would notice transitions late, while
   * polls are few (one list serves every waiter) and a late create costs nothing a waiter would see.
   */
  async acquire(signal?: AbortSignal, statusCheck = false): Promise<void> {
    if (this.queue.length === 0) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
    }
    await new Promise<void>((resolve, reject) => {
      const entry = { grant: resolve, statusCheck };
      const onAbort = () => {
        const index = this.queue.indexOf(entry);
        if (index !== -1) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      entry.grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const firstOther = statusCheck ? this.queue.findIndex((queued) => !queued.statusCheck) : -1;
      if (firstOther === -1) this.queue.push(entry);
      else this.queue.splice(firstOther, 0, entry);
      if (!this.serving) void this.serveQueue();
    });
  }

  /** Grants queued callers their tokens as the bucket refills, re-reading the rate before every wait. */
  private async serveQueue(): Promise<void> {
    this.serving = true;
    try {
      while (this.queue.length > 0) {
        this.refill();
        if (this.tokens < 1) {
          // The wait earns the token (even on a clock that does not move, as an injected one may not).
          await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000));
          this.refill();
        }
        const next = this.queue.shift();
        if (next) {
          this.tokens -= 1;
          next.grant();
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** Answers other than 429 within the second before `nowMs` (older ones are forgotten). */
  private acceptedInLastSecond(nowMs: number): number {
    const since = nowMs - 1000;
    let stale = 0;
    while (stale < this.recentAcceptsMs.length && this.recentAcceptsMs[stale] <= since) stale++;
    this.recentAcceptsMs.splice(0, stale);
    return this.recentAcceptsMs.length;
  }

  private refill(): void {
    const nowMs = this.now();
    const elapsedMs = Math.max(0, nowMs - this.lastRefillMs);
    this.lastRefillMs = nowMs;
    this.tokens = Math.min(this.burst(), this.tokens + (elapsedMs / 1000) * this.rate);
  }

  /**
   * The burst shrinks with the rate, so that a quiet period under a lowered rate does not end in a full burst; once
   * the platform has refused a request it is at most a fraction of a second's worth, since the platform's own burst
   * may be far smaller than ours (a burst past it draws 429s, and a Retry-After pause, at a rate it accepts).
   */
  private burst(): number {
    const scaled = (this.limit.burst * this.rate) / this.limit.ratePerSecond;
    return Math.max(1, this.throttled ? Math.min(scaled, this.rate * THROTTLED_BURST_SECONDS) : scaled);
  }
}

function checkLimit(limit: RateLimit): void {
  if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) {
    throw new RangeError("rate limit needs ratePerSecond > 0 and burst >= 1");
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
