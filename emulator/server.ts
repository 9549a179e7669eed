// The emulator's HTTP server, composed of small parts: auth, the API modules and their route tables, persistence,
// faults and rate limits, and the request log. Test controls live under /_emulator/ (loopback only, no auth).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { callerToken, scalewayAuthenticator } from "./auth";
import { CONTROL_PREFIX, controlRoutes } from "./controls";
import type { DataPlane } from "./data-plane";
import { DOWNLOADS_PREFIX, DownloadStore } from "./downloads";
import { type Fault, FaultTable } from "./faults";
import { FileStore } from "./files";
import type {
  ApiModule,
  EmulatorOptions,
  EmulatorRequest,
  EmulatorResponse,
  ModuleContext,
} from "./framework";
import { delay, isLoopback, readRequest, send } from "./http";
import { MODULE_FACTORIES } from "./modules";
import { Persistence } from "./persistence";
import { chooseDataPlane, DEFAULT_MAX_SERVERS } from "./postgres/choose";
import { type DetailedRequest, type LoggedRequest, RequestLog } from "./request-log";
import { Router } from "./router";
import { Throttle } from "./throttle";

export type { DetailedRequest, LoggedRequest } from "./request-log";
export { perTokenRateLimit } from "./throttle";

export interface RunningEmulator {
  url: string;
  stop(): Promise<void>;
  /** API requests served so far, in order (control routes excluded). */
  requests(): LoggedRequest[];
  /** The same, with each request's wall-clock time and query string. */
  detailedRequests(): DetailedRequest[];
}

/** Everything a request goes through, built once per emulator. */
interface Parts {
  dataPlane: DataPlane;
  now: () => number;
  wallClock: () => number;
  downloads: DownloadStore;
  faults: FaultTable;
  throttle: Throttle;
  requestLog: RequestLog;
  persistence: Persistence;
  router: Router;
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

function checkedTtlSeconds(options: EmulatorOptions): number | undefined {
  const ttlSeconds = options.downloadUrlTtlSeconds;
  if (ttlSeconds !== undefined && !(Number.isFinite(ttlSeconds) && ttlSeconds > 0)) {
    throw new Error(`downloadUrlTtlSeconds must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return ttlSeconds;
}

function dataPlaneOf(options: EmulatorOptions): Promise<DataPlane> {
  const given = options.dataPlane ?? "auto";
  if (typeof given === "object") return Promise.resolve(given);
  const maxServers = options.maxServers ?? DEFAULT_MAX_SERVERS;
  if (!(Number.isInteger(maxServers) && maxServers > 0)) {
    throw new Error(`maxServers must be a positive whole number, got ${maxServers}`);
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return chooseDataPlane({ choice: given, dataDir: options.dataDir, maxServers, log });
}

/** Builds the modules and every part around them; `baseUrl` is known once the server listens. */
async function assemble(options: EmulatorOptions, baseUrl: () => string): Promise<Parts> {
  const ttlSeconds = checkedTtlSeconds(options);
  const wallClock = options.now ?? (() => Date.now());
  const now = scaledClock(wallClock, options.timeScale ?? 1);
  const throttle = new Throttle(options.rateLimit, wallClock);
  const files = new FileStore(options.dataDir);
  const downloads = new DownloadStore(files);
  const modules: ApiModule[] = [];
  const persistence = new Persistence(options.dataDir, modules, downloads, files);
  const dataPlane = await dataPlaneOf(options);
  const context: ModuleContext = {
    profile: options.profile ?? "fast",
    dataPlane,
    files,
    now,
    baseUrl,
    markDirty: () => persistence.markDirty(),
    scalewayAuth: scalewayAuthenticator(options.tokens ?? []),
    publishDownload: (content, fileName, ttlMs) => {
      persistence.markDirty();
      return downloads.publish(baseUrl(), now(), content, fileName, ttlMs);
    },
    downloadUrlTtlMs: (apiDefaultMs) => (ttlSeconds === undefined ? apiDefaultMs : ttlSeconds * 1000),
  };
  modules.push(...MODULE_FACTORIES.map((factory) => factory(context, options)));
  await persistence.load();
  const faults = new FaultTable();
  const requestLog = new RequestLog();
  const controls = controlRoutes({
    modules,
    faults,
    throttle,
    downloads,
    requestLog,
    wallClock,
    markDirty: () => persistence.markDirty(),
  });
  const router = new Router(controls, modules);
  return { dataPlane, now, wallClock, downloads, faults, throttle, requestLog, persistence, router };
}

function faultAnswer(fault: Fault, status: number): EmulatorResponse {
  return {
    status,
    body: fault.body ?? { message: `emulated fault (${status})`, type: "emulated_fault" },
    headers: fault.headers,
  };
}

/** An API request: logged, then refused by a rate limit, hit by a fault, or routed to its module. */
async function serveApi(
  parts: Parts,
  incoming: IncomingMessage,
  response: ServerResponse,
  logged: DetailedRequest,
  request: EmulatorRequest,
): Promise<void> {
  const refusal = parts.throttle.refusal(request.path, callerToken(request.headers), logged.receivedAtMs);
  if (refusal) {
    logged.status = refusal.status;
    send(response, refusal);
    return;
  }
  const fault = parts.faults.take(request.method, request.path);
  if (fault?.delay_ms) await delay(fault.delay_ms);
  if (fault?.drop_connection) {
    incoming.socket.destroy();
    return;
  }
  const answer =
    fault?.status !== undefined ? faultAnswer(fault, fault.status) : await parts.router.dispatch(request);
  logged.status = answer.status;
  await parts.persistence.persist();
  if (fault?.drop_response) {
    incoming.socket.destroy();
    return;
  }
  send(response, answer);
}

async function serve(parts: Parts, incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  const receivedAt = parts.now();
  const receivedAtMs = parts.wallClock();
  const read = await readRequest(incoming);
  if ("invalid" in read) {
    send(response, read.invalid);
    return;
  }
  const { request, search } = read;
  if (request.path.startsWith(DOWNLOADS_PREFIX) && request.method === "GET") {
    send(response, parts.downloads.serve(request.path, request.query, parts.now()));
    return;
  }
  if (request.path.startsWith(CONTROL_PREFIX)) {
    if (!isLoopback(incoming.socket)) {
      send(response, { status: 403, body: { message: "emulator controls are loopback only" } });
      return;
    }
    send(response, await parts.router.dispatch(request));
    await parts.persistence.persist();
    return;
  }
  const logged = parts.requestLog.record({
    method: request.method,
    path: request.path,
    status: 0,
    at: new Date(receivedAt).toISOString(),
    receivedAtMs,
    query: search,
  });
  await serveApi(parts, incoming, response, logged, request);
}

function internalError(response: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (!response.headersSent) {
    send(response, { status: 500, body: { message: `emulator error: ${message}`, type: "internal_error" } });
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  let baseUrl = "";
  const parts = await assemble(options, () => baseUrl);
  const server = createServer((incoming, response) => {
    serve(parts, incoming, response).catch((error: unknown) => internalError(response, error));
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
    requests: () => parts.requestLog.list(),
    detailedRequests: () => parts.requestLog.detailed(),
    stop: async () => {
      await parts.persistence.persist();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await parts.dataPlane.stop();
    },
  };
}
