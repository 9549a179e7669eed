// `pulumi-dbaas engine <up|preview|refresh|destroy>`: a test and demo stand-in for the Pulumi CLI that runs a
// Node.js Pulumi program with dynamic providers locally; not a replacement for the Pulumi CLI.
import {
  booleanOption,
  type CommandSpec,
  EXIT_FAILED,
  EXIT_OK,
  runCommand,
  stringOption,
  type Terminal,
  UsageError,
} from "../cli/command-line";
import { type EngineCommand, runEngine } from "./run";
import { formatEvent, formatSummary, jsonDocument } from "./summary";

const FLAGS = "[--cwd DIR] [--stack NAME] [--refresh] [--skip-preview] [--expect-no-changes] [--json]";

const OPTIONS_HELP = `  --cwd DIR              folder holding Pulumi.yaml (default: current directory)
  --stack NAME           stack name, reads Pulumi.<NAME>.yaml (default: dev)
  --refresh              preview/up: refresh the state first (in memory for a preview)
  --skip-preview         up: apply without previewing first
  --expect-no-changes    fail if anything would change (preview/up) or changed out of band (refresh)
  --json                 print one JSON document instead of the text summary
  -h, --help             this help (\`pulumi-dbaas engine <command> --help\`: that command's)

Secrets in state and secure config are encrypted with PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE),
as the Pulumi CLI's passphrase secrets manager does; the salt is the stack config's encryptionsalt.
Exit codes: 0 done, 1 failed (or changes with --expect-no-changes), 2 bad usage.
`;

const USAGE = `usage: pulumi-dbaas engine <up|preview|refresh|destroy> [--cwd DIR] [--stack NAME] [--refresh]
                                     [--skip-preview] [--expect-no-changes] [--json]

A test and demo stand-in for the Pulumi CLI, not a replacement: it runs a Node.js Pulumi program whose resources
are dynamic providers, keeping state in DIR/.pulumi-dbaas/stacks/<stack>.json. Use the real Pulumi CLI for real stacks.

${OPTIONS_HELP}`;

/** What each command does, as its own --help says first. */
const COMMANDS: Record<EngineCommand, string> = {
  up: "Previews the program's changes, then applies them (as `pulumi up`): creates, updates, replaces and deletes.",
  preview: "Shows what `up` would change, changing nothing (as `pulumi preview`).",
  refresh:
    "Reads every resource back and records in the state what changed out of band (as `pulumi refresh`).",
  destroy: "Deletes every resource of the stack, dependents first (as `pulumi destroy`).",
};

function isEngineCommand(name: string | undefined): name is EngineCommand {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

function help(positionals: readonly string[]): string {
  const [command] = positionals;
  if (!isEngineCommand(command)) return USAGE;
  return `usage: pulumi-dbaas engine ${command} ${FLAGS}\n\n${COMMANDS[command]}\n\n${OPTIONS_HELP}`;
}

const ENGINE_COMMAND: CommandSpec = {
  name: "pulumi-dbaas engine",
  synopsis: `pulumi-dbaas engine <up|preview|refresh|destroy> ${FLAGS}`,
  help,
  options: {
    cwd: { type: "string" },
    stack: { type: "string" },
    "expect-no-changes": { type: "boolean" },
    refresh: { type: "boolean" },
    "skip-preview": { type: "boolean" },
    json: { type: "boolean" },
  },
  arguments: ["<up|preview|refresh|destroy>"],
};

/** Runs the engine command in `argv` and returns the process exit code. */
export function runEngineCli(argv: string[], terminal: Terminal = process): Promise<number> {
  return runCommand(ENGINE_COMMAND, argv, terminal, async ({ values, positionals }) => {
    const [command] = positionals;
    if (!isEngineCommand(command)) {
      const expected = Object.keys(COMMANDS).join(", ");
      throw new UsageError(`unknown subcommand "${command}" (expected ${expected})`);
    }
    const json = booleanOption(values, "json");
    const stack = stringOption(values, "stack") ?? "dev";
    const result = await runEngine({
      command,
      cwd: stringOption(values, "cwd"),
      stack,
      expectNoChanges: booleanOption(values, "expect-no-changes"),
      refresh: booleanOption(values, "refresh"),
      skipPreview: booleanOption(values, "skip-preview"),
      onEvent: (event) => {
        const line = formatEvent(event, stack);
        if (line === undefined) return;
        // With --json, stdout carries only the document.
        (json ? terminal.stderr : terminal.stdout).write(`${line}\n`);
      },
    });
    terminal.stdout.write(json ? jsonDocument(result) : `\n${formatSummary(result)}`);
    return result.ok ? EXIT_OK : EXIT_FAILED;
  });
}
