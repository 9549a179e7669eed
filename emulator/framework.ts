// The contract between the emulator's HTTP server and its API modules: each module is a route table → thin handlers
// → models raising typed errors; the server does transport, auth hooks, faults, logging and persistence.
import type { DataPlane } from "./data-plane";
import type { FileStore } from "./files";
import type { DataPlaneChoice } from "./postgres/choose";

/** How fast asynchronous operations complete: `instant` (0 s), `fast` (default, ~2 s instances), `realistic` (recorded durations). */
export type TimeProfile = "instant" | "fast" | "realistic";

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, e.g. `/rdb/v1/regions/fr-par/instances/123`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when the request had none). */
  body: unknown;
  /** Named path parameters captured by the route pattern (`:region` → `params.region`). */
  params: Record<string, string>;
}

export interface EmulatorResponse {
  status: number;
  /** Serialized as JSON unless `raw` is given. */
  body?: unknown;
  /** A raw payload (e.g. a backup file served for a download URL). */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** Options of `startEmulator` and of the `pulumi-dbaas emulator` command. */
export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  profile?: TimeProfile;
  /** Keeps state across restarts in this folder (written atomically); in memory when absent. */
  dataDir?: string;
  /** Accepted Scaleway secret keys, each optionally bound to one project. None given: any non-empty token is accepted. */
  tokens?: Array<{ token: string; projectId?: string }>;
  /** Accepted Scalingo user API tokens. None given: any token starting with `tk-us-` is accepted. */
  scalingoTokens?: string[];
  /** Clock override for tests (milliseconds since the epoch). */
  now?: () => number;
  /**
   * Where the PostgreSQL databases live: `real` (a PostgreSQL server per instance), `simulated` (JSON documents),
   * `auto` (default: real when the PostgreSQL programs are found), or a plane of the caller's own.
   */
  dataPlane?: DataPlane | DataPlaneChoice;
  /** How many real servers may run at once (default 20); idle ones beyond it are stopped and started on demand. */
  maxServers?: number;
  /** Where the emulator's own notices go (the data plane `auto` chose, a full server cap); default stderr. */
  log?: (line: string) => void;
  /**
   * How long backup download URLs stay valid (RDB exports, Serverless SQL exports, Scalingo archive links), in
   * seconds. Default: each API's own lifetime (86400 for Scaleway, 900 for Scalingo archive links). Tests shorten it
   * to see URLs expire.
   */
  downloadUrlTtlSeconds?: number;
  /**
   * Requests per second accepted per token (Scaleway secret key or Scalingo bearer), with a burst of half a
   * second's worth (at least 2); past it the API answers 429 with `Retry-After`. Default: unlimited.
   */
  rateLimit?: number;
  /**
   * Multiplies every duration of the profile (0.05 turns a 212 s `realistic` create into ~11 s) by running the
   * emulator's clock 1/timeScale times as fast; default 1.
   */
  timeScale?: number;
}

/** Who a Scaleway request is made by: a token bound to a project only sees that project. */
export interface ScalewayCaller {
  /** The project the token is bound to; undefined when it may act on any project. */
  projectId: string | undefined;
}

export interface ModuleContext {
  profile: TimeProfile;
  /** Where the modules' PostgreSQL databases live. */
  dataPlane: DataPlane;
  /** Where archives and secrets are kept out of the persisted state. */
  files: FileStore;
  /** Milliseconds since the epoch; every state machine reads time through this so tests stay deterministic. */
  now(): number;
  /** Base URL the emulator is reachable at (used to build download URLs it serves itself). */
  baseUrl(): string;
  /** Tells the server that module state changed and must be persisted (when a data directory is set). */
  markDirty(): void;
  /** Checks `X-Auth-Token`, raising 401 `denied_authentication` when it is missing or unknown. */
  scalewayAuth(req: EmulatorRequest): ScalewayCaller;
  /**
   * Stores a file and returns a presigned-style URL the emulator serves without auth until `expiresAt`
   * (its query string carries a signature, as real presigned URLs do).
   */
  publishDownload(content: Buffer, fileName: string, ttlMs: number): { url: string; expiresAt: Date };
  /** How long a backup download URL stays valid: `apiDefaultMs` unless the emulator was started with a TTL. */
  downloadUrlTtlMs(apiDefaultMs: number): number;
}

/** Builds one API module; the server calls every factory listed in `modules.ts`. */
export type ModuleFactory = (ctx: ModuleContext, options: EmulatorOptions) => ApiModule;

/** Answers one route; it may raise an EmulatorError, which the router renders in its API's error format. */
export type RouteHandler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path pattern with `:name` segments, e.g. `/rdb/v1/regions/:region/instances/:instanceId`. */
  pattern: string;
  handler: RouteHandler;
}

/** The handlers of one path pattern, by the method each answers. */
export type PathHandlers = Partial<Record<Route["method"], RouteHandler>>;

/** A route table written one path per entry, each with the methods it answers, as a list of routes. */
export function routeTable(paths: Array<[pattern: string, handlers: PathHandlers]>): Route[] {
  return paths.flatMap(([pattern, handlers]) =>
    Object.entries(handlers).map(([method, handler]) => ({
      method: method as Route["method"],
      pattern,
      handler,
    })),
  );
}

export interface ApiModule {
  /** Stable key under which the module's state is persisted. */
  readonly name: string;
  readonly routes: Route[];
  /** Drops every resource (POST /_emulator/reset). */
  reset(): Promise<void> | void;
  /** A JSON-serializable snapshot of the module's state (or a promise of it), and its inverse, for `--data-dir`. */
  exportState(): unknown;
  importState(state: unknown): Promise<void> | void;
  /** How the API answers a path parameter that is not valid percent-encoding; default a plain 400. */
  malformedPathParameter?(name: string): EmulatorResponse;
}

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A path segment captured for `parameter` is not valid percent-encoding (e.g. `%E0%A4%A`). */
export class MalformedPathError extends Error {
  constructor(readonly parameter: string) {
    super(`path parameter ${parameter} is not valid percent-encoding`);
    this.name = "MalformedPathError";
  }
}

/**
 * Compiles a `:name` path pattern into a matcher returning the captured parameters, or undefined; a captured segment
 * that does not decode throws a MalformedPathError.
 */
export function compilePattern(pattern: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const regex = new RegExp(`^${source}/?$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(match[i + 1]);
      } catch {
        throw new MalformedPathError(name);
      }
    });
    return params;
  };
}
