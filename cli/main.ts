// The `pulumi-dbaas` command: dispatches to the emulator, the local engine and the backup download command.
import { runEmulatorCli } from "../emulator/cli";
import { runEngineCli } from "../engine/cli";
import { runBackupCli } from "./backup-download";

const USAGE = `usage: pulumi-dbaas <command> [options]

commands:
  emulator   run the local API emulator (Scaleway RDB, Serverless SQL, Scalingo)
  engine     run a Pulumi program through the providers without the Pulumi CLI (a test and demo tool)
  backup     download a backup file: backup download <scaleway|serverless|scalingo> <backup id> [--output …]
`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "emulator":
      await runEmulatorCli(rest);
      return;
    case "engine":
      process.exitCode = await runEngineCli(rest);
      return;
    case "backup":
      process.exitCode = await runBackupCli(rest, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        cwd: process.cwd(),
      });
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
