// Token-bucket math with an injected clock, the process-wide limiter registry, Retry-After parsing, and pagination
// of list endpoints against a real server.

import { listAll, paginate } from "../../sdk/core/pagination";
import { configureRateLimit, sharedRateLimiter, TokenBucket } from "../../sdk/core/rate-limiter";
import { backoffDelay, parseRetryAfter } from "../../sdk/core/retry";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { sendJson, startServer, testClientOptions, wireInstance } from "./helpers";

describe("TokenBucket", () => {
  it("lets a burst through, then spaces requests at the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 3 }, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(500);
    expect(bucket.reserve()).toBe(1000);
    now = 1000;
    // Two tokens came back in 1 s, both already reserved by the two waiters above.
    expect(bucket.reserve()).toBe(500);
    now = 10_000;
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 500]);
  });

  it("supports a per-minute quota such as Scalingo's 60 requests/minute", () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 60 }, () => now);
    for (let i = 0; i < 60; i++) expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(1000);
    now = 30_000;
    expect(bucket.reserve()).toBe(0);
  });

  it("sleeps through the injected sleep when it must wait", async () => {
    const slept: number[] = [];
    const bucket = new TokenBucket(
      { ratePerSecond: 10, burst: 1 },
      () => 0,
      async (ms) => {
        slept.push(ms);
      },
    );
    await bucket.acquire();
    await bucket.acquire();
    expect(slept).toEqual([100]);
  });

  it("is shared process-wide by name and reconfigurable", () => {
    const a = sharedRateLimiter("test-shared", { ratePerSecond: 5, burst: 5 });
    const b = sharedRateLimiter("test-shared", { ratePerSecond: 99, burst: 99 });
    expect(a).toBe(b);
    configureRateLimit("test-shared", { ratePerSecond: 1, burst: 60 });
    expect(a.settings).toEqual({ ratePerSecond: 1, burst: 60 });
  });
});

describe("retry timing helpers", () => {
  it("parses Retry-After seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  it("caps the full-jitter ceiling", () => {
    const policy = { budgetMs: 60_000, maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 4, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 9, () => 0.5)).toBe(500);
  });
});

describe("pagination", () => {
  it("iterates pages until the total count is reached", async () => {
    const items = Array.from({ length: 7 }, (_, i) => i);
    const pages: number[][] = [];
    for await (const page of paginate(
      async (p, size) => ({
        items: items.slice((p - 1) * size, p * size),
        totalCount: items.length,
      }),
      { pageSize: 3 },
    )) {
      pages.push(page);
    }
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    await expect(listAll(async () => ({ items: [], totalCount: 5 }))).resolves.toEqual([]);
  });

  it("lists every instance across pages of a real server", async () => {
    const all = Array.from({ length: 230 }, (_, i) => wireInstance("ready", `id-${i}`));
    const server = await startServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const page = Number(url.searchParams.get("page"));
      const size = Number(url.searchParams.get("page_size"));
      sendJson(res, 200, { instances: all.slice((page - 1) * size, page * size), total_count: all.length });
    });
    try {
      const api = new RdbApi(testClientOptions(server.url));
      const instances = await api.listAllInstances({ tags: ["a", "b"], orderBy: "name_asc" });
      expect(instances.map((i) => i.id)).toEqual(all.map((i) => i.id));
      expect(server.requests.map((r) => r.url)).toEqual([
        "/rdb/v1/regions/fr-par/instances?tags=a&tags=b&order_by=name_asc&page=1&page_size=100",
        "/rdb/v1/regions/fr-par/instances?tags=a&tags=b&order_by=name_asc&page=2&page_size=100",
        "/rdb/v1/regions/fr-par/instances?tags=a&tags=b&order_by=name_asc&page=3&page_size=100",
      ]);
    } finally {
      await server.close();
    }
  });
});
