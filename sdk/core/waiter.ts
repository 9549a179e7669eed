// Polling until a resource leaves its transient states (or disappears), with an adaptive poll interval, a deadline,
// cancellation, progress reporting and typed failures. Policy, sleep and clock are injectable for tests and benchmarks.
import { ApiError, WaitAbortedError, WaitFailedError, WaitTimeoutError } from "./errors";
import { type Clock, realSleep, type Sleep } from "./rate-limiter";

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

export interface WaitProgress {
  resource: string;
  status: string;
  previousStatus: string | undefined;
  /** True when this poll saw a different status than the previous one. */
  changed: boolean;
  elapsedMs: number;
  polls: number;
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
  fetch: (signal?: AbortSignal) => Promise<T>;
  statusOf: (value: T) => string;
  isTransient: (value: T) => boolean;
  isFailure?: (value: T) => boolean;
}

/** Polls until `isTransient` is false and returns the last value; throws on failure status, deadline or abort. */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const policy = options.pollPolicy ?? DEFAULT_POLL_POLICY;
  const deadlineMs = options.deadlineMs ?? DEFAULT_INSTANCE_DEADLINE_MS;
  const startMs = now();
  let previousStatus: string | undefined;
  for (let polls = 1; ; polls++) {
    if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
    const value = await options.fetch(options.signal);
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
    const delayMs = Math.max(0, Math.min(policy.nextDelayMs(elapsedMs, polls), deadlineMs - elapsedMs));
    try {
      await sleep(delayMs, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw new WaitAbortedError(options.resource);
      throw error;
    }
  }
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
    fetch: async (signal) => {
      try {
        return await options.fetch(signal);
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
