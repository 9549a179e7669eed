// `pulumi-dbaas emulator`: parses flags, starts the emulator, prints where it listens and the client environment to
// use, and stops cleanly on SIGINT/SIGTERM.
import {
  type CommandSpec,
  EXIT_OK,
  type OptionValues,
  parseCommandLine,
  runCommand,
  stringOption,
  stringOptions,
  UsageError,
} from "../cli/command-line";
import type { EmulatorOptions, TimeProfile } from "./framework";
import { DATA_PLANE_CHOICES, type DataPlaneChoice } from "./postgres/choose";
import { scalingoEnvironment } from "./scalingo";
import { type RunningEmulator, startEmulator } from "./server";

const PROFILES: TimeProfile[] = ["instant", "fast", "realistic"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Used when no --token is declared (any non-empty token is then accepted). */
export const DEFAULT_SECRET_KEY = "11111111-1111-4111-8111-111111111111";
export const DEFAULT_PROJECT_ID = "22222222-2222-4222-8222-222222222222";
const DEFAULT_ACCESS_KEY = "SCWEMULATOR000000000";

const SYNOPSIS = "pulumi-dbaas emulator [options]";

export const EMULATOR_USAGE = `usage: ${SYNOPSIS}

options:
  --port N                        port to listen on (default 0: a free port)
  --host H                        address to listen on (default 127.0.0.1)
  --profile instant|fast|realistic  how long operations take (default fast)
  --data-dir DIR                  keep state in DIR across restarts
  --token TOKEN[:PROJECT_ID]      accepted Scaleway secret key, optionally bound to one project (repeatable)
  --scalingo-token T              accepted Scalingo API token (repeatable)
  --download-url-ttl SECONDS      how long backup download URLs stay valid (default: as the real APIs,
                                  86400 for Scaleway exports, 900 for Scalingo archive links)
  --rate-limit N                  accept N requests per second per token (small bursts), then answer 429 with
                                  Retry-After (default: unlimited)
  --time-scale F                  multiply every duration of the profile by F (e.g. --profile realistic
                                  --time-scale 0.05 turns a 212 s instance create into ~11 s; default 1)
  --data-plane real|simulated|auto  where PostgreSQL databases live: a real PostgreSQL server per instance, or
                                  simulated JSON documents (default auto: real when PostgreSQL is installed)
  --max-servers N                 real PostgreSQL servers running at once; idle ones beyond it are stopped and
                                  started again on demand (default 20)
  -h, --help                      this help

Runs until Ctrl-C (SIGINT) or SIGTERM. Exit codes: 0 stopped, 1 could not start, 2 bad usage.
`;

const EMULATOR_COMMAND: CommandSpec = {
  name: "pulumi-dbaas emulator",
  synopsis: SYNOPSIS,
  help: EMULATOR_USAGE,
  options: {
    port: { type: "string" },
    host: { type: "string" },
    profile: { type: "string" },
    "data-dir": { type: "string" },
    token: { type: "string", multiple: true },
    "scalingo-token": { type: "string", multiple: true },
    "download-url-ttl": { type: "string" },
    "rate-limit": { type: "string" },
    "time-scale": { type: "string" },
    "data-plane": { type: "string" },
    "max-servers": { type: "string" },
  },
  arguments: [],
};

/** The emulator's name for a usage error, which its callers and tests know it by. */
export { UsageError as CliUsageError };

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0-65535, got "${text}"`);
  return port;
}

function parseProfile(text: string): TimeProfile {
  if (!PROFILES.includes(text as TimeProfile)) {
    throw new UsageError(`--profile must be one of ${PROFILES.join(", ")}, got "${text}"`);
  }
  return text as TimeProfile;
}

function parseToken(text: string): { token: string; projectId?: string } {
  const separator = text.indexOf(":");
  const token = separator === -1 ? text : text.slice(0, separator);
  const projectId = separator === -1 ? undefined : text.slice(separator + 1);
  if (token === "") throw new UsageError("--token needs a non-empty token before the colon");
  if (projectId !== undefined && !UUID.test(projectId)) {
    throw new UsageError("--token TOKEN:PROJECT_ID needs a project id in UUID form");
  }
  return { token, projectId };
}

function parseTtl(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) === 0) {
    throw new UsageError(`--download-url-ttl must be a positive whole number of seconds, got "${text}"`);
  }
  return Number(text);
}

function parseDataPlane(text: string): DataPlaneChoice {
  if (!DATA_PLANE_CHOICES.includes(text as DataPlaneChoice)) {
    throw new UsageError(`--data-plane must be one of ${DATA_PLANE_CHOICES.join(", ")}, got "${text}"`);
  }
  return text as DataPlaneChoice;
}

function parseMaxServers(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) === 0) {
    throw new UsageError(`--max-servers must be a positive whole number, got "${text}"`);
  }
  return Number(text);
}

function positiveNumber(flag: string): (text: string) => number {
  return (text) => {
    const number = Number(text);
    if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text) || !(number > 0) || !Number.isFinite(number)) {
      throw new UsageError(`${flag} must be a positive number, got "${text}"`);
    }
    return number;
  };
}

function emulatorOptions(values: OptionValues): EmulatorOptions {
  const given = <T>(name: string, parse: (text: string) => T): T | undefined => {
    const text = stringOption(values, name);
    return text === undefined ? undefined : parse(text);
  };
  const tokens = stringOptions(values, "token").map(parseToken);
  const scalingoTokens = stringOptions(values, "scalingo-token");
  const options: EmulatorOptions = {
    port: given("port", parsePort),
    host: stringOption(values, "host"),
    profile: given("profile", parseProfile),
    dataDir: stringOption(values, "data-dir"),
    tokens: tokens.length > 0 ? tokens : undefined,
    scalingoTokens: scalingoTokens.length > 0 ? scalingoTokens : undefined,
    downloadUrlTtlSeconds: given("download-url-ttl", parseTtl),
    rateLimit: given("rate-limit", positiveNumber("--rate-limit")),
    timeScale: given("time-scale", positiveNumber("--time-scale")),
    dataPlane: given("data-plane", parseDataPlane),
    maxServers: given("max-servers", parseMaxServers),
  };
  // Only the options given: the emulator's defaults apply to the others.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** Turns the command's flags into emulator options; throws CliUsageError with a message naming the bad flag. */
export function parseEmulatorArgs(argv: string[]): EmulatorOptions {
  return emulatorOptions(parseCommandLine(argv, EMULATOR_COMMAND).values);
}

/**
 * The lines printed at start, after the "listening" line: shell exports pointing clients at the emulator.
 * Each API module's client environment goes in this one list.
 */
export function environmentExports(url: string, options: EmulatorOptions): Array<[string, string]> {
  const firstToken = options.tokens?.[0];
  const projectId = firstToken?.projectId ?? DEFAULT_PROJECT_ID;
  return [
    ["SCW_API_URL", url],
    ["SCW_SECRET_KEY", firstToken?.token ?? DEFAULT_SECRET_KEY],
    ["SCW_ACCESS_KEY", DEFAULT_ACCESS_KEY],
    ["SCW_DEFAULT_PROJECT_ID", projectId],
    ["SCW_DEFAULT_ORGANIZATION_ID", projectId],
    ["SCW_DEFAULT_REGION", "fr-par"],
    ...scalingoEnvironment(url, options),
  ];
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Stops the emulator when aborted (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once the emulator listens (tests use it to reach the running instance). */
  onStarted?: (emulator: RunningEmulator) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Resolves once the emulator stopped: on SIGINT, SIGTERM or the io's abort signal. */
function untilStopped(emulator: RunningEmulator, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      void emulator.stop().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop);
  });
}

/** The `pulumi-dbaas emulator` command: serves until stopped; resolves to the exit code. */
export function emulatorCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const terminal = { stdout: { write: io.stdout }, stderr: { write: io.stderr } };
  return runCommand(EMULATOR_COMMAND, argv, terminal, async ({ values }) => {
    const options = emulatorOptions(values);
    const log = (line: string) => io.stderr(`${line}\n`);
    const emulator = await startEmulator({ ...options, log }).catch((error: unknown) => {
      throw new Error(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    });
    const lines = [
      `pulumi-dbaas emulator listening on ${emulator.url}`,
      ...environmentExports(emulator.url, options).map(
        ([name, value]) => `export ${name}=${shellQuote(value)}`,
      ),
    ];
    io.stdout(`${lines.join("\n")}\n`);
    io.onStarted?.(emulator);
    await untilStopped(emulator, io.signal);
    return EXIT_OK;
  });
}

/** Runs the emulator command as the process would, setting process.exitCode (the `pulumi-dbaas/emulator` export). */
export async function runEmulatorCli(argv: string[], io: CliIo = processIo): Promise<void> {
  process.exitCode = await emulatorCommand(argv, io);
}
