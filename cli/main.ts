// The `pulumi-dbaas` command: dispatches to the emulator, the local engine, and the instance and backup commands, and
// is the one place that turns their exit codes into the process's.
import { readFileSync } from "node:fs";
import { emulatorCommand } from "../emulator/cli";
import { runEngineCli } from "../engine/cli";
import { runBackupCommands } from "./backup";
import type { CommandIo } from "./command";
import { type CommandGroup, EXIT_OK, reportUsageError, runGroup } from "./command-line";
import { runInstanceCli } from "./instance";

const USAGE = `usage: pulumi-dbaas <command> [options]
       pulumi-dbaas --version

commands:
  emulator   run the local API emulator (Scaleway RDB, Serverless SQL, Scalingo)
  engine     run a Pulumi program through the providers without the Pulumi CLI (a test and demo tool)
  instance   Scaleway RDB instances: list, get, restart, apply-maintenance, certificate, renew-certificate, logs
  backup     Scaleway RDB backups: list, get, create, export, restore; and download (Scaleway, Serverless SQL,
             Scalingo): backup download <scaleway|serverless|scalingo> <backup id> [--output …]

Run a command with --help for its subcommands and options.
Exit codes: 0 done, 1 failed, 2 bad usage (the usage line and a pointer to --help follow the message).
`;

const PULUMI_DBAAS: CommandGroup<CommandIo> = {
  name: "pulumi-dbaas",
  entryNoun: "command",
  help: USAGE,
  entries: {
    emulator: (args) => emulatorCommand(args),
    engine: (args, io) => runEngineCli(args, io),
    instance: runInstanceCli,
    backup: runBackupCommands,
  },
};

/** The version in the package's own package.json (resolved through the package's name, from src or dist alike). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve("pulumi-dbaas/package.json"), "utf8"));
  return (manifest as { version: string }).version;
}

/** Runs `pulumi-dbaas …`; resolves to the exit code. */
function runPulumiDbaas(argv: string[], io: CommandIo): Promise<number> {
  if (argv[0] !== "--version") return runGroup(PULUMI_DBAAS, argv, io);
  if (argv.length > 1) {
    const message = `--version takes no arguments, got ${argv.length - 1}`;
    return Promise.resolve(reportUsageError(io, "pulumi-dbaas", "pulumi-dbaas --version", message));
  }
  io.stdout.write(`${packageVersion()}\n`);
  return Promise.resolve(EXIT_OK);
}

export async function main(argv: string[]): Promise<void> {
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  process.exitCode = await runPulumiDbaas(argv, io);
}
