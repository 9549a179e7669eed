// Shared polling on a virtual clock: waiters of one kind share one list per tick, absence ends a deletion, a failure
// status reaches only its waiter, a failed list is ridden out, and every waiter keeps the detection-lag rule.
import { NetworkError, WaitFailedError } from "../../sdk/core/errors";
import { pagedList, SHARED_POLL_PAGE_SIZE, type SharedPolling } from "../../sdk/core/shared-poller";
import { type WaitProgress, waitFor, waitForDeletion } from "../../sdk/core/waiter";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { ServerlessSqlApi } from "../../sdk/scaleway/serverless-sqldb/v1alpha1/api";
import {
  INSTANCE_ID,
  recordingSleep,
  sendJson,
  startServer,
  type TestServer,
  testClientOptions,
  wireInstance,
} from "./helpers";

const OTHER_ID = "0b7e1a52-55d4-4b0e-9f3e-5c1d2a3b4c5d";
const PROJECT_ID = "105bdce1-64c0-48ab-899d-868455867ecf";

interface FakeObject {
  id: string;
  status: string;
}

/** A fake API whose objects change status at set times of the virtual clock; counts lists and single GETs. */
function fakeApi(clock: { now: number }, timelines: Record<string, Array<[number, string | undefined]>>) {
  const counts = { lists: 0, gets: 0 };
  const statusAt = (id: string): string | undefined => {
    let status: string | undefined;
    for (const [fromMs, value] of timelines[id]) if (clock.now >= fromMs) status = value;
    return status;
  };
  const current = (): Map<string, unknown> => {
    const objects = new Map<string, unknown>();
    for (const id of Object.keys(timelines)) {
      const status = statusAt(id);
      if (status !== undefined) objects.set(id, { id, status });
    }
    return objects;
  };
  let failNextLists = 0;
  const shared = (id: string): SharedPolling => ({
    key: "fake objects",
    id,
    list: async () => {
      counts.lists++;
      if (failNextLists > 0) {
        failNextLists--;
        throw new NetworkError({ code: "ECONNRESET", message: "socket hang up" });
      }
      return { objects: current(), pages: 1 };
    },
  });
  const fetch = (id: string) => async (): Promise<FakeObject> => {
    counts.gets++;
    const status = statusAt(id);
    if (status === undefined) throw Object.assign(new Error("not found"), { status: 404 });
    return { id, status };
  };
  return { counts, shared, fetch, failLists: (n: number) => (failNextLists = n) };
}

/** An object's timeline: `from` at the start, `to` from `atMs` on (`undefined`: gone). */
function becomes(from: string, atMs: number, to: string | undefined): Array<[number, string | undefined]> {
  return [
    [0, from],
    [atMs, to],
  ];
}

/** A fake API on a clock that the waiters' recorded sleeps move forward, so that no test waits in real time. */
function onRecordedClock(timelines: Record<string, Array<[number, string | undefined]>>) {
  const clock = { now: 0 };
  const { sleep } = recordingSleep(clock);
  return { clock, timing: { sleep, now: () => clock.now }, api: fakeApi(clock, timelines) };
}

/** What every waiter of these tests watches: object `id` of the fake API, on the virtual timing. */
function watching<T extends object>(
  api: Pick<ReturnType<typeof fakeApi>, "shared" | "fetch">,
  timing: T,
  id: string,
) {
  return {
    ...timing,
    resource: id,
    shared: api.shared(id),
    fetch: api.fetch(id),
    statusOf: (o: FakeObject) => o.status,
  };
}

/**
 * A virtual clock with real concurrency: sleeps wait on timers, and the driver jumps to the next timer only once
 * every task has gone idle, so that several sleepers (the test's and the poll loop's) keep a consistent time.
 */
function virtualTime() {
  const clock = { now: 0 };
  const timers: Array<{ atMs: number; wake: () => void }> = [];
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { atMs: clock.now + ms, wake: resolve };
      timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          const index = timers.indexOf(timer);
          if (index === -1) return;
          timers.splice(index, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  const idle = async () => {
    for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const runUntil = async <T>(work: Promise<T>): Promise<T> => {
    let done = false;
    const finished = work.finally(() => {
      done = true;
    });
    while (!done) {
      await idle();
      if (done) break;
      timers.sort((x, y) => x.atMs - y.atMs);
      const next = timers.shift();
      if (!next) throw new Error("deadlock: nothing to wake");
      clock.now = Math.max(clock.now, next.atMs);
      next.wake();
    }
    return finished;
  };
  return { clock, timing: { sleep, now: () => clock.now }, runUntil };
}

/**
 * A fake paginated list endpoint over objects listed newest first that are deleted at set times: each page is read
 * `pageLatencyMs` after the one before, so a deletion while paging shifts the later objects a page up. Counts lists
 * (first pages), pages and GETs. `order: "oldest first"` is an API that ignores the poller's `order_by`.
 */
function pagedFakeApi(
  clock: { now: number },
  ids: string[],
  goneAtMs: Record<string, number>,
  order: "newest first" | "oldest first" = "newest first",
) {
  const pageLatencyMs = 300;
  const counts = { lists: 0, pages: 0, gets: 0 };
  const existsAt = (id: string, atMs: number) => atMs < (goneAtMs[id] ?? Number.POSITIVE_INFINITY);
  // Newest first, o0 alone and then by twos created in the same second, as objects created together may be.
  const createdAt = (id: string) =>
    new Date(Date.UTC(2025, 0, 1) - Math.ceil(ids.indexOf(id) / 2) * 1000).toISOString();
  let listStartMs = 0;
  const list = pagedList(async (page, pageSize) => {
    if (page === 1) {
      counts.lists++;
      listStartMs = clock.now;
    }
    counts.pages++;
    const readAtMs = listStartMs + (page - 1) * pageLatencyMs;
    const listed = order === "newest first" ? ids : [...ids].reverse();
    const present = listed.filter((id) => existsAt(id, readAtMs));
    const items = present
      .slice((page - 1) * pageSize, page * pageSize)
      .map((id) => ({ id, status: "deleting", createdAt: createdAt(id) }));
    return { items, totalCount: present.length };
  });
  const shared = (id: string): SharedPolling => ({ key: "fake paged objects", id, list });
  const fetch = (id: string) => async (): Promise<FakeObject> => {
    counts.gets++;
    if (!existsAt(id, clock.now)) throw Object.assign(new Error("not found"), { status: 404 });
    return { id, status: "deleting" };
  };
  return { counts, shared, fetch };
}

describe("shared polling", () => {
  it("serves two waiters with one list per tick", async () => {
    const { clock, timing, api } = onRecordedClock({
      a: becomes("creating", 3500, "ready"),
      b: becomes("creating", 5500, "ready"),
    });
    const wait = (id: string) =>
      waitFor<FakeObject>({
        ...watching(api, timing, id),
        isTransient: (o) => o.status === "creating",
      });
    const [a, b] = await Promise.all([wait("a"), wait("b")]);
    expect([a.status, b.status]).toEqual(["ready", "ready"]);
    // a's first look is its own GET; b's, asked just after that tick, joins a's next one a second later; then one list
    // a second serves both (1 to 4 s); b, alone, GETs again.
    expect(api.counts.lists).toBe(4);
    expect(api.counts.gets).toBe(3);
    expect(clock.now).toBe(6000);
  });

  it("ends a deletion when the object is missing from the list, without a GET", async () => {
    const { clock, timing, api } = onRecordedClock({
      a: becomes("deleting", 2500, undefined),
      b: becomes("deleting", 4500, undefined),
    });
    const wait = (id: string) =>
      waitForDeletion<FakeObject>({
        ...watching(api, timing, id),
        isGone: (error) => (error as { status?: number }).status === 404,
      });
    await expect(Promise.all([wait("a"), wait("b")])).resolves.toEqual([undefined, undefined]);
    // a's first look is a GET, b's joins the 1 s list; a's absence ends its wait at the 3 s list; b, alone after that,
    // finds its 404 with a GET at 5 s.
    expect(api.counts.lists).toBe(3);
    expect(api.counts.gets).toBe(3);
    expect(clock.now).toBe(5000);
  });

  it.each(["newest first", "oldest first"] as const)(
    "never ends a deletion for an object that slipped between two pages of the list while another was deleted (API listing %s)",
    async (order) => {
      const { clock, timing, runUntil } = virtualTime();
      // One page and one object more: the last listed is first on page 2, until the first one's deletion moves it up;
      // listed newest first, it was created in the same second as the last one on page 1.
      const ids = Array.from({ length: SHARED_POLL_PAGE_SIZE + 1 }, (_, index) => `o${index}`);
      const listed = order === "newest first" ? ids : [...ids].reverse();
      // The first listed goes between the first and the second page of the 2 s tick; the others much later.
      const goneAtMs: Record<string, number> = {
        [listed[0]]: 2100,
        [listed[1]]: 6000,
        [listed[SHARED_POLL_PAGE_SIZE]]: 9000,
      };
      const api = pagedFakeApi(clock, ids, goneAtMs, order);
      const noticedAtMs = new Map<string, number>();
      const wait = async (id: string) => {
        await waitForDeletion<FakeObject>({
          ...watching(api, timing, id),
          isGone: (error) => (error as { status?: number }).status === 404,
        });
        noticedAtMs.set(id, clock.now);
      };
      await runUntil(Promise.all(Object.keys(goneAtMs).map(wait)));
      for (const [id, atMs] of Object.entries(goneAtMs)) {
        expect(noticedAtMs.get(id)).toBeGreaterThanOrEqual(atMs);
      }
      // The confirmation is a GET per object absent from a list of two pages, not a GET per waiter per tick.
      expect(api.counts.gets).toBeLessThan(api.counts.lists);
    },
  );

  it("stops paging once every waiter's object was seen, and pages to the end when one is missing", async () => {
    const { clock, timing, runUntil } = virtualTime();
    // Listed newest first: the objects waited for are the first three, the last ones on page 2 are old ones.
    const ids = Array.from({ length: SHARED_POLL_PAGE_SIZE + 20 }, (_, index) => `o${index}`);
    const goneAtMs: Record<string, number> = { o0: 4500, o1: 4500, o2: 4500 };
    const api = pagedFakeApi(clock, ids, goneAtMs);
    const wait = (id: string) =>
      waitForDeletion<FakeObject>({
        ...watching(api, timing, id),
        isGone: (error) => (error as { status?: number }).status === 404,
      });
    await runUntil(Promise.all(Object.keys(goneAtMs).map(wait)));
    expect(clock.now).toBe(5000);
    // o0's first look is a GET; the others' join the lists at 1, 2, 3 and 4 s, which stop after page 1; at 5 s the
    // list reads both pages and needs no GET: the three were created after the oldest object on page 1, so they would
    // have been on it.
    expect(api.counts).toEqual({ lists: 5, pages: 6, gets: 1 });
  });

  it("has waiters that come one after another join one tick instead of GETting alone", async () => {
    const { clock, timing, runUntil } = virtualTime();
    const ids = ["a", "b", "c", "d", "e", "f"];
    // Deleted at once, as the fast profile's backups: each waiter's first look ends it.
    const api = fakeApi(clock, Object.fromEntries(ids.map((id) => [id, becomes("deleting", 0, undefined)])));
    const wait = async (id: string, startMs: number) => {
      await timing.sleep(startMs);
      return waitForDeletion<FakeObject>({
        ...watching(api, timing, id),
        isGone: (error) => (error as { status?: number }).status === 404,
      });
    };
    // One every 200 ms, as deletes leave a rate limiter: a's look GETs; the five after it join one list 1 s later.
    await runUntil(Promise.all(ids.map((id, index) => wait(id, index * 200))));
    expect(api.counts).toEqual({ lists: 1, gets: 1 });
    expect(clock.now).toBe(1000);
  });

  it("fails only the waiter whose object shows a failure status", async () => {
    const { timing, api } = onRecordedClock({
      a: becomes("creating", 2500, "error"),
      b: becomes("creating", 4500, "ready"),
    });
    const wait = (id: string) =>
      waitFor<FakeObject>({
        ...watching(api, timing, id),
        isTransient: (o) => o.status === "creating",
        isFailure: (o) => o.status === "error",
      });
    const [a, b] = await Promise.allSettled([wait("a"), wait("b")]);
    expect(a.status === "rejected" && a.reason).toBeInstanceOf(WaitFailedError);
    expect(b.status === "fulfilled" && b.value.status).toBe("ready");
  });

  it("rides out a list failing with an outage, then goes on", async () => {
    const { timing, api } = onRecordedClock({
      a: becomes("creating", 4500, "ready"),
      b: becomes("creating", 4500, "ready"),
    });
    const retries: WaitProgress[] = [];
    const wait = (id: string) =>
      waitFor<FakeObject>({
        ...watching(api, timing, id),
        isTransient: (o) => o.status === "creating",
        onProgress: (p) => p.retrying && retries.push(p),
      });
    api.failLists(1);
    await expect(Promise.all([wait("a"), wait("b")])).resolves.toHaveLength(2);
    expect(retries.map((p) => [p.resource, p.retrying?.reason]).sort()).toEqual([
      ["a", "ECONNRESET"],
      ["b", "ECONNRESET"],
    ]);
  });

  it("notices every transition within max(1 s, 5 % of the time waited), for waiters started apart", async () => {
    const { clock, timing, runUntil } = virtualTime();
    const plans = [
      { id: "a", startMs: 0, readyMs: 212_500 },
      { id: "b", startMs: 30_000, readyMs: 45_300 },
      { id: "c", startMs: 100_000, readyMs: 397_700 },
      { id: "d", startMs: 100_400, readyMs: 101_200 },
    ];
    const api = fakeApi(
      clock,
      Object.fromEntries(plans.map((p) => [p.id, becomes("creating", p.readyMs, "ready")])),
    );
    const noticed = new Map<string, number>();
    const started = plans.map(async (plan) => {
      while (clock.now < plan.startMs) await timing.sleep(Math.min(1000, plan.startMs - clock.now));
      await waitFor<FakeObject>({
        ...watching(api, timing, plan.id),
        isTransient: (o) => o.status === "creating",
      });
      noticed.set(plan.id, clock.now);
    });
    await runUntil(Promise.all(started));
    expect(api.counts.lists).toBeLessThan(60);
    for (const plan of plans) {
      const lagMs = (noticed.get(plan.id) ?? Number.NaN) - plan.readyMs;
      expect(lagMs).toBeGreaterThanOrEqual(0);
      expect(lagMs).toBeLessThanOrEqual(Math.max(1000, 0.05 * (plan.readyMs - plan.startMs)));
    }
  });
});

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/**
 * Two objects (INSTANCE_ID and OTHER_ID) behind a test server on a recorded clock: a list under `listKey` holds both,
 * a GET answers one, each as `wire` draws it at the clock's time. Answers the server, client options for it and the
 * waiters' settings on that clock.
 */
async function twoObjectsOnRecordedClock(listKey: string, wire: (id: string, nowMs: number) => unknown) {
  const clock = { now: 0 };
  const { sleep } = recordingSleep(clock);
  const server = await startServer((request, response) => {
    const url = new URL(request.url, "http://test.invalid");
    if (url.pathname.endsWith(`/${listKey}`)) {
      const objects = [wire(INSTANCE_ID, clock.now), wire(OTHER_ID, clock.now)];
      sendJson(response, 200, { [listKey]: objects, total_count: 2 });
    } else sendJson(response, 200, wire(url.pathname.split("/").pop() ?? "", clock.now));
  });
  servers.push(server);
  const options = { ...testClientOptions(server.url), defaultProjectId: PROJECT_ID };
  return { server, options, settings: { sleep, now: () => clock.now } };
}

describe("RdbApi waiters share one list of instances", () => {
  it("lists the project's instances once per tick for two waiters, and GETs a lone one", async () => {
    const readyAtMs: Record<string, number> = { [INSTANCE_ID]: 2500, [OTHER_ID]: 3500 };
    const { server, options, settings } = await twoObjectsOnRecordedClock("instances", (id, nowMs) =>
      wireInstance(nowMs >= readyAtMs[id] ? "ready" : "provisioning", id),
    );
    const api = new RdbApi(options);
    const ready = await Promise.all(
      [INSTANCE_ID, OTHER_ID].map((instanceId) => api.waitForInstance({ instanceId }, settings)),
    );
    expect(ready.map((instance) => instance.status)).toEqual(["ready", "ready"]);
    const paths = server.requests.map((request) => request.url.replace(/^\/rdb\/v1\/regions\/fr-par/, ""));
    expect(paths.filter((path) => path.startsWith("/instances?"))).toEqual([
      "/instances?order_by=created_at_desc&project_id=105bdce1-64c0-48ab-899d-868455867ecf&page=1&page_size=100",
      "/instances?order_by=created_at_desc&project_id=105bdce1-64c0-48ab-899d-868455867ecf&page=1&page_size=100",
      "/instances?order_by=created_at_desc&project_id=105bdce1-64c0-48ab-899d-868455867ecf&page=1&page_size=100",
    ]);
    // The first look GETs; the second waiter's first look joins the next tick; the lone one left GETs.
    expect(paths.filter((path) => !path.includes("?"))).toEqual([
      `/instances/${INSTANCE_ID}`,
      `/instances/${OTHER_ID}`,
    ]);
  });
});

describe("ServerlessSqlApi waiters share one list of backups", () => {
  it("lists the project's backups once per tick for two exports being waited for", async () => {
    const exportedAtMs: Record<string, number> = { [INSTANCE_ID]: 2500, [OTHER_ID]: 3500 };
    const { server, options, settings } = await twoObjectsOnRecordedClock("backups", (id, nowMs) => {
      const exported = nowMs >= exportedAtMs[id];
      return {
        id,
        status: "ready",
        organization_id: PROJECT_ID,
        project_id: PROJECT_ID,
        database_id: "a8f2b1c4-1d2e-4f3a-9b8c-7d6e5f4a3b2c",
        created_at: "2025-03-01T10:00:00Z",
        expires_at: null,
        size: exported ? 1024 : null,
        db_size: 2048,
        download_url: exported ? `https://s3.example.invalid/${id}?X-Amz-Signature=abc` : null,
        download_url_expires_at: exported ? "2025-03-02T10:00:00Z" : null,
        region: "fr-par",
      };
    });
    const api = new ServerlessSqlApi(options);
    const exported = await Promise.all(
      [INSTANCE_ID, OTHER_ID].map((backupId) => api.waitForServerlessBackup({ backupId }, settings)),
    );
    expect(exported.every((backup) => backup.downloadUrl !== null)).toBe(true);
    const paths = server.requests.map((request) =>
      request.url.replace(/^\/serverless-sqldb\/v1alpha1\/regions\/fr-par/, ""),
    );
    const lists = paths.filter((path) => path.startsWith("/backups?"));
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(new Set(lists)).toEqual(
      new Set([
        "/backups?project_id=105bdce1-64c0-48ab-899d-868455867ecf&order_by=created_at_desc&page=1&page_size=100",
      ]),
    );
    expect(paths.filter((path) => !path.includes("?")).length).toBeLessThan(lists.length * 2);
  });
});
