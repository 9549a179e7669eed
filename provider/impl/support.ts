// Building blocks every resource implementation shares: ids, timeouts, plain-JSON outputs, init-failure errors,
// console progress and preview unknowns.
import { createHash } from "node:crypto";
import { NotFoundError } from "../../sdk";

/** What a preview sends for a value not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

/** Resource ids are `{region}/{uuid}`, as Terraform's imports and the Scaleway CLI write them. */
export function formatRegionalId(region: string, id: string): string {
  return `${region}/${id}`;
}

export function parseRegionalId(value: string, defaultRegion?: string): { region: string; id: string } {
  const slash = value.indexOf("/");
  if (slash > 0) return { region: value.slice(0, slash), id: value.slice(slash + 1) };
  if (defaultRegion === undefined) throw new Error(`"${value}" is not a {region}/{id} identifier`);
  return { region: defaultRegion, id: value };
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses Go-style durations as Terraform and Pulumi write them (`90s`, `20m`, `1h30m`); undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

export interface Timeouts {
  create?: string;
  update?: string;
  delete?: string;
}

export function timeoutMs(timeouts: Timeouts | undefined, op: keyof Timeouts, fallbackMs: number): number {
  const text = timeouts?.[op];
  return (text === undefined ? undefined : parseDuration(text)) ?? fallbackMs;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Outputs must be plain JSON: `undefined` anywhere makes the host fail with "Unexpected struct type" and a `Date`
 * silently becomes `{}`. Drops undefined keys, turns dates into RFC 3339 strings.
 */
export function plain(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map((item) => plain(item));
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = plain(item);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

export function plainObject(value: object): { [key: string]: Json } {
  return plain(value) as { [key: string]: Json };
}

/**
 * Thrown when the remote object exists but did not become ready: the host turns `id`/`properties`/`reasons` into
 * ErrorResourceInitFailed, so the engine records the resource instead of orphaning it, and the next run updates it.
 * The host stores `properties` exactly as given, without the `__provider` it adds to ordinary outputs, and a later
 * read or delete of the recorded resource loads the provider from them: so `__provider` is copied from the inputs.
 */
export class ResourceInitError extends Error {
  readonly properties: { [key: string]: Json };

  constructor(
    message: string,
    readonly id: string,
    inputs: { [key: string]: Json },
    properties: { [key: string]: Json },
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "ResourceInitError";
    this.properties =
      inputs.__provider === undefined ? properties : { ...properties, __provider: inputs.__provider };
  }
}

/**
 * Finishes a create whose object already exists remotely (waits for it, reads it back): when `finish` fails, throws
 * the ResourceInitError that records the object as `record` says, so the engine keeps it instead of orphaning it.
 */
export async function finishCreate<T>(
  record: {
    message: string;
    id: string;
    inputs: { [key: string]: Json };
    properties: { [key: string]: Json };
  },
  finish: () => Promise<T>,
): Promise<T> {
  try {
    return await finish();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ResourceInitError(`${record.message}: ${reason}`, record.id, record.inputs, record.properties, [
      reason,
    ]);
  }
}

/** The deterministic tag marking what a resource created, so an interrupted create is adopted, not duplicated. */
export function ownershipTag(identity: string): string {
  return `pulumi-dbaas:${createHash("sha256").update(identity).digest("hex").slice(0, 16)}`;
}

export function isOwnershipTag(tag: string): boolean {
  return /^pulumi-dbaas:[0-9a-f]{16}$/.test(tag);
}

const HEARTBEAT_MS = 30_000;

/**
 * Console progress for long waits, shown by the Pulumi CLI (and the local engine) from the provider's stdout:
 * every status transition, each poll retried through an outage (connection errors, 5xx, 429), and a heartbeat with
 * the elapsed time while nothing changes.
 */
export function progressReporter(
  label: string,
): (event: { status: string; elapsedMs: number; retrying?: { reason: string; delayMs: number } }) => void {
  let last: string | undefined;
  let lastPrintedAt = 0;
  return ({ status, elapsedMs, retrying }) => {
    const seconds = Math.round(elapsedMs / 1000);
    if (retrying) {
      const delay = (retrying.delayMs / 1000).toFixed(1);
      console.log(`${label}: status check failed (${retrying.reason}), retrying in ${delay}s (${seconds}s)`);
      lastPrintedAt = elapsedMs;
      return;
    }
    if (status !== last) {
      console.log(`${label}: ${last === undefined ? status : `${last} → ${status}`} (${seconds}s)`);
    } else if (elapsedMs - lastPrintedAt >= HEARTBEAT_MS) {
      console.log(`${label}: still ${status} (${seconds}s)`);
    } else {
      return;
    }
    last = status;
    lastPrintedAt = elapsedMs;
  };
}

/**
 * Sends a request about an object; undefined when the API answers 404 (it, or what holds it, is gone): a read
 * finds nothing, as a refresh needs, and a delete has nothing left to do.
 */
export async function unlessGone<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
