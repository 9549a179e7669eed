// Short-lived bearer tokens of the Scalingo auth chain, cached until shortly before they expire, and the expiry of
// presigned download URLs. Expiries are read from the tokens themselves (JWT `exp`) or the URL's signature params.
import { registerSecret } from "../core/redact";

/** A token is renewed once less than this is left, so a request never leaves with a token about to expire. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** Scalingo's tokens live one hour; used when a token does not say when it expires. */
export const TOKEN_FALLBACK_LIFETIME_MS = 60 * 60_000;

/** The `exp` claim of a JWT in milliseconds since the epoch, or undefined when the token is not a readable JWT. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null || !("exp" in claims)) return undefined;
    return typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One token, minted on demand and reused until less than `TOKEN_REFRESH_MARGIN_MS` of its life is left. Concurrent
 * callers share one mint; `invalidate` forgets the token (after a 401) so the next caller mints a new one.
 */
export class CachedToken {
  private token?: { value: string; expiresAtMs: number };
  private minting?: Promise<string>;

  constructor(
    private readonly mint: () => Promise<string>,
    private readonly now: () => number,
  ) {}

  async get(): Promise<string> {
    if (this.token && this.token.expiresAtMs - this.now() > TOKEN_REFRESH_MARGIN_MS) return this.token.value;
    this.minting ??= this.mintOnce();
    return this.minting;
  }

  invalidate(): void {
    this.token = undefined;
  }

  private async mintOnce(): Promise<string> {
    try {
      const value = await this.mint();
      registerSecret(value);
      this.token = { value, expiresAtMs: jwtExpiryMs(value) ?? this.now() + TOKEN_FALLBACK_LIFETIME_MS };
      return value;
    } finally {
      this.minting = undefined;
    }
  }
}

/**
 * When a presigned URL stops working: AWS signature v4 (`X-Amz-Date` + `X-Amz-Expires`) or v2 (`Expires`, epoch
 * seconds). Undefined when the URL carries neither, as with Scalingo's opaque `?token=` links.
 */
export function presignedUrlExpiry(url: string): Date | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const amzDate = params.get("X-Amz-Date");
  const amzExpires = params.get("X-Amz-Expires");
  if (amzDate && amzExpires && /^\d{8}T\d{6}Z$/.test(amzDate) && /^\d+$/.test(amzExpires)) {
    const signedAt = Date.parse(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    return new Date(signedAt + Number(amzExpires) * 1000);
  }
  const expires = params.get("Expires");
  return expires && /^\d+$/.test(expires) ? new Date(Number(expires) * 1000) : undefined;
}
