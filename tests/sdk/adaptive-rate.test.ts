// The token bucket's adaptation to 429s (AIMD) with an injected clock: halving with a floor and a once-per-interval
// rule, the burst stopped and shrunk, and the gradual climb back to the configured rate.

import { TokenBucket } from "../../sdk/core/rate-limiter";
import { DEFAULT_RETRY_POLICY, nextRetryDelay } from "../../sdk/core/retry";
import { statedRequestsPerSecond } from "../../sdk/scaleway/errors";

describe("adaptive TokenBucket", () => {
  it("halves the rate on a 429, at most once per 250 ms, down to 1/16 of the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 16, burst: 16 }, () => now);
    bucket.onThrottled();
    expect(bucket.currentRatePerSecond).toBe(8);
    now = 100;
    bucket.onThrottled();
    expect(bucket.currentRatePerSecond).toBe(8);
    const rates: number[] = [];
    for (let i = 0; i < 6; i++) {
      now += 250;
      bucket.onThrottled();
      rates.push(bucket.currentRatePerSecond);
    }
    expect(rates).toEqual([4, 2, 1, 1, 1, 1]);
    expect(bucket.settings).toEqual({ ratePerSecond: 16, burst: 16 });
  });

  it("stops the current burst and spaces requests at the lowered rate", () => {
    const now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10 }, () => now);
    expect(bucket.reserve()).toBe(0);
    bucket.onThrottled();
    // Nine tokens were left; after the 429 the next request waits for a fresh one at 5 req/s.
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([200, 400, 600]);
  });

  it("shrinks the burst with the rate, so a quiet period does not end in a full burst", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10 }, () => now);
    bucket.onThrottled();
    now += 300;
    bucket.onThrottled();
    now += 60_000;
    // 2.5 req/s after 429s: a quarter of a second's worth (one token), not 10 (no answer came back, so no rate was
    // regained).
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 400, 800]);
  });

  it("keeps the rate the platform accepted over the last second, and climbs above it fifty times slower", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 16, burst: 16 }, () => now);
    for (let answer = 0; answer < 12; answer++) {
      now += 80;
      bucket.onAccepted();
    }
    bucket.onThrottled();
    // 12 answers in the last second: the rate the platform takes, where halving would have left 8.
    expect(bucket.currentRatePerSecond).toBe(12);
    now += 10_000;
    bucket.onAccepted();
    // 1/20 of 16 req/s per second, slowed fifty times: 0.16 req/s regained in 10 s.
    expect(bucket.currentRatePerSecond).toBeCloseTo(12.16);
  });

  it("climbs back linearly while answers come without a 429, up to the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 20 }, () => now);
    bucket.onThrottled();
    expect(bucket.currentRatePerSecond).toBe(10);
    const climb: number[] = [];
    for (let second = 1; second <= 12; second++) {
      now = second * 1000;
      bucket.onAccepted();
      climb.push(bucket.currentRatePerSecond);
    }
    // 1/20 of 20 req/s regained per second.
    expect(climb).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20]);
  });

  it("converges near a server's limit instead of hammering it (simulated 1 ms round trips)", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 10 }, () => now);
    const server = { tokens: 5, lastMs: 0 };
    let sent = 0;
    let throttled = 0;
    const sentAt: number[] = [];
    while (now < 20_000) {
      now += bucket.reserve();
      server.tokens = Math.min(5, server.tokens + ((now - server.lastMs) / 1000) * 20);
      server.lastMs = now;
      sent++;
      sentAt.push(now);
      if (server.tokens >= 1) {
        server.tokens -= 1;
        bucket.onAccepted();
      } else {
        throttled++;
        bucket.onThrottled();
      }
      now += 1;
    }
    const lastTenSeconds = sentAt.filter((at) => at >= 10_000).length / 10;
    console.log(
      `simulated 20 s against a 20 req/s limit from a 100 req/s bucket: ${sent} sent, ${throttled} × 429, ` +
        `${lastTenSeconds} req/s over the last 10 s`,
    );
    expect(lastTenSeconds).toBeGreaterThan(12);
    expect(lastTenSeconds).toBeLessThan(26);
    expect(throttled / sent).toBeLessThan(0.2);
  });
});

describe("a rate the platform states", () => {
  it("reads Scaleway's limit (a quota per window) from a 429 body, and nothing from a body without one", () => {
    const body = { message: "too many requests", type: "too_many_requests" };
    expect(statedRequestsPerSecond({ ...body, limit: { quota: 10, window_seconds: 1 } })).toBe(10);
    expect(statedRequestsPerSecond({ ...body, limit: { quota: 120, window_seconds: 60 } })).toBe(2);
    expect(statedRequestsPerSecond(body)).toBeUndefined();
    expect(statedRequestsPerSecond({ ...body, limit: { quota: 0, window_seconds: 1 } })).toBeUndefined();
    expect(statedRequestsPerSecond("not json")).toBeUndefined();
  });

  it("goes down to it at once and never climbs past it; a 429 at it (a shared key) still lowers the rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40 }, () => now);
    for (let answer = 0; answer < 15; answer++) {
      now += 60;
      bucket.onAccepted();
    }
    bucket.onThrottled(now, 10);
    // 15 answers in the last second would have been kept as the rate; the platform said 10.
    expect(bucket.currentRatePerSecond).toBe(10);
    now += 60_000;
    bucket.onAccepted();
    expect(bucket.currentRatePerSecond).toBe(10);
    now += 1_000;
    bucket.onThrottled(now, 10);
    expect(bucket.currentRatePerSecond).toBe(5);
    for (let second = 1; second <= 60; second++) {
      now += 1_000;
      bucket.onAccepted();
    }
    expect(bucket.currentRatePerSecond).toBe(10);
  });

  it("draws no 429 once the platform states its limit, where learning it from 429s alone goes on drawing them (simulated)", () => {
    // A deep queue against a server allowing 10 req/s (bursts of 5), from a bucket set to 20 req/s; answers come
    // back between 1 and 200 ms after they are sent, in the order they were sent; 60 s.
    const run = (states: boolean) => {
      let now = 0;
      let seed = 7;
      const random = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      const bucket = new TokenBucket({ ratePerSecond: 20, burst: 40 }, () => now);
      const server = { tokens: 5, lastMs: 0 };
      const inFlight: Array<{ answerAtMs: number; sentAtMs: number; refused: boolean }> = [];
      let accepted = 0;
      let refusedAfterFirstSecond = 0;
      const answerUntil = (ms: number) => {
        while (inFlight.length > 0 && inFlight[0].answerAtMs <= ms) {
          const answer = inFlight.shift();
          if (!answer) break;
          now = Math.max(now, answer.answerAtMs);
          if (answer.refused) bucket.onThrottled(answer.sentAtMs, states ? 10 : undefined);
          else bucket.onAccepted();
        }
      };
      while (now < 60_000) {
        const waitMs = bucket.reserve();
        answerUntil(now + waitMs);
        now += waitMs;
        server.tokens = Math.min(5, server.tokens + ((now - server.lastMs) / 1000) * 10);
        server.lastMs = now;
        const refused = server.tokens < 1;
        if (refused && now > 1_000) refusedAfterFirstSecond++;
        if (!refused) {
          server.tokens -= 1;
          accepted++;
        }
        const last = inFlight.at(-1)?.answerAtMs ?? now;
        inFlight.push({ sentAtMs: now, answerAtMs: Math.max(last, now + 1 + random() * 199), refused });
      }
      return { perSecond: accepted / 60, refusedAfterFirstSecond };
    };
    const stated = run(true);
    const learned = run(false);
    console.log("stated limit:", stated, "learned from 429s only:", learned);
    expect(stated.refusedAfterFirstSecond).toBe(0);
    expect(learned.refusedAfterFirstSecond).toBeGreaterThan(0);
    expect(stated.perSecond).toBeGreaterThan(9.5);
  });
});

describe("status checks in the queue", () => {
  it("serves a waiter's poll ahead of queued requests, and queued polls among themselves in order", async () => {
    let now = 0;
    const sleep = async (ms: number) => {
      now += ms;
    };
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 }, () => now, sleep);
    await bucket.acquire();
    const granted: string[] = [];
    const take = (name: string, statusCheck: boolean) =>
      bucket.acquire(undefined, statusCheck).then(() => granted.push(name));
    const all = [
      take("create 1", false),
      take("create 2", false),
      take("poll 1", true),
      take("create 3", false),
      take("poll 2", true),
    ];
    await Promise.all(all);
    expect(granted).toEqual(["poll 1", "poll 2", "create 1", "create 2", "create 3"]);
  });
});

describe("retry budget", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, budgetMs: 10_000 };
  const half = () => 0.5;

  it("waits out a Retry-After that fits in what is left of the budget, and passes on one that does not", () => {
    expect(nextRetryDelay(policy, 7, 2_000, 8_000, half)).toBe(8_000);
    expect(nextRetryDelay(policy, 7, 2_001, 8_000, half)).toBeUndefined();
  });

  it("shortens a backoff to the end of the budget and stops once it is spent", () => {
    expect(nextRetryDelay(policy, 1, 0, undefined, half)).toBe(250);
    expect(nextRetryDelay(policy, 10, 9_000, undefined, half)).toBe(1_000);
    expect(nextRetryDelay(policy, 10, 10_000, undefined, half)).toBeUndefined();
  });

  it("honours an explicit attempt cap", () => {
    expect(nextRetryDelay({ ...policy, maxAttempts: 3 }, 2, 0, undefined, half)).toBe(500);
    expect(nextRetryDelay({ ...policy, maxAttempts: 3 }, 3, 0, undefined, half)).toBeUndefined();
  });
});
