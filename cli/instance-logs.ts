// `pulumi-dbaas instance logs list|prepare|download`: prepared log files of a Scaleway RDB instance, from asking the
// service to prepare them to streaming them to disk. (`logs purge` is an instance action, in instance.ts.)
import type { InstanceLog, RdbApi } from "../sdk";
import { type CommandContext, parseDate, type RegionalRef, readCommand, type Subcommand } from "./command";
import { UsageError } from "./command-line";
import { downloadToTarget, formatBytes, outputTarget } from "./download-file";
import { formatDate, formatTable, regionalId } from "./output";

function logTable(logs: InstanceLog[]): string {
  const rows = logs.map((log) => [
    log.id,
    log.nodeName,
    log.status,
    formatDate(log.createdAt),
    formatDate(log.expiresAt),
  ]);
  return formatTable(["LOG ID", "NODE", "STATUS", "CREATED", "EXPIRES"], rows, "no prepared logs");
}

async function listLogs(api: RdbApi, instance: RegionalRef): Promise<InstanceLog[]> {
  const answer = await api.listInstanceLogs({
    region: instance.region,
    instanceId: instance.id,
    orderBy: "created_at_desc",
  });
  return answer.instanceLogs;
}

/** The log once ready: waited for, or refused with --no-wait. */
async function readyLog(context: CommandContext, region: string, log: InstanceLog): Promise<InstanceLog> {
  if (log.status === "ready") return log;
  if (!context.waits)
    throw new Error(`instance log ${log.id} is ${log.status}, not ready (drop --no-wait to wait)`);
  return context.api.waitForInstanceLog({ region, instanceLogId: log.id }, context.waitSettings());
}

/** Which logs to download: the one named, else every log that did not fail. */
async function chosenLogs(context: CommandContext, instance: RegionalRef): Promise<InstanceLog[]> {
  const logs = await listLogs(context.api, instance);
  const named = context.positionals[1];
  if (named === undefined) {
    const usable = logs.filter((log) => log.status !== "error");
    if (usable.length === 0) {
      throw new Error(
        `${instance.label} has no prepared logs: run \`pulumi-dbaas instance logs prepare\` first`,
      );
    }
    return usable;
  }
  const ref = context.ref("instance log", named);
  if (ref.region !== instance.region) {
    throw new UsageError(`log id "${named}" is in ${ref.region}, but the instance is in ${instance.region}`);
  }
  const log = logs.find((candidate) => candidate.id === ref.id);
  if (!log) throw new Error(`${ref.label} was not found among the prepared logs of ${instance.label}`);
  return [log];
}

const list = readCommand(
  "instance",
  "Lists the instance's prepared log files, newest first (they expire after a day).",
  listLogs,
  logTable,
);

const prepare: Subcommand = {
  arguments: ["<instance id>"],
  description:
    "Asks the service to prepare the instance's logs as files (one per node) and waits until they are ready.\nWith --json the document is the list of logs (download URLs without their signature).",
  flags: "[--start DATE] [--end DATE]",
  options: { start: { type: "string" }, end: { type: "string" } },
  optionsHelp: `  --start DATE        first moment to include, RFC 3339 (default: the service's, about a day ago)
  --end DATE          last moment to include, RFC 3339 (default: now)
`,
  waits: true,
  async run(context) {
    const instance = context.ref("instance", context.positionals[0]);
    const start = context.string("start");
    const end = context.string("end");
    const startDate = start === undefined ? undefined : parseDate(start, "--start");
    const endDate = end === undefined ? undefined : parseDate(end, "--end");
    if (startDate && endDate && startDate > endDate) throw new UsageError("--start must come before --end");
    const answer = await context.api.prepareInstanceLogs({
      region: instance.region,
      instanceId: instance.id,
      startDate,
      endDate,
    });
    const logs = await Promise.all(answer.instanceLogs.map((log) => readyLog(context, instance.region, log)));
    context.print(logs, logTable(logs));
    context.report(`download with: pulumi-dbaas instance logs download ${regionalId(instance)} [log id]`);
  },
};

const download: Subcommand = {
  arguments: ["<instance id>", "[log id]"],
  description:
    "Downloads one prepared log of the instance, or every one when no log id is given, streaming it to disk with\na progress line on stderr. Logs still being prepared are waited for. With --json the document is the list of\n{id, nodeName, path, bytes} written.",
  flags: "[--output FILE|DIR|-]",
  options: { output: { type: "string", short: "o" } },
  optionsHelp: `  -o, --output FILE|DIR|-
                      a file (one log only), an existing directory (the server's file name is kept), or - for
                      stdout (default: the current directory)
`,
  waits: true,
  async run(context) {
    const instance = context.ref("instance", context.positionals[0]);
    const output = context.string("output");
    if (output === "-" && context.json) throw new UsageError("--json and --output - both write to stdout");
    const target = outputTarget(output, context.io.cwd);
    const logs = await chosenLogs(context, instance);
    if (logs.length > 1 && target.kind === "file") {
      throw new UsageError(
        `${instance.label} has ${logs.length} logs: give a log id, or a directory as --output`,
      );
    }
    const written = [];
    for (const log of logs) {
      const ready = await readyLog(context, instance.region, log);
      if (!ready.downloadUrl) throw new Error(`instance log ${log.id} is ready but has no download URL`);
      const file = await downloadToTarget({
        url: ready.downloadUrl,
        target,
        fallbackName: `${log.id}.log`,
        stdout: context.io.stdout,
        stderr: context.io.stderr,
        now: context.io.now,
      });
      if (file.path !== "-") context.report(`wrote ${formatBytes(file.bytes)} to ${file.path}`);
      written.push({ id: log.id, nodeName: log.nodeName, path: file.path, bytes: file.bytes });
    }
    if (context.json) context.print(written, "");
  },
};

export const LOG_SUBCOMMANDS: Record<string, Subcommand> = {
  "logs list": list,
  "logs prepare": prepare,
  "logs download": download,
};
