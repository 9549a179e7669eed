// The RDB client against the real emulator on a loopback port, under the faults of the issue "Ride out transient
// faults and rate limits inside the same run": 429 bursts, outages during waits, creates that must not be re-sent,
// and a server-side rate limit the shared token bucket adapts to.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../emulator/server";
import { ApiError, NetworkError } from "../../sdk/core/errors";
import { DEFAULT_ADAPTIVE_RATE, realSleep, TokenBucket } from "../../sdk/core/rate-limiter";
import { fixedPollPolicy, type WaitProgress } from "../../sdk/core/waiter";
import type { ScalewayClientOptions } from "../../sdk/scaleway/config";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { apiError } from "../faults";
import { recordingSleep, testClientOptions } from "./helpers";

const PROJECT = "105bdce1-64c0-48ab-899d-868455867ecf";
const INSTANCE_PATH = "/rdb/v1/regions/*/instances/*";
const INSTANCE = { name: "db", engine: "PostgreSQL-16", nodeType: "db-dev-s" } as const;

function rdbApi(emulator: RunningEmulator, options: Partial<ScalewayClientOptions> = {}): RdbApi {
  return new RdbApi({
    ...testClientOptions(emulator.url),
    defaultProjectId: PROJECT,
    random: () => 0.5,
    ...options,
  });
}

async function control(emulator: RunningEmulator, path: string, body: object): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} refused: ${response.status} ${await response.text()}`);
}

const fault = (emulator: RunningEmulator, spec: object) => control(emulator, "faults", spec);
const sent = (emulator: RunningEmulator, method: string, suffix: string) =>
  emulator.requests().filter((request) => request.method === method && request.path.endsWith(suffix));

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startEmulator({ profile: "instant", dataPlane: "simulated" });
});
afterEach(async () => {
  await emulator.stop();
});

describe("429 bursts", () => {
  it("rides out 8 answers of 429 with Retry-After 2 s, which the old 4-attempt policy gave up on", async () => {
    const api = rdbApi(emulator);
    const { id } = await api.createInstance(INSTANCE);
    const burst = {
      method: "GET",
      path: INSTANCE_PATH,
      count: 8,
      ...apiError(429, "too_many_requests", "too many requests", { "Retry-After": "2" }),
    };
    await fault(emulator, burst);
    const clock = { now: Date.now() };
    const { delays, sleep } = recordingSleep(clock);
    const instance = await rdbApi(emulator, { sleep, now: () => clock.now }).getInstance({ instanceId: id });
    expect(instance.status).toBe("ready");
    expect(delays).toEqual(Array(8).fill(2000));
    expect(sent(emulator, "GET", id).map((request) => request.status)).toEqual([...Array(8).fill(429), 200]);
    console.log(
      `8 × 429 (Retry-After 2 s): ready on attempt 9 after ${delays.reduce((a, b) => a + b)} ms waited`,
    );

    await fault(emulator, burst);
    const oldPolicy = rdbApi(emulator, { sleep, now: () => clock.now, retry: { maxAttempts: 4 } });
    await expect(oldPolicy.getInstance({ instanceId: id })).rejects.toMatchObject({ status: 429 });
  });

  it("re-sends a create after 429s only, and makes exactly one instance", async () => {
    await fault(emulator, {
      method: "POST",
      path: "/rdb/v1/regions/*/instances",
      count: 3,
      ...apiError(429, "too_many_requests", "too many requests", { "Retry-After": "1" }),
    });
    const clock = { now: Date.now() };
    const { sleep } = recordingSleep(clock);
    await rdbApi(emulator, { sleep, now: () => clock.now }).createInstance(INSTANCE);
    expect(sent(emulator, "POST", "/instances").map((request) => request.status)).toEqual([
      429, 429, 429, 200,
    ]);
    expect(await rdbApi(emulator).listAllInstances({})).toHaveLength(1);
  });

  it("passes a 429 on when its Retry-After is longer than the retry budget", async () => {
    const { id } = await rdbApi(emulator).createInstance(INSTANCE);
    await fault(emulator, {
      method: "GET",
      path: INSTANCE_PATH,
      status: 429,
      headers: { "Retry-After": "61" },
    });
    const { sleep } = recordingSleep();
    const api = rdbApi(emulator, { sleep, retry: { budgetMs: 60_000 } });
    await expect(api.getInstance({ instanceId: id })).rejects.toMatchObject({ status: 429 });
    expect(sent(emulator, "GET", id)).toHaveLength(1);
  });
});

describe("creates whose fate is unknown are never re-sent", () => {
  it("a 503 on create reaches the caller after one POST", async () => {
    await fault(emulator, { method: "POST", path: "/rdb/v1/regions/*/instances", status: 503 });
    const error = await rdbApi(emulator)
      .createInstance(INSTANCE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(sent(emulator, "POST", "/instances")).toHaveLength(1);
  });

  it("a create whose answer was dropped is one NetworkError, one POST, and one object made", async () => {
    const { id } = await rdbApi(emulator).createInstance(INSTANCE);
    await fault(emulator, { method: "POST", path: "/rdb/v1/regions/*/backups", drop_response: true });
    const error = await rdbApi(emulator)
      .createDatabaseBackup({ instanceId: id, databaseName: "rdb", name: "dump" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(sent(emulator, "POST", "/backups")).toHaveLength(1);
    expect(await rdbApi(emulator).listAllDatabaseBackups({ name: "dump" })).toHaveLength(1);
  });

  it("a create whose connection dropped before it was served is not re-sent either", async () => {
    await fault(emulator, { method: "POST", path: "/rdb/v1/regions/*/instances", drop_connection: true });
    await expect(rdbApi(emulator).createInstance(INSTANCE)).rejects.toBeInstanceOf(NetworkError);
    expect(sent(emulator, "POST", "/instances")).toHaveLength(1);
    expect(await rdbApi(emulator).listAllInstances({})).toEqual([]);
  });
});

describe("waiters ride out outages", () => {
  it("retries dropped connections and 500s within the deadline, and says so in progress", async () => {
    const { id } = await rdbApi(emulator).createInstance(INSTANCE);
    await fault(emulator, { method: "GET", path: INSTANCE_PATH, count: 5, drop_connection: true });
    await fault(emulator, { method: "GET", path: INSTANCE_PATH, count: 2, status: 500 });
    const clock = { now: Date.now() };
    const { sleep } = recordingSleep(clock);
    const progress: WaitProgress[] = [];
    const instance = await rdbApi(emulator, { sleep, now: () => clock.now }).waitForInstance(
      { instanceId: id },
      { sleep, now: () => clock.now, onProgress: (p) => progress.push(p) },
    );
    expect(instance.status).toBe("ready");
    expect(progress.map((p) => p.retrying?.reason ?? p.status)).toEqual([
      ...Array(5).fill("ECONNRESET"),
      "HTTP 500",
      "HTTP 500",
      "ready",
    ]);
    expect(sent(emulator, "GET", id).map((request) => request.status)).toEqual([
      0, 0, 0, 0, 0, 500, 500, 200,
    ]);
  });

  it("gives up at the deadline with the outage's error", async () => {
    const { id } = await rdbApi(emulator).createInstance(INSTANCE);
    await fault(emulator, { method: "GET", path: INSTANCE_PATH, count: 1000, status: 500 });
    const clock = { now: 0 };
    const { sleep } = recordingSleep(clock);
    const error = await rdbApi(emulator)
      .waitForInstance({ instanceId: id }, { sleep, now: () => clock.now, deadlineMs: 30_000 })
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(500);
    expect(clock.now).toBe(30_000);
  });

  it("keeps 404's meaning: done for a deletion, an error otherwise", async () => {
    const api = rdbApi(emulator);
    const { id } = await api.createInstance(INSTANCE);
    await api.deleteInstance({ instanceId: id });
    await fault(emulator, { method: "GET", path: INSTANCE_PATH, count: 2, drop_connection: true });
    const { sleep } = recordingSleep();
    await expect(api.waitForInstanceDeletion({ instanceId: id }, { sleep })).resolves.toBeUndefined();
    const gets = sent(emulator, "GET", id).length;
    await expect(api.waitForInstance({ instanceId: id }, { sleep })).rejects.toMatchObject({ status: 404 });
    expect(sent(emulator, "GET", id)).toHaveLength(gets + 1);
  });

  it("fails at once on an instance that ends in error", async () => {
    const api = rdbApi(emulator);
    const { id } = await api.createInstance(INSTANCE);
    await control(emulator, `scaleway-rdb/instances/${id}/fail`, {});
    await expect(api.waitForInstance({ instanceId: id })).rejects.toThrow(/failure status "error"/);
  });
});

describe("an API outage while an instance provisions (real time)", () => {
  it("a waiter rides out ~1.5 s of refused connections", async () => {
    await emulator.stop();
    const dataDir = mkdtempSync(join(tmpdir(), "pulumi-dbaas-outage-"));
    try {
      emulator = await startEmulator({ profile: "fast", dataPlane: "simulated", dataDir });
      const port = Number(new URL(emulator.url).port);
      const api = rdbApi(emulator, { retry: { baseDelayMs: 100, maxDelayMs: 400 } });
      const { id } = await api.createInstance(INSTANCE);
      const progress: WaitProgress[] = [];
      const startedMs = Date.now();
      const waiting = api.waitForInstance(
        { instanceId: id },
        { pollPolicy: fixedPollPolicy(200), onProgress: (p) => progress.push(p) },
      );
      await realSleep(300);
      await emulator.stop();
      const downMs = Date.now();
      await realSleep(1500);
      emulator = await startEmulator({ profile: "fast", dataPlane: "simulated", dataDir, port });
      const outageMs = Date.now() - downMs;
      const instance = await waiting;
      const retries = progress.filter((p) => p.retrying);
      expect(instance.status).toBe("ready");
      expect(outageMs).toBeGreaterThanOrEqual(1500);
      expect(retries.length).toBeGreaterThan(0);
      expect(
        retries.every(
          (p) => /ECONNREFUSED|ECONNRESET/.test(p.retrying?.reason ?? "") && p.status === "provisioning",
        ),
      ).toBe(true);
      console.log(
        `outage of ${outageMs} ms ridden out: ${retries.length} retries reported, ready after ${Date.now() - startedMs} ms`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the adaptive token bucket under a server-side rate limit", () => {
  /** 40 GETs from 8 workers through `bucket`, against a server accepting 20 requests/s; answers what was sent. */
  async function measure(
    bucket: TokenBucket,
  ): Promise<{ sent: number; throttled: number; perSecond: number }> {
    await control(emulator, "reset", {});
    await control(emulator, "rate-limit", { requests_per_second: 20, burst: 5, path: "/rdb/**" });
    const api = rdbApi(emulator, { rateLimit: bucket, retry: { baseDelayMs: 50, maxDelayMs: 400 } });
    let left = 40;
    const startedMs = Date.now();
    const worker = async () => {
      while (left-- > 0) await api.listInstances({});
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (Date.now() - startedMs) / 1000;
    const statuses = emulator.requests().map((request) => request.status);
    return {
      sent: statuses.length,
      throttled: statuses.filter((status) => status === 429).length,
      perSecond: Math.round(statuses.length / seconds),
    };
  }

  it("sends fewer requests and draws fewer 429s than a fixed-rate bucket", async () => {
    const limit = { ratePerSecond: 100, burst: 10 };
    const fixed = await measure(
      new TokenBucket(limit, Date.now, realSleep, {
        ...DEFAULT_ADAPTIVE_RATE,
        decreaseFactor: 1,
        minFraction: 1,
        followsStatedRate: false,
      }),
    );
    const adaptiveBucket = new TokenBucket(limit);
    const adaptive = await measure(adaptiveBucket);
    console.log(
      `server limit 20 req/s, client bucket 100 req/s, 40 GETs: ` +
        `fixed rate sent ${fixed.sent} (${fixed.throttled} × 429, ${fixed.perSecond} req/s); ` +
        `adaptive sent ${adaptive.sent} (${adaptive.throttled} × 429, ${adaptive.perSecond} req/s), ` +
        `bucket now at ${adaptiveBucket.currentRatePerSecond.toFixed(1)} req/s`,
    );
    expect(adaptive.throttled).toBeLessThan(fixed.throttled);
    expect(adaptive.perSecond).toBeLessThan(fixed.perSecond);
  });
});
