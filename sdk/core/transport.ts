// The HTTP transport every API client is built on: axios underneath, auth hook, User-Agent, timeouts, JSON, zod
// parsing of answers, adaptive rate limiting, retries within a time budget, settling of 409 transient states, and
// typed, redacted errors.
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { z } from "zod";
import { ApiError, NetworkError, type RequestSummary, UnexpectedResponseError } from "./errors";
import { type Clock, realSleep, type Sleep, type TokenBucket } from "./rate-limiter";
import { redactText, registerSecret, registerSecretsIn } from "./redact";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkCode,
  isRetryableStatus,
  nextRetryDelay,
  parseRetryAfter,
  type RetryPolicy,
} from "./retry";
import { userAgent } from "./version";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;
export type LogHook = (line: string) => void;

/** Sets authentication headers before each attempt (e.g. `X-Auth-Token`, or a Bearer token minted on demand). */
export type AuthHook = (headers: Record<string, string>) => void | Promise<void>;

/** Everything a platform-specific error parser needs to build its typed error. */
export interface ErrorResponse {
  status: number;
  /** Parsed JSON body, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  headers: Record<string, string>;
  request: RequestSummary;
  requestId?: string;
}

export type ErrorParser = (response: ErrorResponse) => ApiError;

export interface TransportOptions {
  baseUrl: string;
  parseError: ErrorParser;
  auth?: AuthHook;
  /**
   * Called after a 401; resolving true (credentials re-minted) re-sends the request once.
   * Lets a platform with short-lived tokens (Scalingo) recover without the caller noticing.
   */
  onUnauthorized?: () => Promise<boolean>;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  /** Retry budget (default 5 min), backoff and an optional attempt cap. */
  retry?: Partial<RetryPolicy>;
  rateLimiter?: TokenBucket;
  /** The requests per second a 429's body says the platform allows, when it says (the rate limiter then keeps to it). */
  statedRateLimit?: (body: unknown) => number | undefined;
  /** Recognizes "the resource is busy, try again once it settles" errors; default: type `transient_state`. */
  isTransientState?: (error: ApiError) => boolean;
  /** How many times a write waits for its resource to settle and is re-sent; default 3. */
  maxSettleAttempts?: number;
  /** Header carrying the server's request id (default `x-request-id`). */
  requestIdHeader?: string;
  /** Told of each request, retry and failure; secrets are redacted first. */
  log?: LogHook;
  /** Test hooks for retry delays. */
  sleep?: Sleep;
  random?: () => number;
  /** The clock (milliseconds since the epoch) retry budgets, and cached tokens' lifetimes, are measured with. */
  now?: Clock;
}

/** What a client passes on from its options to each of its transports (timeouts, retries, logging, test hooks). */
export type ClientTransportOptions = Pick<
  TransportOptions,
  "timeoutMs" | "retry" | "log" | "sleep" | "random" | "now"
>;

/** The transport options among a client's options, and nothing else of them (not its credentials). */
export function clientTransportOptions(options: ClientTransportOptions): ClientTransportOptions {
  const { timeoutMs, retry, log, sleep, random, now } = options;
  return { timeoutMs, retry, log, sleep, random, now };
}

export interface RequestOptions<T> {
  method: HttpMethod;
  /** Path relative to the base URL, already built from validated, encoded parameters. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body, already in wire format. */
  body?: unknown;
  /** Schema of the (decoded) response body; 204 and empty bodies are parsed as `undefined`. */
  schema: z.ZodType<T>;
  /** Turns the wire JSON into the model shape before schema parsing (e.g. snake_case → camelCase). */
  decode?: (json: unknown) => unknown;
  /**
   * Whether re-sending is harmless. Defaults to true for GET, PUT and DELETE and false for POST and PATCH.
   * A client marks a POST idempotent only when repeating it cannot create a second object (e.g. `restart`).
   */
  idempotent?: boolean;
  /** Waits for the resource to leave its transient state; when given, a 409 transient_state is settled and retried. */
  settle?: () => Promise<void>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Caps this request's retry budget, e.g. to what is left of a waiter's deadline. */
  retryBudgetMs?: number;
  /** Told before each wait for a retry, e.g. to report that a wait is riding out an outage. */
  onRetry?: (notice: RetryNotice) => void;
  /** A waiter's poll: the rate limiter serves it ahead of other requests (see `TokenBucket.acquire`). */
  statusCheck?: boolean;
}

/** Per-call options every client method accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** See `RequestOptions.retryBudgetMs`. */
  retryBudgetMs?: number;
  /** See `RequestOptions.onRetry`. */
  onRetry?: (notice: RetryNotice) => void;
  /** See `RequestOptions.statusCheck`. */
  statusCheck?: boolean;
}

/** Why a request is about to be re-sent, and when. */
export interface RetryNotice {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** `HTTP 503`, `HTTP 429` or the network error code (`ECONNREFUSED`…). */
  reason: string;
  delayMs: number;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(["GET", "PUT", "DELETE"]);
const SENSITIVE_HEADERS = new Set(["x-auth-token", "authorization"]);

/*
 * How duplicates are avoided. A create (POST) is never re-sent when its fate is unknown: if the connection drops or
 * times out after the request left, or a 502/503/504 comes back (a gateway may have forwarded it), the server may have
 * created the object, so the error reaches the caller, who can look the object up by name or tag before trying again.
 * A POST is re-sent only after a 429, which the rate limiter answers before any work is done. Requests marked
 * idempotent are also retried on connection errors and on 502/503/504.
 *
 * How long retries go on. Not a fixed count: a request is retried until its time budget (5 min by default, capped by
 * `RequestOptions.retryBudgetMs`) is spent, waiting out a server's Retry-After or a full-jitter backoff in between,
 * and the caller's AbortSignal ends the waits at once. Every 429 also slows the shared token bucket down.
 */
export class Transport {
  private readonly http: AxiosInstance;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: Clock;
  private readonly maxSettleAttempts: number;
  private readonly requestIdHeader: string;

  constructor(private readonly options: TransportOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ""),
      timeout: options.timeoutMs ?? 30_000,
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.maxSettleAttempts = options.maxSettleAttempts ?? 3;
    this.requestIdHeader = (options.requestIdHeader ?? "x-request-id").toLowerCase();
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Sends a request, retrying and settling as described above, and returns the parsed response body. */
  async request<T>(request: RequestOptions<T>): Promise<T> {
    for (let settled = 0; ; settled++) {
      try {
        return await this.sendWithRetries(request);
      } catch (error) {
        const busy = error instanceof ApiError && this.isTransientState(error);
        if (!busy || request.settle === undefined || settled >= this.maxSettleAttempts) throw error;
        this.log(
          `${request.method} ${request.path}: resource busy (${error.message}), waiting for it to settle`,
        );
        await request.settle();
      }
    }
  }

  private isTransientState(error: ApiError): boolean {
    return this.options.isTransientState
      ? this.options.isTransientState(error)
      : error.type === "transient_state";
  }

  private async sendWithRetries<T>(request: RequestOptions<T>): Promise<T> {
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const summary: RequestSummary = { method: request.method, url: this.describeUrl(request) };
    // Passwords in a body are remembered so that no later message or log line can show them.
    registerSecretsIn(request.body);
    const policy: RetryPolicy = {
      ...this.retry,
      budgetMs: Math.min(this.retry.budgetMs, request.retryBudgetMs ?? Number.POSITIVE_INFINITY),
    };
    const firstAttemptMs = this.now();
    let waitedMs = 0;
    // Time spent is at least the waits asked for, so that an injected sleep that does not move the clock still ends.
    const retryDelay = (attempt: number, retryAfterMs?: number) =>
      nextRetryDelay(
        policy,
        attempt,
        Math.max(this.now() - firstAttemptMs, waitedMs),
        retryAfterMs,
        this.random,
      );
    const waitToRetry = async (attempt: number, reason: string, delayMs: number) => {
      this.log(
        `${summary.method} ${summary.url}: ${reason}, retrying in ${delayMs} ms (attempt ${attempt + 1})`,
      );
      request.onRetry?.({ attempt, reason, delayMs });
      waitedMs += delayMs;
      await this.sleep(delayMs, request.signal);
    };
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      await this.options.rateLimiter?.acquire(request.signal, request.statusCheck);
      const headers = await this.buildHeaders(request.body !== undefined);
      const startedMs = this.now();
      let response: AxiosResponse<string>;
      try {
        response = await this.http.request<string>({
          method: request.method,
          url: request.path,
          params: toSearchParams(request.query),
          data: request.body === undefined ? undefined : JSON.stringify(request.body),
          headers,
          timeout: request.timeoutMs ?? this.options.timeoutMs ?? 30_000,
          signal: request.signal,
        });
      } catch (error) {
        const failure = toNetworkError(error, summary);
        const delayMs =
          idempotent && isRetryableNetworkCode(failure.code) && !request.signal?.aborted
            ? retryDelay(attempt)
            : undefined;
        if (delayMs === undefined) {
          this.log(`${summary.method} ${summary.url} failed: ${failure.code}`);
          throw failure;
        }
        await waitToRetry(attempt, failure.code, delayMs);
        continue;
      }
      const responseHeaders = flattenHeaders(response.headers);
      this.log(`${summary.method} ${summary.url} -> ${response.status} (${this.now() - startedMs} ms)`);
      if (response.status === 429) {
        this.options.rateLimiter?.onThrottled(
          startedMs,
          this.options.statedRateLimit?.(parseJson(response.data)),
        );
      } else this.options.rateLimiter?.onAccepted();
      const requestId = responseHeaders[this.requestIdHeader];
      if (response.status >= 200 && response.status < 300) {
        return this.parseBody(request, response, summary, requestId);
      }
      if (response.status === 401 && this.options.onUnauthorized && !reauthenticated) {
        reauthenticated = true;
        if (await this.options.onUnauthorized()) {
          attempt--;
          continue;
        }
      }
      if (isRetryableStatus(response.status, idempotent)) {
        const retryAfterMs = parseRetryAfter(responseHeaders["retry-after"], this.now());
        const delayMs = retryDelay(attempt, retryAfterMs);
        if (delayMs !== undefined) {
          await waitToRetry(attempt, `HTTP ${response.status}`, delayMs);
          continue;
        }
      }
      throw this.options.parseError({
        status: response.status,
        body: parseJson(response.data),
        headers: responseHeaders,
        request: summary,
        requestId,
      });
    }
  }

  private async buildHeaders(hasBody: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = { "User-Agent": userAgent(), Accept: "application/json" };
    if (hasBody) headers["Content-Type"] = "application/json";
    await this.options.auth?.(headers);
    for (const [name, value] of Object.entries(headers)) {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) {
        registerSecret(value);
        registerSecret(value.replace(/^(bearer|basic)\s+/i, ""));
      }
    }
    return headers;
  }

  private parseBody<T>(
    request: RequestOptions<T>,
    response: AxiosResponse<string>,
    summary: RequestSummary,
    requestId: string | undefined,
  ): T {
    const json = parseJson(response.data);
    if (typeof json === "string") {
      throw new UnexpectedResponseError({
        status: response.status,
        message: `${summary.method} ${summary.url} answered ${response.status} with a body that is not JSON`,
        request: summary,
        requestId,
      });
    }
    const decoded = json === undefined || !request.decode ? json : request.decode(json);
    const parsed = request.schema.safeParse(decoded);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new UnexpectedResponseError({
      status: response.status,
      message: `${summary.method} ${summary.url} answered an unexpected body: ${problems}`,
      request: summary,
      requestId,
    });
  }

  private describeUrl(request: RequestOptions<unknown>): string {
    const query = toSearchParams(request.query).toString();
    return `${this.http.defaults.baseURL}${request.path}${query ? `?${query}` : ""}`;
  }

  private log(line: string): void {
    this.options.log?.(redactText(line));
  }
}

function toSearchParams(query: Record<string, QueryValue> | undefined): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(key, item);
    } else {
      params.append(key, String(value));
    }
  }
  return params;
}

function parseJson(data: string | undefined): unknown {
  if (data === undefined || data === "") return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data.slice(0, 500);
  }
}

function flattenHeaders(headers: AxiosResponse["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return flat;
}

/** Keeps only the code and message of a low-level failure: the axios error holds the request config and headers. */
function toNetworkError(error: unknown, request: RequestSummary): NetworkError {
  const code =
    axios.isAxiosError(error) && error.code
      ? error.code
      : error instanceof Error && "code" in error && typeof error.code === "string"
        ? error.code
        : "UNKNOWN";
  const rawMessage = error instanceof Error ? error.message : String(error);
  return new NetworkError({
    code,
    message: `${request.method} ${request.url} failed without an HTTP answer: ${rawMessage} (${code})`,
    request,
    cause: { name: error instanceof Error ? error.name : "Error", code, message: rawMessage },
  });
}
