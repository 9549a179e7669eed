// `pulumi-dbaas emulator`: parses flags, starts the emulator, prints where it listens and the client environment to
// use, and stops cleanly on SIGINT/SIGTERM.
import type { EmulatorOptions, TimeProfile } from "./framework";
import { scalingoEnvironment } from "./scalingo";
import { type RunningEmulator, startEmulator } from "./server";

const PROFILES: TimeProfile[] = ["instant", "fast", "realistic"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Used when no --token is declared (any non-empty token is then accepted). */
export const DEFAULT_SECRET_KEY = "11111111-1111-4111-8111-111111111111";
export const DEFAULT_PROJECT_ID = "22222222-2222-4222-8222-222222222222";
const DEFAULT_ACCESS_KEY = "SCWEMULATOR000000000";

export const EMULATOR_USAGE = `usage: pulumi-dbaas emulator [options]

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
`;

export class CliUsageError extends Error {}

/** Turns the command's flags into emulator options; throws CliUsageError with a message naming the bad flag. */
export function parseEmulatorArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const tokens: NonNullable<EmulatorOptions["tokens"]> = [];
  const scalingoTokens: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const [flag, inlineValue] =
      argument.startsWith("--") && argument.includes("=")
        ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)]
        : [argument, undefined];
    const value = (): string => {
      const next = inlineValue ?? argv[++index];
      if (next === undefined || next === "") throw new CliUsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--port": {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535)
          throw new CliUsageError(`--port must be 0-65535, got "${text}"`);
        options.port = port;
        break;
      }
      case "--host":
        options.host = value();
        break;
      case "--profile": {
        const profile = value();
        if (!PROFILES.includes(profile as TimeProfile)) {
          throw new CliUsageError(`--profile must be one of ${PROFILES.join(", ")}, got "${profile}"`);
        }
        options.profile = profile as TimeProfile;
        break;
      }
      case "--data-dir":
        options.dataDir = value();
        break;
      case "--token": {
        const text = value();
        const separator = text.indexOf(":");
        const token = separator === -1 ? text : text.slice(0, separator);
        const projectId = separator === -1 ? undefined : text.slice(separator + 1);
        if (token === "") throw new CliUsageError("--token needs a non-empty token before the colon");
        if (projectId !== undefined && !UUID.test(projectId)) {
          throw new CliUsageError("--token TOKEN:PROJECT_ID needs a project id in UUID form");
        }
        tokens.push({ token, projectId });
        break;
      }
      case "--scalingo-token":
        scalingoTokens.push(value());
        break;
      case "--download-url-ttl": {
        const text = value();
        if (!/^\d+$/.test(text) || Number(text) === 0) {
          throw new CliUsageError(
            `--download-url-ttl must be a positive whole number of seconds, got "${text}"`,
          );
        }
        options.downloadUrlTtlSeconds = Number(text);
        break;
      }
      case "--rate-limit":
        options.rateLimit = positiveNumber(flag, value());
        break;
      case "--time-scale":
        options.timeScale = positiveNumber(flag, value());
        break;
      default:
        throw new CliUsageError(`unknown option "${flag}"`);
    }
  }
  if (tokens.length > 0) options.tokens = tokens;
  if (scalingoTokens.length > 0) options.scalingoTokens = scalingoTokens;
  return options;
}

function positiveNumber(flag: string, text: string): number {
  const number = Number(text);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(text) || !(number > 0) || !Number.isFinite(number)) {
    throw new CliUsageError(`${flag} must be a positive number, got "${text}"`);
  }
  return number;
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

export async function runEmulatorCli(argv: string[], io: CliIo = processIo): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(EMULATOR_USAGE);
    return;
  }
  let options: EmulatorOptions;
  try {
    options = parseEmulatorArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`pulumi-dbaas emulator: ${error.message}\n\n${EMULATOR_USAGE}`);
    process.exitCode = 2;
    return;
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    io.stderr(
      `pulumi-dbaas emulator: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const lines = [
    `pulumi-dbaas emulator listening on ${emulator.url}`,
    ...environmentExports(emulator.url, options).map(
      ([name, value]) => `export ${name}=${shellQuote(value)}`,
    ),
  ];
  io.stdout(`${lines.join("\n")}\n`);
  io.onStarted?.(emulator);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.signal?.removeEventListener("abort", stop);
      void emulator.stop().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener("abort", stop);
  });
}
