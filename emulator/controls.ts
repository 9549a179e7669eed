// The emulator's own test controls under /_emulator/ (loopback only, no auth): the request log, faults, the
// server-wide rate limit, and reset. API modules declare their own controls in their route tables.
import type { DownloadStore } from "./downloads";
import { type FaultTable, RateLimitRule } from "./faults";
import type { ApiModule, Route } from "./framework";
import type { RequestLog } from "./request-log";
import type { Throttle } from "./throttle";

export const CONTROL_PREFIX = "/_emulator/";

export interface ControlledParts {
  modules: ApiModule[];
  faults: FaultTable;
  throttle: Throttle;
  downloads: DownloadStore;
  requestLog: RequestLog;
  wallClock: () => number;
  markDirty: () => void;
}

function faultRoutes(faults: FaultTable): Route[] {
  const path = "/_emulator/faults";
  return [
    { method: "GET", pattern: path, handler: () => ({ status: 200, body: { faults: faults.list() } }) },
    {
      method: "DELETE",
      pattern: path,
      handler: () => {
        faults.clear();
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: path,
      handler: (req) => {
        const added = faults.add(req.body);
        return added.ok
          ? { status: 201, body: added.fault }
          : { status: 400, body: { message: "invalid fault", problems: added.problems } };
      },
    },
  ];
}

function rateLimitRoutes(throttle: Throttle, wallClock: () => number): Route[] {
  const path = "/_emulator/rate-limit";
  return [
    { method: "GET", pattern: path, handler: () => ({ status: 200, body: throttle.describe() }) },
    {
      method: "DELETE",
      pattern: path,
      handler: () => {
        throttle.rule = undefined;
        return { status: 204 };
      },
    },
    {
      method: "POST",
      pattern: path,
      handler: (req) => {
        const parsed = RateLimitRule.parse(req.body, wallClock());
        if (!parsed.ok) {
          return { status: 400, body: { message: "invalid rate limit", problems: parsed.problems } };
        }
        throttle.rule = parsed.rule;
        return { status: 201, body: parsed.rule.spec };
      },
    },
  ];
}

export function controlRoutes(parts: ControlledParts): Route[] {
  return [
    {
      method: "GET",
      pattern: "/_emulator/requests",
      handler: () => ({ status: 200, body: { requests: parts.requestLog.list() } }),
    },
    ...faultRoutes(parts.faults),
    ...rateLimitRoutes(parts.throttle, parts.wallClock),
    {
      method: "POST",
      pattern: "/_emulator/reset",
      handler: async () => {
        for (const module of parts.modules) await module.reset();
        parts.faults.clear();
        parts.throttle.rule = undefined;
        parts.downloads.clear();
        parts.requestLog.clear();
        parts.markDirty();
        return { status: 204 };
      },
    },
  ];
}
