// `pulumi-dbaas engine <up|preview|refresh|destroy>`: a test and demo stand-in for the Pulumi CLI that runs a
// Node.js Pulumi program with dynamic providers locally; not a replacement for the Pulumi CLI.
import { parseArgs } from "node:util";
import { type EngineCommand, runEngine } from "./run";
import { formatEvent, formatSummary, jsonDocument } from "./summary";

const USAGE = `usage: pulumi-dbaas engine <up|preview|refresh|destroy> [--cwd DIR] [--stack NAME] [--refresh]
                                     [--skip-preview] [--expect-no-changes] [--json]

A test and demo stand-in for the Pulumi CLI, not a replacement: it runs a Node.js Pulumi program whose resources
are dynamic providers, keeping state in DIR/.pulumi-dbaas/stacks/<stack>.json. Use the real Pulumi CLI for real stacks.

  --cwd DIR              folder holding Pulumi.yaml (default: current directory)
  --stack NAME           stack name, reads Pulumi.<NAME>.yaml (default: dev)
  --refresh              preview/up: refresh the state first (in memory for a preview)
  --skip-preview         up: apply without previewing first
  --expect-no-changes    fail if anything would change (preview/up) or changed out of band (refresh)

Secrets in state and secure config are encrypted with PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE),
as the Pulumi CLI's passphrase secrets manager does; the salt is the stack config's encryptionsalt.
  --json                 print one JSON document instead of the text summary
`;

const COMMANDS: readonly EngineCommand[] = ["up", "preview", "refresh", "destroy"];

/** Runs the engine command in `argv` and returns the process exit code. */
export async function runEngineCli(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`pulumi-dbaas engine: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = positionals[0] as EngineCommand | undefined;
  if (!command || !COMMANDS.includes(command) || positionals.length > 1) {
    process.stderr.write(`pulumi-dbaas engine: expected one command of ${COMMANDS.join(", ")}\n\n${USAGE}`);
    return 2;
  }
  const json = values.json === true;
  const stack = values.stack ?? "dev";
  const result = await runEngine({
    command,
    cwd: values.cwd,
    stack,
    expectNoChanges: values["expect-no-changes"] === true,
    refresh: values.refresh === true,
    skipPreview: values["skip-preview"] === true,
    onEvent: (event) => {
      const line = formatEvent(event, stack);
      if (line === undefined) return;
      // With --json, stdout carries only the document.
      (json ? process.stderr : process.stdout).write(`${line}\n`);
    },
  });
  process.stdout.write(json ? jsonDocument(result) : `\n${formatSummary(result)}`);
  return result.ok ? 0 : 1;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cwd: { type: "string" },
      stack: { type: "string" },
      "expect-no-changes": { type: "boolean" },
      refresh: { type: "boolean" },
      "skip-preview": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
