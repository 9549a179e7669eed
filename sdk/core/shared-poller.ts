// One poll loop per kind of object (and scope: API, credentials, region, project) in the process: each tick lists the
// objects once and hands every waiter its own, so N concurrent waiters cost one list per tick instead of N GETs.
import { createHash } from "node:crypto";
import type { Clock, Sleep } from "./rate-limiter";
import type { CallOptions } from "./transport";

type RetryOptions = Omit<CallOptions, "signal">;

/** How the waiters of one kind and scope are served together; waiters passing equal `key`s share a loop. */
export interface SharedPolling {
  /** Identifies the kind and scope, e.g. `rdb-instances https://api… <key hash> fr-par <project>`. */
  key: string;
  /** The id of the object this waiter waits for, as `list` keys it. */
  id: string;
  /**
   * The objects of the kind in the scope, keyed by id: every page, or those read until all of `wanted` (the ids the
   * waiters wait for) were seen; `pages` is how many requests that took.
   */
  list: (signal: AbortSignal, retry: RetryOptions, wanted: ReadonlySet<string>) => Promise<Listed>;
}

/** What a shared list saw. */
export interface Listed {
  objects: Map<string, unknown>;
  pages: number;
  /**
   * Whether the object's absence from `objects` shows that it does not exist. A list read in several pages is no
   * snapshot: an object deleted meanwhile shifts the later ones a page up, and one can slip between two pages unseen.
   * Default: only for a list of one page.
   */
  provesAbsent?: (id: string) => boolean;
}

/** The largest page the list endpoints serve: a shared poll of up to 100 objects is one request. */
export const SHARED_POLL_PAGE_SIZE = 100;

/** A scope key part that tells credentials apart without holding them (a key may show up in traces). */
export function credentialTag(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 16);
}

/** The creation times a page of a newest-first list spans; `open*`: nothing lies beyond it on that side. */
interface PageSpan {
  newestMs: number;
  oldestMs: number;
  openNewer: boolean;
  openOlder: boolean;
}

/** Whether an object created at `createdMs` was within the page when it was read: strictly, so that ties do not count. */
function withinPage(span: PageSpan, createdMs: number): boolean {
  return (span.openNewer || createdMs < span.newestMs) && (span.openOlder || createdMs > span.oldestMs);
}

/**
 * `SharedPolling.list` over a paginated list endpoint that lists the newest first (the objects being waited for are
 * mostly new ones, on the first page), read page by page until the last one or until every wanted object was seen.
 * An object missing from several pages is known gone when its creation time (from an earlier list) falls strictly
 * within one page's: it would have been on that page, a snapshot of its span. Near a page's edge, its GET tells.
 */
export function pagedList(
  listPage: (
    page: number,
    pageSize: number,
    options: CallOptions,
  ) => Promise<{ items: Array<{ id: string; createdAt: string | null }>; totalCount: number }>,
): SharedPolling["list"] {
  /** The creation times of the objects the last list saw, and of wanted ones earlier lists saw (NaN: unknown). */
  let createdMs = new Map<string, number>();
  return async (signal, retry, wanted) => {
    const objects = new Map<string, unknown>();
    const seenCreatedMs = new Map<string, number>();
    const spans: PageSpan[] = [];
    let unseen = wanted.size;
    for (let page = 1; ; page++) {
      const { items, totalCount } = await listPage(page, SHARED_POLL_PAGE_SIZE, { signal, ...retry });
      const times = items.map((item) => Date.parse(item.createdAt ?? ""));
      for (const [index, item] of items.entries()) {
        if (wanted.has(item.id) && !objects.has(item.id)) unseen--;
        objects.set(item.id, item);
        seenCreatedMs.set(item.id, times[index]);
      }
      const lastPage = items.length < SHARED_POLL_PAGE_SIZE || page * SHARED_POLL_PAGE_SIZE >= totalCount;
      // A page tells what it would have held only when it came newest first as asked: an API that ignored `order_by`
      // must never make an object that exists read as deleted.
      const newestFirst = times.every(
        (ms, index) => !Number.isNaN(ms) && (index === 0 || ms <= times[index - 1]),
      );
      if (items.length > 0 && newestFirst) {
        spans.push({
          newestMs: times[0],
          oldestMs: times[times.length - 1],
          openNewer: page === 1,
          openOlder: items.length < SHARED_POLL_PAGE_SIZE,
        });
      }
      if (lastPage || unseen === 0) {
        for (const id of wanted) {
          const knownMs = createdMs.get(id);
          if (!seenCreatedMs.has(id) && knownMs !== undefined) seenCreatedMs.set(id, knownMs);
        }
        createdMs = seenCreatedMs;
        const provesAbsent = (id: string) => {
          const atMs = seenCreatedMs.get(id);
          return page === 1 || (atMs !== undefined && spans.some((span) => withinPage(span, atMs)));
        };
        return { objects, pages: page, provesAbsent };
      }
    }
  };
}

interface Waiter {
  id: string;
  dueAtMs: number;
  /** Time the waiter still has before its deadline, as a retry budget for the requests made for it. */
  budgetMs: number;
  fetchOne: (signal: AbortSignal, retry: RetryOptions) => Promise<unknown>;
  /**
   * What an object missing from a list that proves it absent means to this waiter: a value (e.g. "deleted"), or
   * undefined to GET it (as is done when the list does not prove it, see `Listed.provesAbsent`).
   */
  whenAbsent: (() => unknown) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Wakes the loop's sleep when a waiter comes or goes, so that it recomputes when to tick. */
class Wakeup {
  private controller = new AbortController();
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  fire(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}

class PollGroup {
  private readonly waiters = new Set<Waiter>();
  private running = false;
  private readonly wakeup = new Wakeup();
  /** Requests the last full list took: a tick with no more due waiters than this GETs them one by one instead. */
  private lastPages = 1;
  /** When the loop last ticked, if it has. */
  lastTickMs: number | undefined;

  constructor(
    private readonly list: SharedPolling["list"],
    private readonly sleep: Sleep,
    private readonly now: Clock,
  ) {}

  /** Whether the loop has no waiter and has not ticked for `forMs`: it can be forgotten. */
  idleFor(forMs: number): boolean {
    return !this.running && (this.lastTickMs === undefined || this.now() - this.lastTickMs >= forMs);
  }

  add(waiter: Waiter): void {
    this.waiters.add(waiter);
    if (this.running) this.wakeup.fire();
    else void this.run();
  }

  /** When the loop ticks next, if it has waiters. */
  nextTickMs(): number | undefined {
    return this.waiters.size === 0
      ? undefined
      : Math.min(...[...this.waiters].map((waiter) => waiter.dueAtMs));
  }

  remove(waiter: Waiter): void {
    if (this.waiters.delete(waiter)) this.wakeup.fire();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.size > 0) {
        const nowMs = this.now();
        const nextDueMs = Math.min(...[...this.waiters].map((waiter) => waiter.dueAtMs));
        if (nextDueMs > nowMs) {
          await this.sleep(nextDueMs - nowMs, this.wakeup.signal).catch(() => undefined);
          continue;
        }
        this.lastTickMs = nowMs;
        await this.tick(nowMs);
        // Served waiters handle their value in microtasks and come back with their next due time before this runs.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async tick(nowMs: number): Promise<void> {
    const waiters = [...this.waiters];
    const due = waiters.filter((waiter) => waiter.dueAtMs <= nowMs);
    const signal = new AbortController().signal;
    if (due.length <= this.lastPages) {
      for (const waiter of due) this.waiters.delete(waiter);
      await Promise.all(due.map((waiter) => this.serveOne(waiter, signal)));
      return;
    }
    for (const waiter of waiters) this.waiters.delete(waiter);
    const budgetMs = Math.min(...waiters.map((waiter) => waiter.budgetMs));
    let listed: Listed;
    try {
      const wanted = new Set(waiters.map((waiter) => waiter.id));
      listed = await this.list(signal, { retryBudgetMs: budgetMs, statusCheck: true }, wanted);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    this.lastPages = Math.max(1, listed.pages);
    const provesAbsent = listed.provesAbsent ?? (() => listed.pages <= 1);
    const missing: Waiter[] = [];
    for (const waiter of waiters) {
      if (listed.objects.has(waiter.id)) waiter.resolve(listed.objects.get(waiter.id));
      else if (waiter.whenAbsent && provesAbsent(waiter.id)) waiter.resolve(waiter.whenAbsent());
      else missing.push(waiter);
    }
    await Promise.all(missing.map((waiter) => this.serveOne(waiter, signal)));
  }

  private async serveOne(waiter: Waiter, signal: AbortSignal): Promise<void> {
    try {
      waiter.resolve(await waiter.fetchOne(signal, { retryBudgetMs: waiter.budgetMs, statusCheck: true }));
    } catch (error) {
      waiter.reject(error);
    }
  }
}

/**
 * When a waiter allowed to wait `joinWithinMs` past `dueAtMs` is served: alone, at once, unless the loop ticked less
 * than that slack ago (waiters are coming one after another, as a stack's deletes do under a rate limit: the next tick
 * comes one slack after the last, for the next arrivals to join, instead of a GET each); with others, at their tick if
 * it comes within that slack, else at the end of the slack (a tick the next arrivals can join in turn).
 */
function dueAtInGroup(
  plannedTickMs: number | undefined,
  lastTickMs: number | undefined,
  dueAtMs: number,
  joinWithinMs: number,
): number {
  if (joinWithinMs === 0) return dueAtMs;
  if (plannedTickMs === undefined) {
    return lastTickMs === undefined
      ? dueAtMs
      : Math.max(dueAtMs, Math.min(lastTickMs, dueAtMs) + joinWithinMs);
  }
  return plannedTickMs <= dueAtMs + joinWithinMs ? Math.max(dueAtMs, plannedTickMs) : dueAtMs + joinWithinMs;
}

/** An idle loop that has not ticked for this long is forgotten. */
const FORGET_IDLE_LOOP_MS = 60_000;

const groups = new WeakMap<Sleep, WeakMap<Clock, Map<string, PollGroup>>>();

/** The loop of `key` for waiters on this sleep and clock (waiters on different clocks never share one). */
function groupFor(key: string, list: SharedPolling["list"], sleep: Sleep, now: Clock): PollGroup {
  let byClock = groups.get(sleep);
  if (!byClock) {
    byClock = new WeakMap();
    groups.set(sleep, byClock);
  }
  let byKey = byClock.get(now);
  if (!byKey) {
    byKey = new Map();
    byClock.set(now, byKey);
  }
  let group = byKey.get(key);
  if (!group || group.idleFor(FORGET_IDLE_LOOP_MS)) {
    // Idle loops stay a while (their last tick spaces the next arrivals' first looks); stale ones are forgotten.
    for (const [other, idle] of byKey) if (idle.idleFor(FORGET_IDLE_LOOP_MS)) byKey.delete(other);
    group = new PollGroup(list, sleep, now);
    byKey.set(key, group);
  }
  return group;
}

export interface ObserveRequest<T> {
  shared: SharedPolling;
  /** When this waiter needs its next look at the object; a tick for other waiters may serve it earlier. */
  dueAtMs: number;
  /** The look may wait this long past `dueAtMs` when other waiters share the loop, so that it joins their tick. */
  joinWithinMs?: number;
  budgetMs: number;
  fetchOne: (signal: AbortSignal, retry: RetryOptions) => Promise<T>;
  whenAbsent?: () => T;
  signal?: AbortSignal;
  sleep: Sleep;
  now: Clock;
}

/**
 * The object as seen by the loop's first tick at or after `dueAtMs` (a list when several waiters are due, the
 * waiter's own GET otherwise). Rejects with the list's or the GET's error, or with the abort reason.
 */
export function observeShared<T>(request: ObserveRequest<T>): Promise<T> {
  const group = groupFor(request.shared.key, request.shared.list, request.sleep, request.now);
  return new Promise<T>((resolve, reject) => {
    const signal = request.signal;
    const onAbort = () => {
      group.remove(waiter);
      reject(signal?.reason);
    };
    const settle =
      <V>(finish: (value: V) => void) =>
      (value: V) => {
        signal?.removeEventListener("abort", onAbort);
        finish(value);
      };
    const waiter: Waiter = {
      id: request.shared.id,
      dueAtMs: dueAtInGroup(group.nextTickMs(), group.lastTickMs, request.dueAtMs, request.joinWithinMs ?? 0),
      budgetMs: request.budgetMs,
      fetchOne: request.fetchOne,
      whenAbsent: request.whenAbsent,
      resolve: settle((value: unknown) => resolve(value as T)),
      reject: settle(reject),
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    group.add(waiter);
  });
}
