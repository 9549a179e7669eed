// Polling until a resource leaves its transient states (or disappears), with an adaptive poll interval, a deadline,
// cancellation, progress reporting, outages ridden out, and typed failures. Policy, sleep and clock are injectable.
import { appendFileSync } from "node:fs";
import { ApiError, NetworkError, WaitAbortedError, WaitFailedError, WaitTimeoutError } from "./errors";
import { type Clock, realSleep, type Sleep } from "./rate-limiter";
import { observeShared, type SharedPolling } from "./shared-poller";
import type { CallOptions } from "./transport";

/** Decides how long to wait before the next poll, given the time already waited. */
export interface PollPolicy {
  readonly name: string;
  nextDelayMs(elapsedMs: number, polls: number): number;
}

/**
 * The default policy: the interval is 5 % of the time already waited, at least 1 s and at most 10 s. A transition
 * is therefore noticed within max(1 s, 5 % of the wait so far), while long waits cost at most 6 GETs a minute.
 */
export function adaptivePollPolicy(
  options: { minMs?: number; maxMs?: number; fraction?: number } = {},
): PollPolicy {
  const minMs = options.minMs ?? 1000;
  const maxMs = options.maxMs ?? 10_000;
  const fraction = options.fraction ?? 0.05;
  return {
    name: `adaptive ${minMs / 1000}-${maxMs / 1000} s`,
    nextDelayMs: (elapsedMs) => Math.min(maxMs, Math.max(minMs, elapsedMs * fraction)),
  };
}

export function fixedPollPolicy(intervalMs: number): PollPolicy {
  return { name: `fixed ${intervalMs / 1000} s`, nextDelayMs: () => intervalMs };
}

export const DEFAULT_POLL_POLICY = adaptivePollPolicy();
export const DEFAULT_INSTANCE_DEADLINE_MS = 30 * 60_000;
export const DEFAULT_BACKUP_DEADLINE_MS = 15 * 60_000;

/** Polls that failed in a row during an outage are retried after 1 s, 2 s, 4 s… up to this. */
const OUTAGE_MAX_DELAY_MS = 10_000;

export interface WaitProgress {
  resource: string;
  status: string;
  previousStatus: string | undefined;
  /** True when this poll saw a different status than the previous one. */
  changed: boolean;
  elapsedMs: number;
  polls: number;
  /**
   * Set when a poll failed (connection error, 5xx, 429) and is retried: `status` is then the last status seen (or
   * `unknown`), and the wait goes on until the deadline.
   */
  retrying?: { reason: string; delayMs: number };
  /**
   * On a change: the time since the previous look at the object, an upper bound on how late the change was noticed
   * (the rule keeps it within max(1 s, 5 % of the time already waited) under the default policy).
   */
  sinceLastLookMs?: number;
}

/** How a wait is run; every field has a default so callers only pass what they care about. */
export interface WaitSettings {
  /** Default 30 min. */
  deadlineMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WaitProgress) => void;
  pollPolicy?: PollPolicy;
  sleep?: Sleep;
  now?: Clock;
}

export interface WaitOptions<T> extends WaitSettings {
  /** Human-readable subject for messages, e.g. `instance 1234`. */
  resource: string;
  /** One poll; `retry` caps the request's own retries by the time left and reports them as progress. */
  fetch: (signal?: AbortSignal, retry?: Omit<CallOptions, "signal">) => Promise<T>;
  statusOf: (value: T) => string;
  isTransient: (value: T) => boolean;
  isFailure?: (value: T) => boolean;
  /**
   * Poll through the process-wide loop of this kind and scope instead of alone (see `shared-poller.ts`); ignored
   * when PULUMI_DBAAS_SHARED_POLLING=0.
   */
  shared?: SharedPolling;
  /** With `shared`: what the object missing from a one-page list means (default, and after more pages: GET it). */
  whenAbsent?: () => T;
}

/**
 * Appends a noticed change to the file named by PULUMI_DBAAS_WAIT_TRACE (JSON lines; a benchmark's view into the
 * provider host): how long since the previous look, and what the detection-lag rule allows for it.
 */
function traceChange(
  resource: string,
  status: string,
  sinceLastLookMs: number,
  previousElapsedMs: number,
): void {
  const file = process.env.PULUMI_DBAAS_WAIT_TRACE;
  if (!file) return;
  const allowedMs = Math.max(1000, 0.05 * previousElapsedMs);
  appendFileSync(file, `${JSON.stringify({ resource, status, sinceLastLookMs, allowedMs })}\n`);
}

/** Whether waiters may share poll loops: on unless PULUMI_DBAAS_SHARED_POLLING=0. */
function sharedPollingEnabled(): boolean {
  return process.env.PULUMI_DBAAS_SHARED_POLLING !== "0";
}

/**
 * Whether a failed poll is an outage to ride out: no HTTP answer, or a server error (501, "not implemented", is no
 * outage). A 404 and other client errors keep their meaning.
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof NetworkError) return error.code !== "ERR_CANCELED";
  return error instanceof ApiError && error.status >= 500 && error.status !== 501;
}

/**
 * Polls until `isTransient` is false and returns the last value; throws on failure status, deadline or abort.
 * A poll failing with an outage (see `isOutage`) is retried with backoff until the deadline, reported as progress.
 */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const policy = options.pollPolicy ?? DEFAULT_POLL_POLICY;
  const deadlineMs = options.deadlineMs ?? DEFAULT_INSTANCE_DEADLINE_MS;
  const startMs = now();
  let previousStatus: string | undefined;
  let failedPolls = 0;
  const shared = sharedPollingEnabled() ? options.shared : undefined;
  /** When the next look is due; in shared mode the loop decides the moment, so the pause happens there. */
  let nextLookAtMs = startMs;
  let lastLookAtMs: number | undefined;
  const pause = async (delayMs: number) => {
    try {
      await sleep(delayMs, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
      throw error;
    }
  };
  for (let polls = 1; ; polls++) {
    if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
    const reportRetry = (reason: string, delayMs: number) =>
      options.onProgress?.({
        resource: options.resource,
        status: previousStatus ?? "unknown",
        previousStatus,
        changed: false,
        elapsedMs: now() - startMs,
        polls,
        retrying: { reason, delayMs },
      });
    let value: T;
    /** When this look was asked for: its due time in a shared loop, else now. */
    const askedAtMs = shared ? nextLookAtMs : now();
    try {
      const retry = {
        retryBudgetMs: Math.max(0, deadlineMs - (now() - startMs)),
        statusCheck: true,
        onRetry: (notice: { reason: string; delayMs: number }) => reportRetry(notice.reason, notice.delayMs),
      };
      value = shared
        ? await observeShared({
            shared,
            dueAtMs: nextLookAtMs,
            joinWithinMs: polls === 1 ? policy.nextDelayMs(0, 0) : 0,
            budgetMs: retry.retryBudgetMs,
            fetchOne: (signal, listRetry) => options.fetch(signal, { ...listRetry, onRetry: retry.onRetry }),
            whenAbsent: options.whenAbsent,
            signal: options.signal,
            sleep,
            now,
          })
        : await options.fetch(options.signal, retry);
    } catch (error) {
      if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
      const leftMs = deadlineMs - (now() - startMs);
      if (!isOutage(error) || leftMs <= 0) throw error;
      failedPolls++;
      const delayMs = Math.min(OUTAGE_MAX_DELAY_MS, 1000 * 2 ** (failedPolls - 1), leftMs);
      reportRetry(outageReason(error), delayMs);
      await pause(delayMs);
      nextLookAtMs = now();
      continue;
    }
    failedPolls = 0;
    const status = options.statusOf(value);
    const lookAtMs = now();
    const elapsedMs = lookAtMs - startMs;
    const changed = status !== previousStatus;
    options.onProgress?.({
      resource: options.resource,
      status,
      previousStatus,
      changed,
      elapsedMs,
      polls,
      ...(changed && lastLookAtMs !== undefined ? { sinceLastLookMs: lookAtMs - lastLookAtMs } : {}),
    });
    if (changed && lastLookAtMs !== undefined) {
      traceChange(options.resource, status, lookAtMs - lastLookAtMs, lastLookAtMs - startMs);
    }
    previousStatus = status;
    lastLookAtMs = lookAtMs;
    if (options.isFailure?.(value)) throw new WaitFailedError(options.resource, status, elapsedMs);
    if (!options.isTransient(value)) return value;
    if (elapsedMs >= deadlineMs) throw new WaitTimeoutError(options.resource, status, elapsedMs);
    const delayMs = Math.max(0, Math.min(policy.nextDelayMs(elapsedMs, polls), deadlineMs - elapsedMs));
    // A look takes a while to be answered (the rate limiter's queue, the round trip, a busy event loop): the next one
    // is asked that much sooner (up to half the delay), so that answers come `delayMs` apart and a change is noticed
    // within the rule. A first look in a shared loop may have waited to join a tick, which is no answer time.
    const answerMs = polls === 1 && shared ? 0 : Math.min(delayMs / 2, Math.max(0, lookAtMs - askedAtMs));
    if (shared) nextLookAtMs = lookAtMs + delayMs - answerMs;
    else await pause(delayMs - answerMs);
  }
}

function outageReason(error: unknown): string {
  return error instanceof NetworkError ? error.code : `HTTP ${(error as ApiError).status}`;
}

export interface WaitForDeletionOptions<T> extends Omit<WaitOptions<T>, "isTransient"> {
  /** Recognizes "the resource no longer exists"; default: an ApiError with status 404. */
  isGone?: (error: unknown) => boolean;
}

const GONE: unique symbol = Symbol("deleted");

/** Polls until fetching answers 404; a failure status while the object still exists is a WaitFailedError. */
export async function waitForDeletion<T>(options: WaitForDeletionOptions<T>): Promise<void> {
  const isGone = options.isGone ?? ((error: unknown) => error instanceof ApiError && error.status === 404);
  await waitFor<T | typeof GONE>({
    ...options,
    fetch: async (signal, retry) => {
      try {
        return await options.fetch(signal, retry);
      } catch (error) {
        if (isGone(error)) return GONE;
        throw error;
      }
    },
    whenAbsent: () => GONE,
    statusOf: (value) => (value === GONE ? "deleted" : options.statusOf(value)),
    isTransient: (value) => value !== GONE,
    isFailure: (value) => value !== GONE && (options.isFailure?.(value) ?? false),
  });
}

/** A resource a client's waiters watch: how to fetch it and read its status, and its default deadline. */
export interface Watched<T> extends Omit<WaitOptions<T>, keyof WaitSettings> {
  /** Used unless the wait's settings name another. */
  deadlineMs: number;
  /** For waits for its deletion: see `WaitForDeletionOptions.isGone`. */
  isGone?: (error: unknown) => boolean;
}

/** The settings complete what is watched; they choose the deadline but cannot change what is watched. */
function watching<T>({ deadlineMs, ...watched }: Watched<T>, settings: WaitSettings): WaitOptions<T> {
  return { deadlineMs, ...settings, ...watched };
}

/** Waits until the watched resource leaves its transient statuses (see `waitFor`). */
export function waitUntilSteady<T>(watched: Watched<T>, settings: WaitSettings = {}): Promise<T> {
  return waitFor(watching(watched, settings));
}

/** Waits until the watched resource is gone (see `waitForDeletion`). */
export function waitUntilGone<T>(watched: Watched<T>, settings: WaitSettings = {}): Promise<void> {
  return waitForDeletion(watching(watched, settings));
}

/** How a wait reads a resource's `status`: the `transient` ones are waited out, the `failure` ones fail the wait. */
export function statusChecks<T extends { status: string }>(
  transient: readonly string[],
  failure: readonly string[],
): Pick<WaitOptions<T>, "statusOf" | "isTransient" | "isFailure"> {
  return {
    statusOf: (value) => value.status,
    isTransient: (value) => transient.includes(value.status),
    isFailure: (value) => failure.includes(value.status),
  };
}

/** A resource watched by fetching it: `get` sends the request with each poll's options. */
export function watchedBy<T>(
  get: (options: CallOptions) => Promise<T>,
  watched: Omit<Watched<T>, "fetch">,
): Watched<T> {
  return { ...watched, fetch: (signal, retry) => get({ signal, ...retry }) };
}
