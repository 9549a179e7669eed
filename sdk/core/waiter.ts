// Polling until a resource leaves its transient states (or disappears), with an adaptive poll interval, a deadline,
// cancellation, progress reporting, outages ridden out, and typed failures. Policy, sleep and clock are injectable.
import { ApiError, NetworkError, WaitAbortedError, WaitFailedError, WaitTimeoutError } from "./errors";
import { type Clock, realSleep, type Sleep } from "./rate-limiter";
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
    try {
      value = await options.fetch(options.signal, {
        retryBudgetMs: Math.max(0, deadlineMs - (now() - startMs)),
        onRetry: (notice) => reportRetry(notice.reason, notice.delayMs),
      });
    } catch (error) {
      if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
      const leftMs = deadlineMs - (now() - startMs);
      if (!isOutage(error) || leftMs <= 0) throw error;
      failedPolls++;
      const delayMs = Math.min(OUTAGE_MAX_DELAY_MS, 1000 * 2 ** (failedPolls - 1), leftMs);
      reportRetry(outageReason(error), delayMs);
      await pause(delayMs);
      continue;
    }
    failedPolls = 0;
    const status = options.statusOf(value);
    const elapsedMs = now() - startMs;
    options.onProgress?.({
      resource: options.resource,
      status,
      previousStatus,
      changed: status !== previousStatus,
      elapsedMs,
      polls,
    });
    previousStatus = status;
    if (options.isFailure?.(value)) throw new WaitFailedError(options.resource, status, elapsedMs);
    if (!options.isTransient(value)) return value;
    if (elapsedMs >= deadlineMs) throw new WaitTimeoutError(options.resource, status, elapsedMs);
    await pause(Math.max(0, Math.min(policy.nextDelayMs(elapsedMs, polls), deadlineMs - elapsedMs)));
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
    statusOf: (value) => (value === GONE ? "deleted" : options.statusOf(value)),
    isTransient: (value) => value !== GONE,
    isFailure: (value) => value !== GONE && (options.isFailure?.(value) ?? false),
  });
}
