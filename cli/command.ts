// What the `instance` and `backup` subcommands share: the io they write to, one-line failure messages, the Scaleway
// client built from SCW_* and flags, and the declarative subcommands their groups are made of.
import type { Writable } from "node:stream";
import {
  ApiError,
  ConfigurationError,
  DEFAULT_POLL_POLICY,
  NotFoundError,
  PermissionsDeniedError,
  type PollPolicy,
  PreconditionFailedError,
  RDB_REGIONS,
  RdbApi,
  type RdbApiOptions,
  redactText,
  redactValue,
  type ScalewayClientOptions,
  type WaitProgress,
  type WaitSettings,
} from "../sdk";
import {
  type CommandGroup,
  type CommandLine,
  type CommandSpec,
  EXIT_OK,
  type OptionSpecs,
  type OptionValues,
  runCommand,
  stringOption,
  stringOptions,
  UsageError,
} from "./command-line";
import { formatElapsed } from "./output";

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Poll policy of the waits (tests use a fast one). */
  pollPolicy?: PollPolicy;
  now?: () => number;
}

/** Redacted, on one line: what reaches the terminal or a CI log. */
export function oneLine(text: string): string {
  return redactText(text).replace(/\s*\n\s*/g, " ");
}

/** One line saying what went wrong, without secrets; unknown ids and credentials get their own wording. */
export function describeFailure(error: unknown, what: string): string {
  if (error instanceof NotFoundError || (error instanceof ApiError && error.status === 404)) {
    return `${what} was not found`;
  }
  if (error instanceof PermissionsDeniedError) {
    return `${what} was not found, or these credentials may not read it`;
  }
  if (error instanceof ApiError && error.status === 401) {
    return `the credentials were refused (HTTP 401): check the secret key or token in the environment`;
  }
  if (error instanceof PreconditionFailedError && error.helpMessage)
    return `${error.message}: ${error.helpMessage}`;
  return error instanceof Error ? error.message : String(error);
}

/** `a backup`, `an instance`. */
function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
}

/** `{region}/{uuid}` or a bare id; the region is then the client's default (--region, SCW_DEFAULT_REGION, fr-par). */
export function splitRegionalId(value: string, kind = "backup"): { region?: string; id: string } {
  const slash = value.indexOf("/");
  if (slash < 0) return { id: value };
  if (value.indexOf("/", slash + 1) >= 0 || slash === value.length - 1) {
    throw new UsageError(`"${value}" is not ${withArticle(kind)} id: write {region}/{uuid} or a UUID`);
  }
  return { region: value.slice(0, slash), id: value.slice(slash + 1) };
}

/** Builds a Scaleway client; missing credentials name the environment variables the command reads. */
export function scalewayClient<T>(
  build: (options: { env: CommandIo["env"] }) => T,
  env: CommandIo["env"],
): T {
  try {
    return build({ env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(
      "Scaleway credentials are missing: set SCW_SECRET_KEY (and SCW_API_URL to use another endpoint)",
    );
  }
}

/** Progress of a wait on stderr: every status change, and a still-waiting line now and then, with elapsed time. */
export function progressReporter(report: (line: string) => void): (progress: WaitProgress) => void {
  const heartbeatMs = 30_000;
  let reportedAt = 0;
  return (progress) => {
    if (!progress.changed && progress.elapsedMs - reportedAt < heartbeatMs) return;
    reportedAt = progress.elapsedMs;
    const still = progress.changed ? "" : "still ";
    report(`${progress.resource}: ${still}${progress.status} (${formatElapsed(progress.elapsedMs)})`);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DURATION_PART = /(\d+)(ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `20m`, `1h30m`, `7d` in milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const normalized = value.trim().toLowerCase();
  const parts = [...normalized.matchAll(DURATION_PART)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== normalized) {
    throw new UsageError(`${flag} takes a duration such as 90s, 20m, 1h30m or 7d (got "${value}")`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * UNIT_MS[part[2]], 0);
}

/** An RFC 3339 date given on the command line, checked before anything is sent. */
export function parseDate(value: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${flag} takes an RFC 3339 date such as 2030-01-31T00:00:00Z (got "${value}")`);
  }
  return new Date(value).toISOString();
}

/** A resource named on the command line: its region, uuid, the request fields and the label used in messages. */
export interface RegionalRef {
  region: string;
  id: string;
  label: string;
}

const COMMON_OPTIONS: OptionSpecs = {
  region: { type: "string" },
  "api-url": { type: "string" },
  json: { type: "boolean" },
};

const WAIT_OPTIONS: OptionSpecs = {
  "no-wait": { type: "boolean" },
  timeout: { type: "string" },
};

const COMMON_HELP = `common options:
  --region REGION     fr-par, nl-ams or pl-waw (default: the id's region, then SCW_DEFAULT_REGION, then fr-par)
  --api-url URL       API endpoint (default: SCW_API_URL, then https://api.scaleway.com)
  --json              print one JSON document on stdout instead of text (progress stays on stderr)
  -h, --help          this help

Ids are {region}/{uuid}, or a bare UUID with --region. The secret key is read from SCW_SECRET_KEY only, never
from a flag (flags show in process lists and shell history). Exit codes: 0 done, 1 failed, 2 bad usage.
`;

const WAIT_HELP = `  --no-wait           return once the API accepted the request, without waiting for it to settle
  --timeout DURATION  give up waiting after DURATION (90s, 20m, 1h…; default 30m for instances, 15m otherwise)
`;

export interface Subcommand {
  /** Positional arguments, as shown in the usage line (`<instance id>`, `[log id]`). */
  arguments: readonly string[];
  /** Its own options in the usage line, e.g. `--instance ID [--database NAME]`. */
  flags?: string;
  /** What the command does, shown first by --help. */
  description: string;
  /** Its own options (besides the common ones), with their help lines. */
  options?: OptionSpecs;
  optionsHelp?: string;
  /** Accepts --no-wait and --timeout. */
  waits?: boolean;
  run(context: CommandContext): Promise<void>;
}

/** A command line runner the group lists as is (`backup download`, which reads no RDB flags). */
export interface StandaloneSubcommand {
  /** Its usage line, as the group's help lists it. */
  synopsis: string;
  run(args: string[], io: CommandIo): Promise<number>;
}

export interface SubcommandGroup {
  /** `instance` or `backup`. */
  name: string;
  description: string;
  subcommands: Record<string, Subcommand>;
  standalone?: Record<string, StandaloneSubcommand>;
}

/** The usage line; the group's list leaves out the options every subcommand (or every waiting one) takes. */
function synopsis(group: SubcommandGroup, name: string, subcommand: Subcommand, full = true): string {
  const common = full ? [subcommand.waits ? "[--no-wait] [--timeout DURATION]" : "", "[--json]"] : [];
  return [`pulumi-dbaas ${group.name} ${name}`, ...subcommand.arguments, subcommand.flags ?? "", ...common]
    .filter((part) => part !== "")
    .join(" ");
}

function groupHelp(group: SubcommandGroup): string {
  const lines = [
    ...Object.entries(group.subcommands).map(([name, subcommand]) =>
      synopsis(group, name, subcommand, false),
    ),
    ...Object.values(group.standalone ?? {}).map((standalone) => standalone.synopsis),
  ];
  return `usage:\n${lines.map((line) => `  ${line}`).join("\n")}\n\n${group.description}\nRun a subcommand with --help for its options.\n\n${COMMON_HELP}`;
}

function subcommandHelp(group: SubcommandGroup, name: string, subcommand: Subcommand): string {
  const own = `${subcommand.optionsHelp ?? ""}${subcommand.waits ? WAIT_HELP : ""}`;
  const options = own === "" ? "" : `options:\n${own}\n`;
  return `usage: ${synopsis(group, name, subcommand)}\n\n${subcommand.description}\n\n${options}${COMMON_HELP}`;
}

/** The parsed command line and the client, handed to a subcommand's `run`. */
export class CommandContext {
  /** Labels of the resources named on the command line, by uuid: a 404 names the one the API reports. */
  private readonly subjects = new Map<string, string>();

  constructor(
    readonly io: CommandIo,
    readonly api: RdbApi,
    private readonly values: OptionValues,
    readonly positionals: string[],
    private readonly timeoutMs: number | undefined,
  ) {}

  get json(): boolean {
    return this.values.json === true;
  }

  /** False with --no-wait. */
  get waits(): boolean {
    return this.values["no-wait"] !== true;
  }

  get now(): number {
    return (this.io.now ?? Date.now)();
  }

  string(name: string): string | undefined {
    return stringOption(this.values, name);
  }

  strings(name: string): string[] {
    return stringOptions(this.values, name);
  }

  /** Parses `{region}/{uuid}` or a bare UUID (region from --region or the client's default). */
  ref(kind: string, value: string): RegionalRef {
    const parsed = splitRegionalId(value, kind);
    const flag = this.string("region");
    if (parsed.region !== undefined && flag !== undefined && parsed.region !== flag) {
      throw new UsageError(`${kind} id "${value}" is in ${parsed.region}, but --region says ${flag}`);
    }
    if (!UUID.test(parsed.id)) {
      throw new UsageError(
        `"${value}" is not ${withArticle(kind)} id: write {region}/{uuid}, or a UUID with --region`,
      );
    }
    const region = parsed.region ?? this.api.client.config.defaultRegion;
    checkRegion(region);
    const label = `${kind} ${region}/${parsed.id}`;
    this.subjects.set(parsed.id, label);
    return { region, id: parsed.id, label };
  }

  /** The label of what a failure is about: the resource the API names, else the first one on the command line. */
  subjectOf(error: unknown): string {
    const named =
      error instanceof ApiError && error.resourceId ? this.subjects.get(error.resourceId) : undefined;
    return named ?? this.subjects.values().next().value ?? "the request";
  }

  report(line: string): void {
    this.io.stderr.write(`${oneLine(line)}\n`);
  }

  waitSettings(): WaitSettings {
    return {
      pollPolicy: this.io.pollPolicy ?? DEFAULT_POLL_POLICY,
      onProgress: progressReporter((line) => this.report(line)),
      ...(this.timeoutMs === undefined ? {} : { deadlineMs: this.timeoutMs }),
    };
  }

  /** What the API answered with --no-wait; otherwise what the wait ends on. */
  async settle<T>(started: T, wait: (settings: WaitSettings) => Promise<T>): Promise<T> {
    return this.waits ? wait(this.waitSettings()) : started;
  }

  /** One JSON document with --json, else the text; both redacted (download URLs lose their signature). */
  print(document: unknown, text: string): void {
    this.io.stdout.write(
      this.json ? `${JSON.stringify(redactValue(document), null, 2)}\n` : `${redactText(text)}\n`,
    );
  }
}

/** A subcommand that reads one thing about the resource named by its only argument and prints it. */
export function readCommand<T>(
  kind: string,
  description: string,
  read: (api: RdbApi, ref: RegionalRef) => Promise<T>,
  format: (value: T) => string,
): Subcommand {
  return {
    arguments: [`<${kind} id>`],
    description,
    async run(context) {
      const value = await read(context.api, context.ref(kind, context.positionals[0]));
      context.print(value, format(value));
    },
  };
}

function checkRegion(region: string): void {
  if (!(RDB_REGIONS as readonly string[]).includes(region)) {
    throw new UsageError(`unknown region "${region}" (expected ${RDB_REGIONS.join(", ")})`);
  }
}

function buildContext({ values, positionals }: CommandLine, io: CommandIo): CommandContext {
  const region = stringOption(values, "region");
  if (region !== undefined) checkRegion(region);
  const timeoutText = stringOption(values, "timeout");
  const timeout = timeoutText === undefined ? undefined : parseDuration(timeoutText, "--timeout");
  const overrides: ScalewayClientOptions = { defaultRegion: region, apiUrl: stringOption(values, "api-url") };
  // A write refused because the resource is busy waits for it, then is sent again: that wait is shown too.
  const settleWait = {
    pollPolicy: io.pollPolicy ?? DEFAULT_POLL_POLICY,
    onProgress: progressReporter((line) => io.stderr.write(`${oneLine(line)}\n`)),
  };
  const apiOptions: RdbApiOptions = { settleWait };
  const api = scalewayClient((options) => new RdbApi({ ...options, ...overrides }, apiOptions), io.env);
  return new CommandContext(io, api, values, positionals, timeout);
}

/** Runs one RDB subcommand: a failure is one line about the resource it concerns. */
function runSubcommand(
  spec: CommandSpec,
  subcommand: Subcommand,
  args: string[],
  io: CommandIo,
): Promise<number> {
  let context: CommandContext | undefined;
  const run = async (line: CommandLine) => {
    context = buildContext(line, io);
    await subcommand.run(context);
    return EXIT_OK;
  };
  return runCommand(spec, args, io, run, (error) =>
    oneLine(describeFailure(error, context?.subjectOf(error) ?? "the request")),
  );
}

/** The group as `runGroup` runs it: one entry per subcommand. */
export function commandGroup(group: SubcommandGroup): CommandGroup<CommandIo> {
  const entries: CommandGroup<CommandIo>["entries"] = {};
  for (const [name, subcommand] of Object.entries(group.subcommands)) {
    const spec: CommandSpec = {
      name: `pulumi-dbaas ${group.name} ${name}`,
      synopsis: synopsis(group, name, subcommand),
      help: subcommandHelp(group, name, subcommand),
      options: { ...COMMON_OPTIONS, ...(subcommand.waits ? WAIT_OPTIONS : {}), ...subcommand.options },
      arguments: subcommand.arguments,
    };
    entries[name] = (args, io) => runSubcommand(spec, subcommand, args, io);
  }
  for (const [name, standalone] of Object.entries(group.standalone ?? {})) entries[name] = standalone.run;
  return {
    name: `pulumi-dbaas ${group.name}`,
    entryNoun: "subcommand",
    help: groupHelp(group),
    entries,
  };
}
