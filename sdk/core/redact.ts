// Redaction of secrets (auth headers, passwords, presigned URL signatures) before anything reaches a message or a log.
// Every error class and log line of the SDK goes through these helpers.

export const REDACTED = "[REDACTED]";

const SENSITIVE_HEADERS = new Set([
  "x-auth-token",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);
const SENSITIVE_KEY =
  /^(password|secret|secret_?key|token|access_token|client_secret|x-auth-token|authorization)$/i;
const SIGNATURE_PARAM =
  /(^|[?&])(x-amz-[a-z-]+|signature|sig|se|sp|sv|token|access_token|client_secret|expires|key|credential|policy)=/i;
const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>`]+/g;
const INLINE_SECRETS: RegExp[] = [
  /("?(?:password|secret_key|secretKey|token|access_token|client_secret)"?\s*[:=]\s*")([^"]*)(")/gi,
  /\b((?:password|access_token|client_secret|token)=)([^&\s"']+)()/gi,
  /\b(x-auth-token\s*[:=]\s*"?)([^\s",}]+)()/gi,
  /\b(authorization\s*[:=]\s*"?(?:bearer|basic)?\s*)([^\s",}]+)()/gi,
];

/** Secret values seen by the transport (tokens it sent, passwords in bodies); replaced wherever they appear. */
const knownSecrets = new Set<string>();

/** Remembers a secret value so that any later message or log line containing it is redacted. */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real tokens and passwords are at least 8 characters.
  if (value && value.length >= 8) knownSecrets.add(value);
}

/** Removes the query string of a URL whose query carries signature-like parameters (presigned URLs, tokens). */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return url;
  const query = url.slice(queryStart);
  return SIGNATURE_PARAM.test(query) ? `${url.slice(0, queryStart)}?${REDACTED}` : url;
}

/** Removes every query string of a download URL: its query is its credential. */
export function redactDownloadUrl(url: string): string {
  const queryStart = url.indexOf("?");
  return queryStart < 0 ? url : `${url.slice(0, queryStart)}?${REDACTED}`;
}

/** Redacts free text: presigned URLs, `password=`/`"password":"…"` patterns, auth header values, known secrets. */
export function redactText(text: string): string {
  let result = text.replace(URL_PATTERN, (url) => redactUrl(url));
  for (const pattern of INLINE_SECRETS) {
    result = result.replace(pattern, (_match, before: string, _secret: string, after: string) => {
      return `${before}${REDACTED}${after}`;
    });
  }
  for (const secret of knownSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** A copy of HTTP headers with credentials replaced. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return copy;
}

/** A deep copy of a JSON-like value with sensitive keys and every string redacted. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const sensitive = SENSITIVE_KEY.test(key) || SENSITIVE_HEADERS.has(key.toLowerCase());
      copy[key] = sensitive && inner !== null && inner !== undefined ? REDACTED : redactValue(inner);
      if (/download_?url/i.test(key) && typeof inner === "string") copy[key] = redactDownloadUrl(inner);
    }
    return copy;
  }
  return value;
}

/** Walks a request body and registers every `password`-like value as a secret. */
export function registerSecretsIn(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) registerSecretsIn(item);
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (SENSITIVE_KEY.test(key) && typeof inner === "string") registerSecret(inner);
      else registerSecretsIn(inner);
    }
  }
}
