// The `pulumi-dbaas` command: dispatches to the emulator, the local engine, and the instance and backup commands.
import { runEmulatorCli } from "../emulator/cli";
import { runEngineCli } from "../engine/cli";
import { runBackupCommands } from "./backup";
import type { CommandIo } from "./command";
import { runInstanceCli } from "./instance";

const USAGE = `usage: pulumi-dbaas <command> [options]

commands:
  emulator   run the local API emulator (Scaleway RDB, Serverless SQL, Scalingo)
  engine     run a Pulumi program through the providers without the Pulumi CLI (a test and demo tool)
  instance   Scaleway RDB instances: list, get, restart, apply-maintenance, certificate, renew-certificate, logs
  backup     Scaleway RDB backups: list, get, create, export, restore; and download (Scaleway, Serverless SQL,
             Scalingo): backup download <scaleway|serverless|scalingo> <backup id> [--output …]

Run a command with --help for its subcommands and options.
`;

function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "emulator":
      await runEmulatorCli(rest);
      return;
    case "engine":
      process.exitCode = await runEngineCli(rest);
      return;
    case "instance":
      process.exitCode = await runInstanceCli(rest, processIo());
      return;
    case "backup":
      process.exitCode = await runBackupCommands(rest, processIo());
      return;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`pulumi-dbaas: unknown command "${command}"\n\n${USAGE}`);
      process.exitCode = 2;
  }
}
