// Settling non-idempotent requests whose fate is unknown (5xx, dropped connection or answer, timeout) inside the run:
// a create looks for what it may have made before sending again, a one-off change reads the object back first.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, NetworkError } from "../../sdk";
import { pendingCreateDir } from "./scalingo/pending-create";

/** Sends of one create or change within a run, the first included. */
export const SEND_ATTEMPTS = 3;

/** How far the API's clock may be behind ours when its `createdAt` is compared with when a create left. */
export const CLOCK_SKEW_MS = 10_000;

/** Whether an object created at `createdAt` (the API's clock) may come from a request sent at `sentAtMs`. */
export function createdSince(createdAt: string | null | undefined, sentAtMs: number): boolean {
  return typeof createdAt === "string" && Date.parse(createdAt) >= sentAtMs - CLOCK_SKEW_MS;
}

/** Pause before sending again after an ambiguous failure: 1 s, then 2 s, so that a short outage can pass. */
const RESEND_DELAY_MS = 1_000;

/**
 * Why a request may or may not have been carried out, or undefined when its answer says what happened: no HTTP
 * answer at all (dropped connection or answer, timeout), or a 5xx that a gateway may send after forwarding it.
 */
export function ambiguousFailure(error: unknown): string | undefined {
  if (error instanceof NetworkError) return error.code;
  if (error instanceof ApiError && error.status >= 500) return `HTTP ${error.status}`;
  return undefined;
}

/** A 409 `transient_state` refusal: nothing was done, and the same request succeeds once the object settles. */
function busyRefusal(error: unknown): string | undefined {
  return error instanceof ApiError && error.type === "transient_state"
    ? "HTTP 409 transient_state"
    : undefined;
}

export interface CreateSettling<T> {
  /** Names the resource in console lines and errors, e.g. `scaleway:DatabaseBackup dump`. */
  label: string;
  /** What is created, for the console: `instance`, `backup`… */
  what: string;
  send: () => Promise<T>;
  /**
   * What a create sent at `sentAtMs` (this machine's clock) may have made, or undefined when it certainly made
   * nothing. Throws when it cannot tell.
   */
  find: (sentAtMs: number) => Promise<T | undefined>;
  /** Names a found or created object in console lines. */
  describe: (made: T) => string;
  /**
   * Identifies this create across runs when `find` needs the time of the send (a backup with a chosen name, a
   * clone): the time is kept in a marker file until the create settles, so that the next run can still look.
   */
  resumeKey?: string;
}

interface SendMarker {
  sentAt: string;
}

function markerFile(key: string): string {
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return path.join(pendingCreateDir(), `create-${hash}.json`);
}

function readMarker(key: string): number | undefined {
  try {
    const sentAtMs = Date.parse((JSON.parse(fs.readFileSync(markerFile(key), "utf8")) as SendMarker).sentAt);
    return Number.isNaN(sentAtMs) ? undefined : sentAtMs;
  } catch {
    return undefined;
  }
}

function writeMarker(key: string, sentAtMs: number): void {
  const file = markerFile(key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(
    temporary,
    JSON.stringify({ sentAt: new Date(sentAtMs).toISOString() } satisfies SendMarker),
  );
  fs.renameSync(temporary, file);
}

function clearMarker(key: string | undefined): void {
  if (key !== undefined) fs.rmSync(markerFile(key), { force: true });
}

/**
 * Creates once, whatever the network does: after an ambiguous failure it looks for what the create may have made,
 * adopts it when found and sends again only when it is certainly absent, at most `SEND_ATTEMPTS` sends in all. A
 * 409 `transient_state` refusal is sent again after a pause. When the outcome stays unknown, the error says that the
 * object may exist and that the next run adopts it (its `find` runs before any new create).
 */
export async function settleCreate<T>(settling: CreateSettling<T>): Promise<T> {
  const { label, what, send, find, describe, resumeKey } = settling;
  const earlierSentAt = resumeKey === undefined ? undefined : readMarker(resumeKey);
  if (earlierSentAt !== undefined) {
    const earlier = await find(earlierSentAt);
    if (earlier !== undefined) {
      console.log(`${label}: found ${what} ${describe(earlier)} left by an interrupted run; adopting it`);
      clearMarker(resumeKey);
      return earlier;
    }
  }
  let lastReason = "";
  for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
    const sentAtMs = Date.now();
    if (resumeKey !== undefined) writeMarker(resumeKey, sentAtMs);
    try {
      const made = await send();
      clearMarker(resumeKey);
      return made;
    } catch (error) {
      const busy = busyRefusal(error);
      const reason = busy ?? ambiguousFailure(error);
      if (reason === undefined) {
        clearMarker(resumeKey);
        throw error;
      }
      lastReason = reason;
      if (busy === undefined) {
        console.log(
          `${label}: the create got no clear answer (${reason}); looking for the ${what} it may have made`,
        );
        let found: T | undefined;
        try {
          found = await find(sentAtMs);
        } catch (lookupError) {
          throw new UnsettledCreateError(label, what, reason, lookupError);
        }
        if (found !== undefined) {
          console.log(`${label}: the create did make ${what} ${describe(found)}; adopting it`);
          clearMarker(resumeKey);
          return found;
        }
        console.log(`${label}: no ${what} was made`);
      }
      if (attempt < SEND_ATTEMPTS) {
        console.log(`${label}: sending the create again (attempt ${attempt + 1} of ${SEND_ATTEMPTS})`);
        await sleep(RESEND_DELAY_MS * attempt);
      }
    }
  }
  clearMarker(resumeKey);
  throw new Error(
    `${label}: creating the ${what} failed ${SEND_ATTEMPTS} times (last: ${lastReason}); each time it was ` +
      "certainly not made, so nothing is left behind",
  );
}

/** A create whose outcome stayed unknown: the object may exist, and the next run looks for it before creating. */
export class UnsettledCreateError extends Error {
  constructor(label: string, what: string, reason: string, lookupError: unknown) {
    const detail = lookupError instanceof Error ? lookupError.message : String(lookupError);
    super(
      `${label}: the create got no clear answer (${reason}) and looking for its ${what} failed (${detail}); the ` +
        `${what} may exist: the next run finds and adopts it instead of creating another`,
    );
    this.name = "UnsettledCreateError";
  }
}

export interface ChangeSettling {
  label: string;
  /** What the change does, for the console: `upgrading nodeType`, `restoring database rdb`… */
  what: string;
  send: () => Promise<unknown>;
  /** Reads the object back: whether the change is applied or under way, so that it must not be sent again. */
  inEffect: () => Promise<boolean>;
}

/**
 * Sends a change that must not be applied twice (an upgrade, a restore): after an ambiguous failure the object is
 * read back, and the change is sent again only when it is neither applied nor under way.
 */
export async function settleChange(settling: ChangeSettling): Promise<void> {
  const { label, what, send, inEffect } = settling;
  let lastReason = "";
  for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
    try {
      await send();
      return;
    } catch (error) {
      const reason = ambiguousFailure(error);
      if (reason === undefined) throw error;
      lastReason = reason;
      console.log(`${label}: ${what} got no clear answer (${reason}); reading the object back`);
      if (await inEffect()) {
        console.log(`${label}: ${what} did reach the API; not sending it again`);
        return;
      }
      if (attempt < SEND_ATTEMPTS) {
        console.log(
          `${label}: ${what} did not happen; sending it again (attempt ${attempt + 1} of ${SEND_ATTEMPTS})`,
        );
        await sleep(RESEND_DELAY_MS * attempt);
      }
    }
  }
  throw new Error(
    `${label}: ${what} failed ${SEND_ATTEMPTS} times (last: ${lastReason}) and was not applied; the next run ` +
      "tries again",
  );
}
