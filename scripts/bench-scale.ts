// Scale benchmark: one stack of N RDB instances with K backups each (the first one exported), `engine up` then
// `engine destroy` against the emulator; prints wall times against the critical path, requests, 429s, RSS and lag.
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../emulator/cli";
import type { TimeProfile } from "../emulator/framework";
import { durationOf } from "../emulator/scaleway-rdb/timings";
import { type DetailedRequest, startEmulator } from "../emulator/server";
import { type EngineResult, runEngine } from "../engine";

const REPO = path.resolve(
  __dirname,
  "..",
  fs.existsSync(path.resolve(__dirname, "../package.json")) ? "" : "..",
);

export interface ScaleBenchOptions {
  instances: number;
  backupsPerInstance: number;
  profile?: TimeProfile;
  timeScale?: number;
  /** Emulator requests per second per token; also the rate the goals divide request counts by. */
  rateLimit?: number;
  /** The engine's `--parallel`; default: every resource at once, as `pulumi up` does by default. */
  parallel?: number;
}

export interface PhaseReport {
  ok: boolean;
  wallMs: number;
  /** The longest chain of operations one resource depends on, as the emulator's profile times them. */
  criticalPathMs: number;
  requestsByMethod: Record<string, number>;
  throttled: number;
  /**
   * 429s more than a second after the phase's first request: past the client's first burst, which meets a limit it
   * has not learned yet, a client keeping to the rate the 429s state draws none.
   */
  throttledAfterFirstSecond: number;
  /** 429s that reached the engine as a failure (not retried away). */
  unretriedThrottles: number;
  /** Status polls (see `isStatusPoll`; a provider's read of one object counts too) per resource of the stack. */
  statusPollsPerResource: number;
  /** Requests by what they were for (see `RequestKind`); 429s apart, whatever they asked. */
  requestsByKind: Record<RequestKind | "refused (429)", number>;
  /** From the start of the phase to its first API request: the engine, program and provider host starting. */
  startupMs: number;
  /**
   * The bound the goal sets: max(critical path, requests that count ÷ rate limit), in ms. A 429 does not count: the
   * emulator refuses it without spending a token.
   */
  boundMs: number;
  failedResources: number;
  errors: string[];
}

export interface LagReport {
  /** Changes of status the waiters noticed. */
  changes: number;
  meanMs: number;
  worstMs: number;
  /** Changes noticed later than the rule allows: max(1 s, 5 % of the time already waited), plus 500 ms of latency. */
  overRule: number;
  /** Those changes, as traced. */
  late: TracedChange[];
}

export interface ScaleBenchReport {
  options: Required<Omit<ScaleBenchOptions, "rateLimit" | "parallel">> & {
    rateLimit?: number;
    parallel: number;
  };
  resources: number;
  up: PhaseReport;
  destroy: PhaseReport;
  lag: LagReport;
  /** Peak resident set (VmHWM) in MB: this process (the engine), the emulator, the provider host, the program. */
  peakRssMb: { engine: number; emulator: number; providerHost: number; program: number };
  /** The emulator's request log, and when `up` started (wall clock), for a closer look. */
  requests: DetailedRequest[];
  upStartMs: number;
}

/** The program: N instances, each with K backups, the first of which is exported. */
function programSource(instances: number, backups: number): string {
  return `const { scaleway } = require("pulumi-dbaas");
for (let i = 0; i < ${instances}; i++) {
  const db = new scaleway.DatabaseInstance(\`db\${i}\`, { engine: "PostgreSQL-16", nodeType: "db-dev-s" });
  for (let j = 0; j < ${backups}; j++) {
    new scaleway.DatabaseBackup(\`db\${i}-backup\${j}\`, { instanceId: db.id, exported: j === 0 });
  }
}
`;
}

/** Peak RSS of this process's descendants, sampled from /proc while the engine runs (Linux only). */
class RssSampler {
  readonly peaks = { providerHost: 0, program: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 250) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    let entries: string[];
    try {
      entries = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    const parents = new Map<number, number>();
    for (const pid of entries) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        parents.set(Number(pid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      } catch {
        // The process ended between the listing and the read.
      }
    }
    for (const [pid] of parents) {
      if (!descendsFrom(pid, process.pid, parents)) continue;
      try {
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        const kilobytes = Number(
          /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0,
        );
        if (command.includes(EMULATOR_CHILD)) continue;
        const role = command.includes("dynamic-provider") ? "providerHost" : "program";
        this.peaks[role] = Math.max(this.peaks[role], kilobytes / 1024);
      } catch {
        // The process ended between the listing and the read.
      }
    }
  }
}

function descendsFrom(pid: number, ancestor: number, parents: Map<number, number>): boolean {
  for (let current = parents.get(pid); current !== undefined && current > 1; current = parents.get(current)) {
    if (current === ancestor) return true;
  }
  return false;
}

function ownPeakRssMb(): number {
  const status = fs.readFileSync("/proc/self/status", "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const SINGLE_GET = /\/rdb\/v1\/regions\/[^/]+\/(instances|backups)\/[^/]+\/?$/;
const LIST_GET = /\/rdb\/v1\/regions\/[^/]+\/(instances|backups)\/?$/;

/** A status poll: a GET of one instance or backup, or a shared poll's list of the project's (not a lookup by name or tag). */
function isStatusPoll(request: DetailedRequest): boolean {
  if (request.method !== "GET") return false;
  if (SINGLE_GET.test(request.path)) return true;
  const query = new URLSearchParams(request.query);
  return LIST_GET.test(request.path) && query.has("project_id") && !query.has("name") && !query.has("tags");
}

/** What a request was for: a write, a status poll, a list page past the first, a lookup by name or tag, another read. */
type RequestKind = "mutating" | "status poll" | "poll page > 1" | "lookup" | "other read";

function kindOf(request: DetailedRequest): RequestKind {
  if (request.method !== "GET") return "mutating";
  const page = new URLSearchParams(request.query).get("page");
  if (isStatusPoll(request)) return page !== null && page !== "1" ? "poll page > 1" : "status poll";
  return LIST_GET.test(request.path) ? "lookup" : "other read";
}

function phaseReport(
  result: EngineResult,
  requests: DetailedRequest[],
  startedAtMs: number,
  wallMs: number,
  criticalPathMs: number,
  resources: number,
  expectedSteps: number,
  rateLimit: number | undefined,
  countsTowardRate: (request: DetailedRequest) => boolean,
): PhaseReport {
  const requestsByMethod: Record<string, number> = {};
  for (const request of requests)
    requestsByMethod[request.method] = (requestsByMethod[request.method] ?? 0) + 1;
  const statusPolls = requests.filter(isStatusPoll).length;
  const counted = requests.filter((r) => r.status !== 429 && countsTowardRate(r)).length;
  const done = result.steps.filter((step) => step.op !== "same").length;
  const requestsByKind = {
    mutating: 0,
    "status poll": 0,
    "poll page > 1": 0,
    lookup: 0,
    "other read": 0,
    "refused (429)": 0,
  };
  for (const request of requests)
    requestsByKind[request.status === 429 ? "refused (429)" : kindOf(request)]++;
  return {
    ok: result.ok,
    wallMs,
    criticalPathMs,
    requestsByMethod,
    throttled: requests.filter((r) => r.status === 429).length,
    throttledAfterFirstSecond: requests.filter(
      (r) => r.status === 429 && r.receivedAtMs > requests[0].receivedAtMs + 1000,
    ).length,
    unretriedThrottles: result.errors.filter((e) => /429|too many requests|too_many_requests/i.test(e))
      .length,
    statusPollsPerResource: statusPolls / resources,
    requestsByKind,
    startupMs: requests.length > 0 ? requests[0].receivedAtMs - startedAtMs : wallMs,
    boundMs: Math.max(criticalPathMs, rateLimit ? (counted / rateLimit) * 1000 : 0),
    failedResources: Math.max(0, expectedSteps - done),
    errors: result.errors,
  };
}

interface TracedChange {
  resource: string;
  status: string;
  sinceLastLookMs: number;
  allowedMs: number;
}

/** Lag of every status change the waiters traced: the time since the look before, against the rule. */
function lagReport(traceFile: string): LagReport {
  const lines = fs.existsSync(traceFile)
    ? fs.readFileSync(traceFile, "utf8").split("\n").filter(Boolean)
    : [];
  const changes = lines.map((line) => JSON.parse(line) as TracedChange);
  const lags = changes.map((change) => change.sinceLastLookMs);
  const late = changes.filter((change) => change.sinceLastLookMs > change.allowedMs + 500);
  return {
    changes: changes.length,
    meanMs: lags.length ? lags.reduce((a, b) => a + b, 0) / lags.length : 0,
    worstMs: lags.length ? Math.max(...lags) : 0,
    overRule: late.length,
    late,
  };
}

/** The argument that makes this script serve the emulator for a parent benchmark (see `forkEmulator`). */
const EMULATOR_CHILD = "--serve-bench-emulator";

type EmulatorOptions = Parameters<typeof startEmulator>[0];

/** What the emulator child tells its parent. */
type ChildMessage =
  | { kind: "listening"; url: string }
  | { kind: "report"; requests: DetailedRequest[]; peakRssMb: number };

/**
 * The emulator in a process of its own (the compiled script run with `EMULATOR_CHILD`), so that the peak RSS measured
 * for the engine is the engine's; its request log and its own peak RSS come back over IPC.
 */
async function forkEmulator(options: EmulatorOptions) {
  const child = fork(
    path.join(REPO, "dist", "scripts", "bench-scale.js"),
    [EMULATOR_CHILD, JSON.stringify(options)],
    {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const next = () =>
    new Promise<ChildMessage>((resolve, reject) => {
      child.once("message", (message) => resolve(message as ChildMessage));
      child.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
    });
  const listening = await next();
  if (listening.kind !== "listening") throw new Error("the emulator did not start");
  return {
    url: listening.url,
    /** The request log and the emulator's peak RSS in MB; the emulator stops after answering. */
    stop: async () => {
      const report = next();
      child.send("report");
      const answer = await report;
      if (answer.kind !== "report") throw new Error("the emulator sent no report");
      return answer;
    },
    kill: () => child.kill(),
  };
}

/** The child side of `forkEmulator`: serves until the parent asks for the report. */
async function serveEmulator(options: EmulatorOptions): Promise<void> {
  const emulator = await startEmulator(options);
  const send = (message: ChildMessage, then: () => void = () => undefined) => process.send?.(message, then);
  send({ kind: "listening", url: emulator.url });
  process.once("message", async () => {
    const requests = emulator.detailedRequests();
    await emulator.stop();
    // Disconnecting only once the report is written: a large request log is still in the channel when send returns.
    send({ kind: "report", requests, peakRssMb: ownPeakRssMb() }, () => process.disconnect?.());
  });
}

export async function runScaleBench(options: ScaleBenchOptions): Promise<ScaleBenchReport> {
  const profile = options.profile ?? "fast";
  const timeScale = options.timeScale ?? 1;
  const resources = options.instances * (1 + options.backupsPerInstance);
  const parallel = options.parallel ?? resources;
  const emulator = await forkEmulator({
    profile,
    timeScale,
    rateLimit: options.rateLimit,
    dataPlane: "simulated",
  });
  let stopped = false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-bench-scale-"));
  const traceFile = path.join(dir, "wait-trace.jsonl");
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench-scale\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(
      path.join(dir, "index.js"),
      programSource(options.instances, options.backupsPerInstance),
    );
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    const env = {
      SCW_API_URL: emulator.url,
      SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
      SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
      SCW_DEFAULT_REGION: "fr-par",
      PULUMI_CONFIG_PASSPHRASE: "bench-scale",
      PULUMI_DBAAS_WAIT_TRACE: traceFile,
    };
    const sampler = new RssSampler();
    const scaled = (operation: Parameters<typeof durationOf>[1]) =>
      durationOf(profile, operation) * timeScale;
    const createChainMs =
      scaled("instanceCreate") +
      (options.backupsPerInstance > 0 ? scaled("backupCreate") + scaled("backupExport") : 0);

    const upStart = Date.now();
    const up = await runEngine({ command: "up", cwd: dir, env, skipPreview: true, parallel });
    const upEnd = Date.now();
    const destroy = await runEngine({ command: "destroy", cwd: dir, env, parallel });
    const destroyEnd = Date.now();
    sampler.stop();

    const { requests: log, peakRssMb: emulatorRssMb } = await emulator.stop();
    stopped = true;
    const within = (from: number, to: number) =>
      log.filter((r) => r.receivedAtMs >= from && r.receivedAtMs < to);
    const upRequests = within(upStart, upEnd);
    const destroyRequests = within(upEnd, destroyEnd);
    return {
      options: {
        instances: options.instances,
        backupsPerInstance: options.backupsPerInstance,
        profile,
        timeScale,
        rateLimit: options.rateLimit,
        parallel,
      },
      resources,
      up: phaseReport(
        up,
        upRequests,
        upStart,
        upEnd - upStart,
        createChainMs,
        resources,
        resources,
        options.rateLimit,
        (r) => r.method !== "GET",
      ),
      destroy: phaseReport(
        destroy,
        destroyRequests,
        upEnd,
        destroyEnd - upEnd,
        scaled("instanceDelete"),
        resources,
        resources,
        options.rateLimit,
        () => true,
      ),
      lag: lagReport(traceFile),
      peakRssMb: { engine: ownPeakRssMb(), emulator: emulatorRssMb, ...sampler.peaks },
      requests: log,
      upStartMs: upStart,
    };
  } finally {
    if (!stopped) emulator.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatScaleReport(report: ScaleBenchReport): string {
  const { options } = report;
  const lines = [
    `bench:scale  ${options.instances} instances × ${options.backupsPerInstance} backups = ${report.resources} resources, ` +
      `profile ${options.profile} × ${options.timeScale}, rate limit ${options.rateLimit ?? "none"} req/s, parallel ${options.parallel}`,
  ];
  for (const [name, phase, counted] of [
    ["up", report.up, "mutating requests"],
    ["destroy", report.destroy, "requests"],
  ] as const) {
    const methods = Object.entries(phase.requestsByMethod)
      .map(([method, count]) => `${count} ${method}`)
      .join(", ");
    lines.push(
      `${name.padEnd(8)} ${phase.ok ? "ok" : "FAILED"}: wall ${seconds(phase.wallMs)}; critical path ${seconds(phase.criticalPathMs)} ` +
        `(wall/critical ${(phase.wallMs / Math.max(1, phase.criticalPathMs)).toFixed(2)}); ` +
        `bound max(critical path, ${counted} ÷ rate) ${seconds(phase.boundMs)} → wall/bound ${(phase.wallMs / Math.max(1, phase.boundMs)).toFixed(2)} (goal ≤ 1.20)`,
      `         requests: ${methods}; 429: ${phase.throttled} (${phase.throttledAfterFirstSecond} after the first second; unretried ${phase.unretriedThrottles}); ` +
        `status polls per resource ${phase.statusPollsPerResource.toFixed(2)}; failed resources ${phase.failedResources}`,
    );
    const kinds = Object.entries(phase.requestsByKind)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(", ");
    const rate = report.options.rateLimit;
    const accepted =
      Object.values(phase.requestsByKind).reduce((a, b) => a + b, 0) - phase.requestsByKind["refused (429)"];
    const afterStartupMs = phase.wallMs - phase.startupMs;
    lines.push(
      `         by kind: ${kinds}; startup (to the first request) ${seconds(phase.startupMs)}` +
        (rate
          ? `; after it: ${seconds(afterStartupMs)} for ${accepted} accepted requests (${((accepted / afterStartupMs) * 1000).toFixed(1)}/s of ${rate}/s)`
          : ""),
    );
    for (const error of phase.errors.slice(0, 3)) lines.push(`         error: ${error.split("\n")[0]}`);
  }
  lines.push(
    `lag      ${report.lag.changes} status changes noticed: mean ${seconds(report.lag.meanMs)}, worst ${seconds(report.lag.worstMs)} ` +
      `(upper bound: time since the previous look); over the rule: ${report.lag.overRule}`,
  );
  for (const late of report.lag.late.slice(0, 5)) {
    lines.push(
      `         late: ${late.resource} → ${late.status} ${seconds(late.sinceLastLookMs)} after the look before ` +
        `(rule ${seconds(late.allowedMs)})`,
    );
  }
  const rss = report.peakRssMb;
  lines.push(
    `rss      peak: engine ${rss.engine.toFixed(0)} MB, emulator ${rss.emulator.toFixed(0)} MB, provider host ` +
      `${rss.providerHost.toFixed(0)} MB, program ${rss.program.toFixed(0)} MB; ` +
      `engine + provider host ${(rss.engine + rss.providerHost).toFixed(0)} MB (goal ≤ 600)`,
  );
  return lines.join("\n");
}

function parseArgs(argv: string[]): ScaleBenchOptions {
  const options: ScaleBenchOptions = { instances: 10, backupsPerInstance: 1 };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[++index];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case "--instances":
        options.instances = Number(value);
        break;
      case "--backups-per-instance":
        options.backupsPerInstance = Number(value);
        break;
      case "--profile":
        options.profile = value as TimeProfile;
        break;
      case "--time-scale":
        options.timeScale = Number(value);
        break;
      case "--rate-limit":
        options.rateLimit = Number(value);
        break;
      case "--parallel":
        options.parallel = Number(value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

if (require.main === module && process.argv[2] === EMULATOR_CHILD) {
  void serveEmulator(JSON.parse(process.argv[3] ?? "{}") as EmulatorOptions);
} else if (require.main === module) {
  runScaleBench(parseArgs(process.argv.slice(2)))
    .then((report) => console.log(formatScaleReport(report)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
