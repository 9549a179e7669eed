// Injected failures for tests: faults (POST /_emulator/faults: which API requests they hit, and how they answer
// instead) and a server-side rate limit (POST /_emulator/rate-limit).
import { z } from "zod";

const faultSpecSchema = z.object({
  method: z
    .string()
    .transform((method) => method.toUpperCase())
    .optional(),
  path: z.string().startsWith("/"),
  count: z.number().int().min(1).default(1),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delay_ms: z.number().int().min(0).max(600_000).optional(),
  drop_connection: z.boolean().optional(),
  /** Serve the request, then drop the connection before answering: the change happens but the client never knows. */
  drop_response: z.boolean().optional(),
  /** The share of matching requests the fault hits (each one drawn at random); a request it spares does not count. */
  probability: z.number().min(0).max(1).optional(),
  /** How many matching requests pass untouched before the fault starts hitting (e.g. a lookup after a create). */
  skip: z.number().int().min(0).default(0),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface Fault extends FaultSpec {
  /** How many more matching requests this fault will hit. */
  remaining: number;
  /** How many more matching requests it lets pass first. */
  toSkip: number;
}

/** `*` matches exactly one path segment, `**` any number of them (including none). */
export function compileFaultPath(pattern: string): (path: string) => boolean {
  const patternSegments = pattern.split("/").filter(Boolean);
  return (path) => matchSegments(patternSegments, path.split("/").filter(Boolean));
}

function matchSegments(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === "**") {
    for (let skip = 0; skip <= path.length; skip++) {
      if (matchSegments(rest, path.slice(skip))) return true;
    }
    return false;
  }
  if (path.length === 0) return false;
  return (head === "*" || head === path[0]) && matchSegments(rest, path.slice(1));
}

export class FaultTable {
  private faults: Fault[] = [];

  /** Parses and adds a fault; answers the problems when the body is not a valid fault. */
  add(body: unknown): { ok: true; fault: Fault } | { ok: false; problems: string[] } {
    const parsed = faultSpecSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`),
      };
    }
    const fault: Fault = { ...parsed.data, remaining: parsed.data.count, toSkip: parsed.data.skip };
    this.faults.push(fault);
    return { ok: true, fault };
  }

  list(): Fault[] {
    return this.faults.filter((fault) => fault.remaining > 0);
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * The first live fault matching the request, consumed once (unless it still lets requests pass, or its probability
   * spares this request).
   */
  take(method: string, path: string, random: () => number = Math.random): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method === method) &&
        compileFaultPath(candidate.path)(path),
    );
    if (!fault) return undefined;
    if (fault.toSkip > 0) {
      fault.toSkip -= 1;
      return undefined;
    }
    if (fault.probability !== undefined && random() >= fault.probability) return undefined;
    fault.remaining -= 1;
    return fault;
  }
}

const rateLimitSchema = z.object({
  /** Requests accepted per second once the burst is spent. */
  requests_per_second: z.number().positive(),
  burst: z.number().int().min(1).default(1),
  /** Paths the limit counts and refuses (fault syntax); default every API path. */
  path: z.string().startsWith("/").default("/**"),
  /** Retry-After sent with each 429, in seconds; none when absent. */
  retry_after_seconds: z.number().int().min(0).optional(),
});

export type RateLimitSpec = z.infer<typeof rateLimitSchema>;

/**
 * A server-side rate limit (POST /_emulator/rate-limit): a token bucket over the matching API requests, answering
 * 429 `too_many_requests` past it, as the real APIs do, so that clients' adaptation can be measured.
 */
export class RateLimitRule {
  private tokens: number;
  private lastRefillMs: number;
  private readonly matches: (path: string) => boolean;

  private constructor(
    readonly spec: RateLimitSpec,
    nowMs: number,
  ) {
    this.tokens = spec.burst;
    this.lastRefillMs = nowMs;
    this.matches = compileFaultPath(spec.path);
  }

  static parse(
    body: unknown,
    nowMs: number,
  ): { ok: true; rule: RateLimitRule } | { ok: false; problems: string[] } {
    const parsed = rateLimitSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`),
      };
    }
    return { ok: true, rule: new RateLimitRule(parsed.data, nowMs) };
  }

  /** Whether a request to `path` at `nowMs` is over the limit (a request under it spends a token). */
  refuses(path: string, nowMs: number): boolean {
    if (!this.matches(path)) return false;
    const elapsedMs = Math.max(0, nowMs - this.lastRefillMs);
    this.lastRefillMs = nowMs;
    this.tokens = Math.min(this.spec.burst, this.tokens + (elapsedMs / 1000) * this.spec.requests_per_second);
    if (this.tokens < 1) return true;
    this.tokens -= 1;
    return false;
  }
}
