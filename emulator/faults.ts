// Injected failures for tests (POST /_emulator/faults): which API requests they hit, and how they answer instead.
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
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface Fault extends FaultSpec {
  /** How many more matching requests this fault will hit. */
  remaining: number;
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
    const fault: Fault = { ...parsed.data, remaining: parsed.data.count };
    this.faults.push(fault);
    return { ok: true, fault };
  }

  list(): Fault[] {
    return this.faults.filter((fault) => fault.remaining > 0);
  }

  clear(): void {
    this.faults = [];
  }

  /** The first live fault matching the request, consumed once. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method === method) &&
        compileFaultPath(candidate.path)(path),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}
