// The emulator's HTTP server: routes requests to the API modules and does auth, faults, request log and persistence.
// Test controls live under /_emulator/ (loopback only, no auth); everything else is an API request.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { DOWNLOADS_PREFIX, DownloadStore } from "./downloads";
import { FaultTable, RateLimitRule } from "./faults";
import {
  type ApiModule,
  compilePattern,
  type EmulatorOptions,
  type EmulatorRequest,
  type EmulatorResponse,
  MalformedPathError,
  type ModuleContext,
  type Route,
  type ScalewayCaller,
} from "./framework";
import { MODULE_FACTORIES } from "./modules";

export const CONTROL_PREFIX = "/_emulator/";
const STATE_FILE = "state.json";
const STATE_VERSION = 1;

export interface LoggedRequest {
  method: string;
  path: string;
  /** 0 when a fault dropped the connection without answering. */
  status: number;
  /** ISO 8601 time (from the emulator's clock, which `timeScale` speeds up) the request was received. */
  at: string;
}

/** A logged request with what a benchmark needs besides: the wall-clock time and the query string. */
export interface DetailedRequest extends LoggedRequest {
  /** Wall-clock milliseconds since the epoch the request was received (the real time, whatever the time scale). */
  receivedAtMs: number;
  /** The query string, with its leading `?`, or "" (list requests carry their filters and page there). */
  query: string;
}

export interface RunningEmulator {
  url: string;
  stop(): Promise<void>;
  /** API requests served so far, in order (control routes excluded). */
  requests(): LoggedRequest[];
  /** The same, with each request's wall-clock time and query string. */
  detailedRequests(): DetailedRequest[];
}

interface CompiledRoute {
  module: ApiModule;
  route: Route;
  match: (path: string) => Record<string, string> | undefined;
}

const DENIED_AUTHENTICATION: EmulatorResponse = {
  status: 401,
  body: {
    message: "authentication is denied",
    method: "api_key",
    reason: "invalid_argument",
    type: "denied_authentication",
  },
};

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(socket: Socket): boolean {
  const address = socket.remoteAddress ?? "";
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The per-token limit of `--rate-limit N`: N per second, bursts of half a second's worth, Retry-After 1 s. */
export function perTokenRateLimit(requestsPerSecond: number): {
  requests_per_second: number;
  burst: number;
  retry_after_seconds: number;
} {
  if (!(Number.isFinite(requestsPerSecond) && requestsPerSecond > 0)) {
    throw new Error(`rateLimit must be a positive number of requests per second, got ${requestsPerSecond}`);
  }
  return {
    requests_per_second: requestsPerSecond,
    burst: Math.max(2, Math.ceil(requestsPerSecond / 2)),
    retry_after_seconds: 1,
  };
}

/** Who a request counts against under a per-token limit: its Scaleway secret key or its bearer token. */
function callerToken(incoming: IncomingMessage): string {
  return (
    firstHeader(incoming.headers["x-auth-token"]) ??
    firstHeader(incoming.headers.authorization) ??
    "anonymous"
  );
}

/**
 * The emulator's clock: the wall clock, or one running 1/timeScale times as fast from the start, so that every
 * duration of the profile (which modules measure on this clock) is multiplied by `timeScale`.
 */
function scaledClock(wallClock: () => number, timeScale: number): () => number {
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  }
  if (timeScale === 1) return wallClock;
  const startMs = wallClock();
  return () => startMs + (wallClock() - startMs) / timeScale;
}

function publicHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const ttlSeconds = options.downloadUrlTtlSeconds;
  if (ttlSeconds !== undefined && !(Number.isFinite(ttlSeconds) && ttlSeconds > 0)) {
    throw new Error(`downloadUrlTtlSeconds must be a positive number of seconds, got ${ttlSeconds}`);
  }
  const wallClock = options.now ?? (() => Date.now());
  const now = scaledClock(wallClock, options.timeScale ?? 1);
  const tokenLimit =
    options.rateLimit === undefined
      ? undefined
      : RateLimitRule.parse(perTokenRateLimit(options.rateLimit), 0);
  /** One bucket per token under `rateLimit`, created on the token's first request. */
  const tokenBuckets = new Map<string, RateLimitRule>();
  const tokenBucket = (token: string): RateLimitRule | undefined => {
    if (!tokenLimit?.ok) return undefined;
    let bucket = tokenBuckets.get(token);
    if (!bucket) {
      const parsed = RateLimitRule.parse(tokenLimit.rule.spec, wallClock());
      if (!parsed.ok) return undefined;
      bucket = parsed.rule;
      tokenBuckets.set(token, bucket);
    }
    return bucket;
  };
  const tokens = options.tokens ?? [];
  const downloads = new DownloadStore();
  const faults = new FaultTable();
  let rateLimit: RateLimitRule | undefined;
  let requestLog: DetailedRequest[] = [];
  const basic = ({ method, path, status, at }: DetailedRequest): LoggedRequest => ({
    method,
    path,
    status,
    at,
  });
  let baseUrl = "";
  let dirty = false;

  const context: ModuleContext = {
    profile: options.profile ?? "fast",
    now,
    baseUrl: () => baseUrl,
    markDirty: () => {
      dirty = true;
    },
    scalewayAuth: (req: EmulatorRequest): ScalewayCaller => {
      const token = firstHeader(req.headers["x-auth-token"])?.trim() ?? "";
      if (token === "") return { ok: false, response: DENIED_AUTHENTICATION };
      if (tokens.length === 0) return { ok: true, projectId: undefined };
      const declared = tokens.find((candidate) => candidate.token === token);
      return declared
        ? { ok: true, projectId: declared.projectId }
        : { ok: false, response: DENIED_AUTHENTICATION };
    },
    publishDownload: (content, fileName, ttlMs) => {
      dirty = true;
      return downloads.publish(baseUrl, now(), content, fileName, ttlMs);
    },
    downloadUrlTtlMs: (apiDefaultMs) => (ttlSeconds === undefined ? apiDefaultMs : ttlSeconds * 1000),
  };

  const modules: ApiModule[] = MODULE_FACTORIES.map((factory) => factory(context, options));
  const routes: CompiledRoute[] = modules.flatMap((module) =>
    module.routes.map((route) => ({ module, route, match: compilePattern(route.pattern) })),
  );

  const statePath = options.dataDir ? join(options.dataDir, STATE_FILE) : undefined;
  if (options.dataDir && statePath) {
    mkdirSync(options.dataDir, { recursive: true });
    loadState(statePath, modules, downloads);
  }

  const persist = (): void => {
    if (!statePath || !dirty) return;
    dirty = false;
    const snapshot = {
      version: STATE_VERSION,
      modules: Object.fromEntries(modules.map((module) => [module.name, module.exportState()])),
      downloads: downloads.exportState(),
    };
    const temporary = `${statePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(snapshot));
    renameSync(temporary, statePath);
  };

  const dispatch = async (request: EmulatorRequest): Promise<EmulatorResponse> => {
    let methodMismatch = false;
    for (const { module, route, match } of routes) {
      let params: Record<string, string> | undefined;
      try {
        params = match(request.path);
      } catch (error) {
        if (!(error instanceof MalformedPathError)) throw error;
        return (
          module.malformedPathParameter?.(error.parameter) ?? {
            status: 400,
            body: { message: error.message, type: "invalid_request_error" },
          }
        );
      }
      if (!params) continue;
      if (route.method !== request.method) {
        methodMismatch = true;
        continue;
      }
      return route.handler({ ...request, params });
    }
    return methodMismatch
      ? { status: 405, body: { message: "method not allowed", type: "invalid_request_error" } }
      : { status: 404, body: { message: "route not found", type: "not_found" } };
  };

  const handleControl = (request: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
    const { method, path } = request;
    if (path === "/_emulator/requests" && method === "GET") {
      return { status: 200, body: { requests: requestLog.map(basic) } };
    }
    if (path === "/_emulator/faults") {
      if (method === "GET") return { status: 200, body: { faults: faults.list() } };
      if (method === "DELETE") {
        faults.clear();
        return { status: 204 };
      }
      if (method === "POST") {
        const added = faults.add(request.body);
        return added.ok
          ? { status: 201, body: added.fault }
          : { status: 400, body: { message: "invalid fault", problems: added.problems } };
      }
    }
    if (path === "/_emulator/rate-limit") {
      if (method === "GET") {
        return {
          status: 200,
          body: {
            rate_limit: rateLimit?.spec ?? null,
            per_token_rate_limit: tokenLimit?.ok ? tokenLimit.rule.spec : null,
          },
        };
      }
      if (method === "DELETE") {
        rateLimit = undefined;
        return { status: 204 };
      }
      if (method === "POST") {
        const parsed = RateLimitRule.parse(request.body, wallClock());
        if (!parsed.ok)
          return { status: 400, body: { message: "invalid rate limit", problems: parsed.problems } };
        rateLimit = parsed.rule;
        return { status: 201, body: parsed.rule.spec };
      }
    }
    if (path === "/_emulator/reset" && method === "POST") {
      for (const module of modules) module.reset();
      faults.clear();
      rateLimit = undefined;
      downloads.clear();
      requestLog = [];
      dirty = true;
      return { status: 204 };
    }
    return dispatch(request);
  };

  const send = (response: ServerResponse, answer: EmulatorResponse): void => {
    const headers: Record<string, string> = { ...answer.headers };
    let payload: Buffer | undefined;
    if (answer.raw) {
      payload = answer.raw;
    } else if (answer.body !== undefined) {
      payload = Buffer.from(JSON.stringify(answer.body));
      headers["content-type"] ??= "application/json";
    }
    if (payload) headers["content-length"] = String(payload.length);
    response.writeHead(answer.status, headers);
    response.end(payload);
  };

  const server = createServer((incoming, response) => {
    void (async () => {
      const receivedAt = now();
      const receivedAtMs = wallClock();
      const url = new URL(incoming.url ?? "/", "http://emulator.invalid");
      const method = (incoming.method ?? "GET").toUpperCase();
      const rawBody = await readBody(incoming);
      let body: unknown;
      if (rawBody.length > 0) {
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          send(response, {
            status: 400,
            body: { message: "request body is not valid JSON", type: "invalid_request_error" },
          });
          return;
        }
      }
      const request: EmulatorRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        params: {},
      };

      if (url.pathname.startsWith(DOWNLOADS_PREFIX) && method === "GET") {
        send(response, downloads.serve(url.pathname, url.searchParams, now()));
        return;
      }
      if (url.pathname.startsWith(CONTROL_PREFIX)) {
        if (!isLoopback(incoming.socket)) {
          send(response, { status: 403, body: { message: "emulator controls are loopback only" } });
          return;
        }
        send(response, await handleControl(request));
        persist();
        return;
      }

      const logged: DetailedRequest = {
        method,
        path: url.pathname,
        status: 0,
        at: new Date(receivedAt).toISOString(),
        receivedAtMs,
        query: url.search,
      };
      requestLog.push(logged);
      const refusedBy = [rateLimit, tokenBucket(callerToken(incoming))].find((rule) =>
        rule?.refuses(url.pathname, receivedAtMs),
      );
      if (refusedBy) {
        logged.status = 429;
        const retryAfter = refusedBy.spec.retry_after_seconds;
        send(response, {
          status: 429,
          body: {
            message: "too many requests",
            type: "too_many_requests",
            help_message: `at most ${refusedBy.spec.requests_per_second} requests per second`,
          },
          headers: retryAfter === undefined ? undefined : { "retry-after": String(retryAfter) },
        });
        return;
      }
      const fault = faults.take(method, url.pathname);
      if (fault?.delay_ms) await delay(fault.delay_ms);
      if (fault?.drop_connection) {
        incoming.socket.destroy();
        return;
      }
      const answer: EmulatorResponse =
        fault?.status !== undefined
          ? {
              status: fault.status,
              body: fault.body ?? { message: `emulated fault (${fault.status})`, type: "emulated_fault" },
              headers: fault.headers,
            }
          : await dispatch(request);
      logged.status = answer.status;
      persist();
      if (fault?.drop_response) {
        incoming.socket.destroy();
        return;
      }
      send(response, answer);
    })().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) {
        send(response, {
          status: 500,
          body: { message: `emulator error: ${message}`, type: "internal_error" },
        });
      }
    });
  });

  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${publicHost(host)}:${port}`;

  return {
    url: baseUrl,
    requests: () => requestLog.map(basic),
    detailedRequests: () => requestLog.map((entry) => ({ ...entry })),
    stop: async () => {
      persist();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function loadState(statePath: string, modules: ApiModule[], downloads: DownloadStore): void {
  let text: string;
  try {
    text = readFileSync(statePath, "utf8");
  } catch {
    return;
  }
  const snapshot = JSON.parse(text) as {
    version?: number;
    modules?: Record<string, unknown>;
    downloads?: unknown;
  };
  if (snapshot.version !== STATE_VERSION) {
    throw new Error(`${statePath}: unsupported emulator state version ${String(snapshot.version)}`);
  }
  for (const module of modules) {
    const state = snapshot.modules?.[module.name];
    if (state !== undefined) module.importState(state);
  }
  downloads.importState(snapshot.downloads);
}
