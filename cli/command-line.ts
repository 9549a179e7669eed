// The one command-line style of `pulumi-dbaas` and all its commands: node:util parseArgs, --help, usage errors and
// exit codes. emulator/cli.ts and engine/cli.ts use it too, so it imports nothing but node:util.
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Every command exits 0 when done, 1 when the work failed (an API error, a failed run), 2 on bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Bad command-line usage: reported with the usage line and a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Where a command writes: the process's streams, or captures in tests. */
export interface Terminal {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A command as its usage line and help show it, and what its command line may hold. */
export interface CommandSpec {
  /** `pulumi-dbaas backup download`: the start of its messages. */
  name: string;
  /** The usage line, shown again after a usage error. */
  synopsis: string;
  /** The --help text; a function of the arguments when the first one names a subcommand (engine). */
  help: string | ((positionals: readonly string[]) => string);
  /** Its options; -h, --help is added to every command. */
  options: OptionSpecs;
  /** Positional arguments as the usage line shows them: `<backup id>` is required, `[log id]` optional. */
  arguments: readonly string[];
}

export interface CommandLine {
  values: OptionValues;
  positionals: string[];
  /** -h or --help was given: the rest of the line is not checked. */
  help: boolean;
}

const HELP_OPTION: OptionSpecs = { help: { type: "boolean", short: "h" } };

type OptionToken = Extract<NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number], { kind: "option" }>;

/** parseArgs in strict mode words each problem its own way: the options are checked here, in one wording. */
function checkOption(token: OptionToken, options: OptionSpecs): void {
  if (!Object.hasOwn(options, token.name)) throw new UsageError(`unknown option "${token.rawName}"`);
  const flag = `--${token.name}`;
  if (options[token.name].type === "boolean") {
    if (token.inlineValue) throw new UsageError(`${flag} takes no value`);
    return;
  }
  const value = token.value;
  // `--output --json` forgot the value; `--output -` (stdout) and `--port -1` (out of range) gave one.
  const optionTaken = !token.inlineValue && /^-[^\d.]/.test(value ?? "");
  if (value === undefined || value === "" || optionTaken) throw new UsageError(`${flag} needs a value`);
}

function checkArguments(expected: readonly string[], positionals: string[]): void {
  const required = expected.filter((name) => name.startsWith("<")).length;
  if (positionals.length < required || positionals.length > expected.length) {
    const wanted = expected.length === 0 ? "no arguments" : expected.join(" ");
    throw new UsageError(`expected ${wanted}, got ${positionals.length} argument(s)`);
  }
}

/** Parses and checks `args` against the command's options and arguments; throws UsageError. */
export function parseCommandLine(
  args: string[],
  spec: Pick<CommandSpec, "options" | "arguments">,
): CommandLine {
  const options = { ...spec.options, ...HELP_OPTION };
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const optionTokens = tokens.filter((token): token is OptionToken => token.kind === "option");
  const help = optionTokens.some((token) => token.name === "help");
  if (!help) {
    for (const token of optionTokens) checkOption(token, options);
    checkArguments(spec.arguments, positionals);
  }
  return { values, positionals, help };
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** The values of a `multiple` string option, in the order given. */
export function stringOptions(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Prints a usage error the one way every command does: the problem, the usage line, where to read more. */
export function reportUsageError(
  terminal: Terminal,
  name: string,
  synopsis: string,
  message: string,
): number {
  const problem = message.replace(/\s*\n\s*/g, " ");
  terminal.stderr.write(`${name}: ${problem}\n\nusage: ${synopsis}\nRun \`${name} --help\` for more.\n`);
  return EXIT_USAGE;
}

/**
 * Runs one command: its help, or `body` on the checked command line. Resolves to the exit code: the body's, 2 for a
 * UsageError, 1 for any other error, printed as one line `{name}: {describeFailure(error)}`.
 */
export async function runCommand(
  spec: CommandSpec,
  args: string[],
  terminal: Terminal,
  body: (line: CommandLine) => Promise<number>,
  describeFailure: (error: unknown) => string = errorMessage,
): Promise<number> {
  try {
    const line = parseCommandLine(args, spec);
    if (line.help) {
      terminal.stdout.write(typeof spec.help === "string" ? spec.help : spec.help(line.positionals));
      return EXIT_OK;
    }
    return await body(line);
  } catch (error) {
    if (error instanceof UsageError)
      return reportUsageError(terminal, spec.name, spec.synopsis, error.message);
    terminal.stderr.write(`${spec.name}: ${describeFailure(error)}\n`);
    return EXIT_FAILED;
  }
}

/** A command made of subcommands, named by the first one or two words (`instance logs list`). */
export interface CommandGroup<Io extends Terminal> {
  /** `pulumi-dbaas instance`. */
  name: string;
  /** What its messages call an entry: the top level has commands, the groups below it subcommands. */
  entryNoun: "command" | "subcommand";
  help: string;
  entries: Record<string, (args: string[], io: Io) => Promise<number>>;
}

function isHelp(argument: string | undefined): boolean {
  return argument === "help" || argument === "--help" || argument === "-h";
}

/** The entry named by the first one or two words and the arguments after it, or what is wrong. */
function resolve<Io extends Terminal>(
  group: CommandGroup<Io>,
  args: string[],
): { name: string; rest: string[] } | { problem: string } {
  const names = Object.keys(group.entries);
  const expected = `expected ${names.join(", ")}`;
  if (args.length === 0) return { problem: `missing ${group.entryNoun} (${expected})` };
  const twoWords = `${args[0]} ${args[1]}`;
  if (names.includes(twoWords)) return { name: twoWords, rest: args.slice(2) };
  if (names.includes(args[0])) return { name: args[0], rest: args.slice(1) };
  return { problem: `unknown ${group.entryNoun} "${args.slice(0, 2).join(" ")}" (${expected})` };
}

/** Runs the entry named by `args`; the group's help and its usage errors are answered here. */
export function runGroup<Io extends Terminal>(
  group: CommandGroup<Io>,
  args: string[],
  io: Io,
): Promise<number> {
  if (isHelp(args[0])) {
    io.stdout.write(group.help);
    return Promise.resolve(EXIT_OK);
  }
  const found = resolve(group, args);
  if ("problem" in found) {
    const synopsis = `${group.name} <${group.entryNoun}> [options]`;
    return Promise.resolve(reportUsageError(io, group.name, synopsis, found.problem));
  }
  return group.entries[found.name](found.rest, io);
}
