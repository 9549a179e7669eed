// When a download URL is renewed: by a real `up` whose `__appliedAt` falls within the renewal window before the URL
// expires, never by a preview or a refresh. One rule, shared by the diff and the update of the three exporting resources.
import type { Outputs } from "./resource-impl";

/** Scaleway's URLs live 24 hours: the `up` in their last hour renews them. */
export const SCALEWAY_RENEW_BEFORE_MS = 60 * 60_000;

/** Scalingo's archive links live 15 minutes (the emulator's lifetime; Scalingo documents none): renew in the last 5. */
export const SCALINGO_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * How long before its expiry a URL is renewed: `renewBeforeMs`, but at most half the URL's own lifetime when its
 * presigned query states it (`X-Amz-Expires`), so that a URL living less than twice the window is not renewed by
 * every `up` and does not read as due on the refresh right after the `up` that made it.
 */
export function renewalWindowMs(url: string, renewBeforeMs: number): number {
  let lifetimeSeconds = Number.NaN;
  try {
    lifetimeSeconds = Number(new URL(url).searchParams.get("X-Amz-Expires") ?? Number.NaN);
  } catch {
    return renewBeforeMs;
  }
  return lifetimeSeconds > 0 ? Math.min(renewBeforeMs, (lifetimeSeconds * 1000) / 2) : renewBeforeMs;
}

/**
 * Whether the URL in `outputs` must be replaced by a deployment made at `atMs`: there is none, or it expires within
 * the renewal window. A URL whose expiry is unknown (an opaque link) is kept while it is there.
 */
export function isRenewalDue(outputs: Outputs, atMs: number, renewBeforeMs: number): boolean {
  const url = outputs.downloadUrl;
  if (typeof url !== "string" || url === "") return true;
  const expiresAt = outputs.downloadUrlExpiresAt;
  if (typeof expiresAt !== "string") return false;
  const expiry = Date.parse(expiresAt);
  return Number.isNaN(expiry) || expiry <= atMs + renewalWindowMs(url, renewBeforeMs);
}

/**
 * The `diff` rule: a renewal is a change only for the inputs of a real `up` (they carry `__appliedAt`), never for a
 * preview (none) and never for a refresh (the last `up`'s `__appliedAt`, by which the URL it left was still valid).
 */
export function renewalDue(olds: Outputs, news: Outputs, renewBeforeMs: number): boolean {
  if (typeof news.__appliedAt !== "string") return false;
  const appliedAt = Date.parse(news.__appliedAt);
  return !Number.isNaN(appliedAt) && isRenewalDue(olds, appliedAt, renewBeforeMs);
}

/** The time an `update` judges the URL at: the `up`'s own `__appliedAt`, so that it renews exactly what diff saw. */
export function appliedAtMs(inputs: Outputs): number {
  const appliedAt = typeof inputs.__appliedAt === "string" ? Date.parse(inputs.__appliedAt) : Number.NaN;
  return Number.isNaN(appliedAt) ? Date.now() : appliedAt;
}
