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
import { type CommandIo, describeFailure, oneLine, type StandaloneSubcommand } from "./command";
import {
  type CommandLine,
  type CommandSpec,
  EXIT_OK,
  runCommand,
  stringOption,
  UsageError,
} from "./command-line";
import {
  downloadToTarget,
  ExpiredUrlError,
  formatBytes,
  type OutputTarget,
  outputTarget,
} from "./download-file";

const SYNOPSIS = "pulumi-dbaas backup download <platform> <backup id> [--output FILE|DIR|-]";

const HELP = `usage: ${SYNOPSIS}

platforms and backup ids:
  scaleway     Scaleway Managed Database (RDB) backup: {region}/{uuid} or a UUID (region from SCW_DEFAULT_REGION)
  serverless   Scaleway Serverless SQL backup: {region}/{uuid} or a UUID
  scalingo     Scalingo database backup: {app}/{addon id}/{backup id}, or the backup id with --app and --addon

options:
  -o, --output FILE|DIR|-   where to write: a file, an existing directory (the server's file name is kept), or -
                            for stdout (default: the current directory)
  --app APP                 Scalingo application (with a bare backup id)
  --addon ADDON_ID          Scalingo database addon id, ad-… (with a bare backup id)
  -h, --help                this help

Waits for the backup, exports it when it has no valid download URL, and streams it with a progress line on stderr.
Credentials: SCW_SECRET_KEY (and SCW_API_URL, SCW_DEFAULT_REGION) for scaleway and serverless; SCALINGO_API_TOKEN
(and SCALINGO_AUTH_URL, SCALINGO_API_URL, SCALINGO_DB_API_URL, SCALINGO_REGION) for scalingo.
Exit codes: 0 done, 1 failed, 2 bad usage.
`;

const DOWNLOAD: CommandSpec = {
  name: "pulumi-dbaas backup download",
  synopsis: SYNOPSIS,
  help: HELP,
  options: { output: { type: "string", short: "o" }, app: { type: "string" }, addon: { type: "string" } },
  arguments: ["<platform>", "<backup id>"],
};

function sourceFor({ values, positionals }: CommandLine, context: SourceContext): BackupSource {
  const [platform, backupId] = positionals;
  const app = stringOption(values, "app");
  const addon = stringOption(values, "addon");
  if (platform !== "scalingo" && (app !== undefined || addon !== undefined)) {
    throw new UsageError("--app and --addon only apply to scalingo backups");
  }
  switch (platform) {
    case "scaleway":
      return scalewaySource(backupId, context);
    case "serverless":
      return serverlessSource(backupId, context);
    case "scalingo":
      return scalingoSource(scalingoBackupRef(backupId, app, addon), context);
    default:
      throw new UsageError(`unknown platform "${platform}" (expected scaleway, serverless or scalingo)`);
  }
}

/** Downloads from the source's URL; a URL refused as expired is exported again, once. */
async function download(source: BackupSource, target: OutputTarget, io: CommandIo, context: SourceContext) {
  const fetchTo = (url: string) =>
    downloadToTarget({
      url,
      target,
      fallbackName: source.fallbackName,
      stdout: io.stdout,
      stderr: io.stderr,
      now: context.now,
    });
  try {
    return await fetchTo(await source.downloadUrl(false));
  } catch (error) {
    if (!(error instanceof ExpiredUrlError)) throw error;
    context.report(`${error.message}; exporting it again`);
    return fetchTo(await source.downloadUrl(true));
  }
}

function runDownload(args: string[], io: CommandIo): Promise<number> {
  let source: BackupSource | undefined;
  const run = async (line: CommandLine) => {
    const context: SourceContext = {
      env: io.env,
      pollPolicy: io.pollPolicy,
      now: io.now ?? Date.now,
      report: (text) => io.stderr.write(`${oneLine(text)}\n`),
    };
    source = sourceFor(line, context);
    const written = await download(
      source,
      outputTarget(stringOption(line.values, "output"), io.cwd),
      io,
      context,
    );
    if (written.path !== "-") io.stderr.write(`wrote ${formatBytes(written.bytes)} to ${written.path}\n`);
    return EXIT_OK;
  };
  return runCommand(DOWNLOAD, args, io, run, (error) =>
    oneLine(describeFailure(error, source?.label ?? "the backup")),
  );
}

/** `backup download`, as the backup group lists and runs it. */
export const DOWNLOAD_SUBCOMMAND: StandaloneSubcommand = { synopsis: SYNOPSIS, run: runDownload };
