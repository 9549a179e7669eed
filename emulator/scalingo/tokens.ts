// Scalingo's bearer tokens as the emulator mints them: HS256 JWTs signed with a per-emulator secret, one kind
// exchanged for a user API token (auth API) and one scoped to a single database addon (main API → database API).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Both kinds of token live one hour, as the real ones do. */
export const TOKEN_LIFETIME_SECONDS = 3600;

export interface UserClaims {
  kind: "user";
  /** Stable user id derived from the user API token, so rate limits follow the user, not each JWT. */
  userId: string;
  iat: number;
  exp: number;
}

export interface AddonClaims {
  kind: "addon";
  userId: string;
  app: string;
  addonId: string;
  iat: number;
  exp: number;
}

export type TokenClaims = UserClaims | AddonClaims;

export type VerifiedToken<T extends TokenClaims> = { ok: true; claims: T } | { ok: false; reason: string };

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function newSigningSecret(): string {
  return randomBytes(32).toString("hex");
}

export function userIdForApiToken(apiToken: string): string {
  return `us-${createHash("sha256").update(apiToken).digest("hex").slice(0, 32)}`;
}

export function signToken(claims: TokenClaims, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iss: "Scalingo Emulator", ...claims }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function decodePayload(payload: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isTokenClaims(value: Record<string, unknown>): value is Record<string, unknown> & TokenClaims {
  const common =
    typeof value.userId === "string" && typeof value.iat === "number" && typeof value.exp === "number";
  if (!common) return false;
  if (value.kind === "user") return true;
  return value.kind === "addon" && typeof value.app === "string" && typeof value.addonId === "string";
}

function hasKind<K extends TokenClaims["kind"]>(
  claims: TokenClaims,
  kind: K,
): claims is TokenClaims & { kind: K } {
  return claims.kind === kind;
}

/** Checks signature, expiry (against `nowMs`) and kind of a JWT. */
export function verifyToken<K extends TokenClaims["kind"]>(
  token: string,
  kind: K,
  secret: string,
  nowMs: number,
): VerifiedToken<TokenClaims & { kind: K }> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid token" };
  const [header, payload, signature] = parts;
  const expected = Buffer.from(
    createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url"),
  );
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "invalid token" };
  }
  const claims = decodePayload(payload);
  if (!claims || !isTokenClaims(claims) || !hasKind(claims, kind))
    return { ok: false, reason: "invalid token" };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: "token has expired" };
  return { ok: true, claims };
}

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : undefined;
}

/** The password of `Authorization: Basic base64(user:password)` (Scalingo puts the API token there). */
export function basicAuthPassword(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const value = headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}
