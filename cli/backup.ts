// `pulumi-dbaas backup …`: Scaleway RDB backups from the command line (list, get, create, export, restore); the
// `backup download` subcommand, which covers every platform, is backup-download.ts.
import { type DatabaseBackup, redactDownloadUrl } from "../sdk";
import { DOWNLOAD_SUBCOMMAND } from "./backup-download";
import {
  type CommandContext,
  type CommandIo,
  commandGroup,
  parseDate,
  parseDuration,
  readCommand,
  type Subcommand,
  type SubcommandGroup,
} from "./command";
import { runGroup, UsageError } from "./command-line";
import { formatBytes } from "./download-file";
import { instanceLine } from "./instance";
import { formatDate, formatFields, formatTable, regionalId } from "./output";

function backupLine(backup: DatabaseBackup): string {
  const size = backup.size === null ? "" : `, ${formatBytes(backup.size)}`;
  return `backup ${regionalId(backup)} "${backup.name}" of database ${backup.databaseName} on instance ${
    backup.instanceName
  } (${backup.region}/${backup.instanceId}): ${backup.status}${size}`;
}

function exportText(backup: DatabaseBackup): string {
  if (!backup.downloadUrl) return "not exported";
  return `${redactDownloadUrl(backup.downloadUrl)} until ${formatDate(backup.downloadUrlExpiresAt)}`;
}

function backupFields(backup: DatabaseBackup): string {
  return formatFields([
    ["id", regionalId(backup)],
    ["name", backup.name],
    ["status", backup.status],
    ["instance", `${backup.instanceName} (${backup.region}/${backup.instanceId})`],
    ["database", backup.databaseName],
    ["size", backup.size === null ? "-" : formatBytes(backup.size)],
    ["created", formatDate(backup.createdAt)],
    ["updated", formatDate(backup.updatedAt)],
    ["expires", backup.expiresAt ? formatDate(backup.expiresAt) : "never"],
    ["export", exportText(backup)],
  ]);
}

/** --expires-at (a date) or --expires-in (a duration from now); neither means the backup never expires. */
function expiry(context: CommandContext): string | undefined {
  const at = context.string("expires-at");
  const within = context.string("expires-in");
  if (at !== undefined && within !== undefined)
    throw new UsageError("give --expires-at or --expires-in, not both");
  if (within !== undefined)
    return new Date(context.now + parseDuration(within, "--expires-in")).toISOString();
  if (at === undefined) return undefined;
  const date = parseDate(at, "--expires-at");
  if (Date.parse(date) <= context.now) throw new UsageError(`--expires-at ${at} is in the past`);
  return date;
}

/** `rdb-20300131-120000`: sorts by time and says which database it holds. */
function defaultName(database: string, now: number): string {
  return `${database}-${new Date(now).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}`;
}

function waitForBackup(context: CommandContext, started: DatabaseBackup): Promise<DatabaseBackup> {
  const request = { region: started.region, databaseBackupId: started.id };
  return context.settle(started, (settings) => context.api.waitForDatabaseBackup(request, settings));
}

const list: Subcommand = {
  arguments: [],
  description:
    "Lists backups, newest first: of --instance, else of --project, else of SCW_DEFAULT_PROJECT_ID when it is set,\nelse every backup the key can read in the region.",
  flags: "[--instance ID] [--name TEXT] [--project ID]",
  options: { instance: { type: "string" }, name: { type: "string" }, project: { type: "string" } },
  optionsHelp: `  --instance ID       only this instance's backups ({region}/{uuid} or a UUID)
  --name TEXT         only backups whose name contains TEXT
  --project ID        only this project's backups (default: SCW_DEFAULT_PROJECT_ID)
`,
  async run(context) {
    const instanceValue = context.string("instance");
    const instance = instanceValue === undefined ? undefined : context.ref("instance", instanceValue);
    const backups = await context.api.listAllDatabaseBackups({
      region: instance?.region,
      instanceId: instance?.id,
      name: context.string("name"),
      projectId:
        context.string("project") ?? (instance ? undefined : context.api.client.config.defaultProjectId),
      orderBy: "created_at_desc",
    });
    const rows = backups.map((backup) => [
      regionalId(backup),
      backup.name,
      backup.instanceName,
      backup.databaseName,
      backup.status,
      backup.size === null ? "-" : formatBytes(backup.size),
      formatDate(backup.createdAt),
      backup.expiresAt ? formatDate(backup.expiresAt) : "never",
    ]);
    const headers = ["ID", "NAME", "INSTANCE", "DATABASE", "STATUS", "SIZE", "CREATED", "EXPIRES"];
    context.print(backups, formatTable(headers, rows, "no backups"));
  },
};

const get = readCommand(
  "backup",
  "Shows one backup: status, instance, database, size, dates and export (URL without its signature).",
  (api, ref) => api.getDatabaseBackup({ region: ref.region, databaseBackupId: ref.id }),
  backupFields,
);

const create: Subcommand = {
  arguments: ["<instance id>"],
  description:
    "Takes a backup of one database of the instance (a busy instance is waited for first) and waits until it is\nready. The new backup's id is the first word after `created backup`; with --json the document is the backup.",
  flags: "[--database NAME] [--name NAME] [--expires-at DATE | --expires-in DURATION]",
  options: {
    database: { type: "string" },
    name: { type: "string" },
    "expires-at": { type: "string" },
    "expires-in": { type: "string" },
  },
  optionsHelp: `  --database NAME     the database to back up (default: rdb)
  --name NAME         the backup's name (default: {database}-{UTC date}-{time}, e.g. rdb-20300131-120000)
  --expires-at DATE   delete the backup at this RFC 3339 date (default: keep it until deleted)
  --expires-in DURATION
                      delete the backup after this long (7d, 12h…)
`,
  waits: true,
  async run(context) {
    const instance = context.ref("instance", context.positionals[0]);
    const databaseName = context.string("database") ?? "rdb";
    const started = await context.api.createDatabaseBackup({
      region: instance.region,
      instanceId: instance.id,
      databaseName,
      name: context.string("name") ?? defaultName(databaseName, context.now),
      expiresAt: expiry(context),
    });
    const backup = await waitForBackup(context, started);
    context.print(backup, `created ${backupLine(backup)}`);
  },
};

const exportBackup: Subcommand = {
  arguments: ["<backup id>"],
  description:
    "Exports the backup to a file the service keeps for a day and waits for the download URL. The URL is printed\nwithout its signature: fetch the file with `pulumi-dbaas backup download scaleway <backup id>`.",
  waits: true,
  async run(context) {
    const ref = context.ref("backup", context.positionals[0]);
    const started = await context.api.exportDatabaseBackup({ region: ref.region, databaseBackupId: ref.id });
    const backup = await waitForBackup(context, started);
    const hint = backup.downloadUrl
      ? `download URL ${exportText(backup)}; fetch it with: pulumi-dbaas backup download scaleway ${regionalId(backup)}`
      : "the export is under way";
    context.print(backup, `exported ${backupLine(backup)}\n${hint}`);
  },
};

const restore: Subcommand = {
  arguments: ["<backup id>"],
  description:
    "Restores the backup into a database of an instance in the same region, replacing that database's content, and\nwaits for the instance and the backup to be ready again. With --json the document is {backup, instance}\n(instance is null with --no-wait).",
  flags: "--instance ID [--database NAME]",
  options: { instance: { type: "string" }, database: { type: "string" } },
  optionsHelp: `  --instance ID       required: the instance to restore into ({region}/{uuid} or a UUID)
  --database NAME     the database to restore into (default: the backup's database name)
`,
  waits: true,
  async run(context) {
    const backupRef = context.ref("backup", context.positionals[0]);
    const instanceValue = context.string("instance");
    if (instanceValue === undefined) {
      throw new UsageError("--instance is required: the instance whose database the backup replaces");
    }
    const instanceRef = context.ref("instance", instanceValue);
    if (instanceRef.region !== backupRef.region) {
      throw new UsageError(`${backupRef.label} can only be restored into an instance of ${backupRef.region}`);
    }
    const started = await context.api.restoreDatabaseBackup({
      region: backupRef.region,
      databaseBackupId: backupRef.id,
      instanceId: instanceRef.id,
      databaseName: context.string("database"),
    });
    const database = context.string("database") ?? started.databaseName;
    if (!context.waits) {
      context.print(
        { backup: started, instance: null },
        `restoring backup ${regionalId(started)} "${started.name}" into database ${database} of ${instanceRef.label}`,
      );
      return;
    }
    const instance = await context.api.waitForInstance(
      { region: instanceRef.region, instanceId: instanceRef.id },
      context.waitSettings(),
    );
    const backup = await waitForBackup(context, started);
    context.print(
      { backup, instance },
      `restored backup ${regionalId(backup)} "${backup.name}" into database ${database} of ${instanceLine(instance)}`,
    );
  },
};

const BACKUP_GROUP: SubcommandGroup = {
  name: "backup",
  description: `Scaleway Managed Database (RDB) backups. Creating, exporting and restoring wait for the backup to settle,
printing status changes and the elapsed time on stderr, unless --no-wait.
\`backup download\` fetches a backup file of Scaleway RDB, Serverless SQL or Scalingo; its options are its own
(see \`pulumi-dbaas backup download --help\`).`,
  subcommands: { list, get, create, export: exportBackup, restore },
  standalone: { download: DOWNLOAD_SUBCOMMAND },
};

/** Runs `pulumi-dbaas backup …`; resolves to the process exit code. */
export function runBackupCommands(args: string[], io: CommandIo): Promise<number> {
  return runGroup(commandGroup(BACKUP_GROUP), args, io);
}
