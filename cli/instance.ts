// `pulumi-dbaas instance …`: read Scaleway RDB instances and run their actions (restart, maintenance, certificate,
// logs) from the command line; the log listing, preparation and download live in instance-logs.ts.
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { Endpoint, Instance, InstanceRequest, RdbApi } from "../sdk";
import {
  type CommandContext,
  type CommandIo,
  commandGroup,
  readCommand,
  type Subcommand,
  type SubcommandGroup,
} from "./command";
import { runGroup } from "./command-line";
import { LOG_SUBCOMMANDS } from "./instance-logs";
import { formatDate, formatFields, formatTable, regionalId } from "./output";

function endpointText(endpoint: Endpoint): string {
  const access = endpoint.privateNetwork ? "private network" : "public";
  return `${endpoint.ip ?? endpoint.hostname ?? "?"}:${endpoint.port} (${access})`;
}

export function instanceLine(instance: Instance): string {
  return `instance ${regionalId(instance)} (${instance.name}): ${instance.status}`;
}

function instanceFields(instance: Instance): string {
  const schedule = instance.backupSchedule;
  const pending = instance.maintenances.filter((maintenance) => maintenance.status === "pending");
  return formatFields([
    ["id", regionalId(instance)],
    ["name", instance.name],
    ["status", instance.status],
    ["engine", instance.engine],
    ["node type", instance.nodeType],
    ["volume", instance.volume ? `${instance.volume.type} ${instance.volume.size / 1e9} GB` : "-"],
    ["ha cluster", instance.isHaCluster ? "yes" : "no"],
    ["encryption", instance.encryption?.enabled ? "on" : "off"],
    ["endpoints", instance.endpoints.map(endpointText).join(", ") || "-"],
    [
      "backups",
      !schedule || schedule.disabled
        ? "disabled"
        : `every ${schedule.frequency} h, kept ${schedule.retention} days, next ${formatDate(schedule.nextRunAt)}`,
    ],
    [
      "maintenances",
      pending.map(
        (maintenance) => `pending since ${formatDate(maintenance.startsAt)}: ${maintenance.reason}`,
      )[0] ?? "none pending",
    ],
    ["tags", instance.tags.join(", ") || "-"],
    ["project", instance.projectId],
    ["created", formatDate(instance.createdAt)],
  ]);
}

/** Runs `action` on the instance, then answers it once ready again (or as it is now, with --no-wait). */
async function instanceAfter<T>(
  context: CommandContext,
  action: (request: InstanceRequest) => Promise<T>,
): Promise<{ instance: Instance; outcome: T }> {
  const ref = context.ref("instance", context.positionals[0]);
  const request = { region: ref.region, instanceId: ref.id };
  const outcome = await action(request);
  const instance = context.waits
    ? await context.api.waitForInstance(request, context.waitSettings())
    : await context.api.getInstance(request);
  return { instance, outcome };
}

/** An action whose result is the instance itself. */
function instanceAction(
  description: string,
  done: string,
  action: (api: RdbApi, request: InstanceRequest, context: CommandContext) => Promise<unknown>,
): Subcommand {
  return {
    arguments: ["<instance id>"],
    description,
    waits: true,
    async run(context) {
      const { instance } = await instanceAfter(context, (request) => action(context.api, request, context));
      context.print(instance, `${done}: ${instanceLine(instance)}`);
    },
  };
}

const list: Subcommand = {
  arguments: [],
  description:
    "Lists the instances of a region, newest first: those of --project, else of SCW_DEFAULT_PROJECT_ID when it is\nset, else every instance the key can read.",
  flags: "[--project ID] [--name TEXT] [--tag TAG]…",
  options: { project: { type: "string" }, name: { type: "string" }, tag: { type: "string", multiple: true } },
  optionsHelp: `  --project ID        only this project's instances (default: SCW_DEFAULT_PROJECT_ID)
  --name TEXT         only instances whose name contains TEXT
  --tag TAG           only instances with this tag (repeat for several: all must match)
`,
  async run(context) {
    const tags = context.strings("tag");
    const instances = await context.api.listAllInstances({
      projectId: context.string("project") ?? context.api.client.config.defaultProjectId,
      name: context.string("name"),
      tags: tags.length > 0 ? tags : undefined,
      orderBy: "created_at_desc",
    });
    const rows = instances.map((instance) => [
      regionalId(instance),
      instance.name,
      instance.engine,
      instance.nodeType,
      instance.status,
      instance.endpoints.map(endpointText)[0] ?? "-",
    ]);
    context.print(
      instances,
      formatTable(["ID", "NAME", "ENGINE", "NODE TYPE", "STATUS", "ENDPOINT"], rows, "no instances"),
    );
  },
};

const get = readCommand(
  "instance",
  "Shows one instance: status, engine, node type, volume, endpoints, backup schedule, maintenances.",
  (api, ref) => api.getInstance({ region: ref.region, instanceId: ref.id }),
  instanceFields,
);

const applyMaintenance: Subcommand = {
  arguments: ["<instance id>"],
  description:
    "Applies the instance's pending maintenance now instead of at its forced date (the database is unavailable\nfor a few minutes). With --json the document is {maintenance, instance}.",
  waits: true,
  async run(context) {
    const { instance, outcome: maintenance } = await instanceAfter(context, (request) =>
      context.api.applyInstanceMaintenance(request),
    );
    context.print(
      { maintenance, instance },
      `applied maintenance "${maintenance.reason}": ${instanceLine(instance)}`,
    );
  },
};

const certificate: Subcommand = {
  arguments: ["<instance id>"],
  description:
    "Prints the instance's TLS certificate (PEM) on stdout, or writes it to a file. With --json the document is\n{instanceId, region, name, contentType, pem[, path]}.",
  flags: "[--output FILE]",
  options: { output: { type: "string", short: "o" } },
  optionsHelp: "  -o, --output FILE   write the PEM to FILE (replaced if it exists) instead of stdout\n",
  async run(context) {
    const ref = context.ref("instance", context.positionals[0]);
    const answer = await context.api.getInstanceCertificate({ region: ref.region, instanceId: ref.id });
    const pem = Buffer.from(answer.content, "base64").toString("utf8");
    const output = context.string("output");
    const file = output === undefined || output === "-" ? undefined : path.resolve(context.io.cwd, output);
    if (file !== undefined) {
      await writeFile(file, pem);
      context.report(`wrote the certificate of ${ref.label} to ${file}`);
    }
    const document = {
      instanceId: ref.id,
      region: ref.region,
      name: answer.name,
      contentType: answer.contentType,
      pem,
      ...(file === undefined ? {} : { path: file }),
    };
    if (context.json || file === undefined) context.print(document, pem.trimEnd());
  },
};

const INSTANCE_GROUP: SubcommandGroup = {
  name: "instance",
  description:
    "Scaleway Managed Database (RDB) instances. Actions wait for the instance to be ready again, printing its status\nchanges and the elapsed time on stderr, unless --no-wait; with --json their document is the instance.",
  subcommands: {
    list,
    get,
    restart: instanceAction(
      "Restarts the instance (the database is unavailable meanwhile).",
      "restarted",
      (api, request) => api.restartInstance(request),
    ),
    "apply-maintenance": applyMaintenance,
    certificate,
    "renew-certificate": instanceAction(
      "Renews the instance's TLS certificate; clients must trust the new one (see `instance certificate`).",
      "renewed the certificate",
      (api, request) => api.renewInstanceCertificate(request),
    ),
    ...LOG_SUBCOMMANDS,
    "logs purge": {
      ...instanceAction(
        "Deletes the instance's logs on the instance's disk (all of them, or one log with --log-name).",
        "purged the logs",
        (api, request, context) => api.purgeInstanceLogs({ ...request, logName: context.string("log-name") }),
      ),
      flags: "[--log-name NAME]",
      options: { "log-name": { type: "string" } },
      optionsHelp: "  --log-name NAME     only this log (see the log names of the instance in the console)\n",
    },
  },
};

/** Runs `pulumi-dbaas instance …`; resolves to the process exit code. */
export function runInstanceCli(args: string[], io: CommandIo): Promise<number> {
  return runGroup(commandGroup(INSTANCE_GROUP), args, io);
}
