// `pulumi-dbaas backup download <platform> <backup id>`: fetches a backup file (exporting it first when needed) and
// streams it to disk or stdout. Errors are one redacted line: exit 1 for failures, 2 for bad usage.
import {
  type BackupSource,
  type SourceContext,
  scalewaySource,
  scalingoBackupRef,
  scalingoSource,
  serverlessSource,
} from "./backup-sources";
import { type CommandIo, describeFailure, oneLine, UsageError } from "./command";
import { downloadToTarget, ExpiredUrlError, formatBytes, outputTarget } from "./download-file";

export const BACKUP_USAGE = `usage: pulumi-dbaas backup download <platform> <backup id> [--output FILE|DIR|-]

platforms and backup ids:
  scaleway     Scaleway Managed Database (RDB) backup: {region}/{uuid} or a UUID (region from SCW_DEFAULT_REGION)
  serverless   Scaleway Serverless SQL backup: {region}/{uuid} or a UUID
  scalingo     Scalingo database backup: {app}/{addon id}/{backup id}, or the backup id with --app and --addon

options:
  -o, --output FILE|DIR|-   where to write: a file, an existing directory (the server's file name is kept), or -
                            for stdout (default: the current directory)
  --app APP                 Scalingo application (with a bare backup id)
  --addon ADDON_ID          Scalingo database addon id, ad-… (with a bare backup id)

Waits for the backup, exports it when it has no valid download URL, and streams it with a progress line on stderr.
Credentials: SCW_SECRET_KEY (and SCW_API_URL, SCW_DEFAULT_REGION) for scaleway and serverless; SCALINGO_API_TOKEN
(and SCALINGO_AUTH_URL, SCALINGO_API_URL, SCALINGO_DB_API_URL, SCALINGO_REGION) for scalingo.
`;

interface DownloadArgs {
  platform: string;
  backupId: string;
  output?: string;
  app?: string;
  addon?: string;
}

const VALUE_FLAGS: Record<string, keyof DownloadArgs> = {
  "-o": "output",
  "--output": "output",
  "--app": "app",
  "--addon": "addon",
};

function parseDownloadArgs(args: string[]): DownloadArgs {
  const positional: string[] = [];
  const flags: Partial<DownloadArgs> = {};
  for (let i = 0; i < args.length; i++) {
    const argument = args[i];
    const [name, inline] =
      argument.startsWith("--") && argument.includes("=") ? argument.split(/=(.*)/s) : [argument];
    const key = VALUE_FLAGS[name];
    if (key) {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
      flags[key] = value;
    } else if (argument.startsWith("-") && argument !== "-") {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 2) {
    throw new UsageError(`expected <platform> <backup id>, got ${positional.length} argument(s)`);
  }
  const [platform, backupId] = positional;
  return { ...flags, platform, backupId };
}

function sourceFor(args: DownloadArgs, context: SourceContext): BackupSource {
  if (args.platform !== "scalingo" && (args.app !== undefined || args.addon !== undefined)) {
    throw new UsageError("--app and --addon only apply to scalingo backups");
  }
  switch (args.platform) {
    case "scaleway":
      return scalewaySource(args.backupId, context);
    case "serverless":
      return serverlessSource(args.backupId, context);
    case "scalingo":
      return scalingoSource(scalingoBackupRef(args.backupId, args.app, args.addon), context);
    default:
      throw new UsageError(`unknown platform "${args.platform}" (expected scaleway, serverless or scalingo)`);
  }
}

/** Runs the `backup` command; resolves to the process exit code. */
export async function runBackupCli(args: string[], io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === "help" || subcommand === "--help" || subcommand === "-h") {
    io.stdout.write(BACKUP_USAGE);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== "download") {
    io.stderr.write(`pulumi-dbaas backup: unknown subcommand "${subcommand}"\n\n${BACKUP_USAGE}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(BACKUP_USAGE);
    return 0;
  }
  let source: BackupSource | undefined;
  try {
    const parsed = parseDownloadArgs(rest);
    const now = io.now ?? Date.now;
    const context: SourceContext = {
      env: io.env,
      pollPolicy: io.pollPolicy,
      now,
      report: (line) => io.stderr.write(`${oneLine(line)}\n`),
    };
    const chosen = sourceFor(parsed, context);
    source = chosen;
    const target = outputTarget(parsed.output, io.cwd);
    const download = (url: string) =>
      downloadToTarget({
        url,
        target,
        fallbackName: chosen.fallbackName,
        stdout: io.stdout,
        stderr: io.stderr,
        now,
      });
    let written: { path: string; bytes: number };
    try {
      written = await download(await chosen.downloadUrl(false));
    } catch (error) {
      if (!(error instanceof ExpiredUrlError)) throw error;
      context.report(`${error.message}; exporting it again`);
      written = await download(await chosen.downloadUrl(true));
    }
    if (written.path !== "-") io.stderr.write(`wrote ${formatBytes(written.bytes)} to ${written.path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`pulumi-dbaas backup download: ${oneLine(error.message)}\n\n${BACKUP_USAGE}`);
      return 2;
    }
    io.stderr.write(
      `pulumi-dbaas backup download: ${oneLine(describeFailure(error, source?.label ?? "the backup"))}\n`,
    );
    return 1;
  }
}
