// What lives inside an RDB instance: settings, logical databases, users and logs.
import { randomInt, randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, Route } from "../framework";
import { invalidArguments, notFound, pageOf, readPaging, scalewayError } from "../scaleway-wire";
import { findEngineVersion } from "./catalogue";
import { type InstanceRecord, renderInstanceLog, type Setting } from "./records";
import type { RdbStore } from "./store";
import { DOWNLOAD_LINK_TTL_MS } from "./timings";
import {
  checkDatabaseName,
  checkPassword,
  checkSettings,
  checkUserName,
  objectBody,
  Problems,
} from "./validation";

const INSTANCE = "/rdb/v1/regions/:region/instances/:instanceId";
const DAY = 86_400_000;

const BAD_BODY = invalidArguments([
  { argument_name: "body", reason: "format", help_message: "must be an object" },
]);

function alreadyExists(resource: string, id: string): EmulatorResponse {
  return scalewayError(409, "already_exists", "resource already exists", { resource, resource_id: id });
}

export function instancePartRoutes(store: RdbStore): Route[] {
  const withInstance =
    (handler: (req: EmulatorRequest, instance: InstanceRecord) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const caller = store.caller(req);
      if (!caller.ok) return caller.response;
      const found = store.instance(caller.value, req.params.instanceId);
      return found.ok ? handler(req, found.value) : found.response;
    };

  /** Checks a settings write and applies it, putting the instance in `configuring` as the real service does. */
  const writeSettings = (
    req: EmulatorRequest,
    instance: InstanceRecord,
    merge: (current: Setting[], incoming: Setting[]) => Setting[],
  ): EmulatorResponse => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const available = findEngineVersion(instance.engine)?.version.available_settings ?? [];
    if (!Array.isArray(body.settings)) problems.add("settings", "required", "settings is required");
    const incoming = checkSettings(problems, "settings", body.settings, available);
    if (!problems.empty || !incoming) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    instance.settings = merge(instance.settings, incoming);
    startConfiguring(instance);
    return { status: 200, body: { settings: instance.settings.map((setting) => ({ ...setting })) } };
  };

  const startConfiguring = (instance: InstanceRecord): void => {
    instance.busy = { status: "configuring", until: store.now() + store.duration("instanceConfigure") };
    store.changed();
  };

  const setSettings = withInstance((req, instance) =>
    writeSettings(req, instance, (_current, incoming) => incoming),
  );

  const addSettings = withInstance((req, instance) =>
    writeSettings(req, instance, (current, incoming) => [
      ...current.filter((setting) => !incoming.some((added) => added.name === setting.name)),
      ...incoming,
    ]),
  );

  const deleteSettings = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const names = problems.optionalStringList(body, "setting_names");
    if (!names || names.length === 0) problems.add("setting_names", "required", "setting_names is required");
    for (const name of names ?? []) {
      if (!instance.settings.some((setting) => setting.name === name)) {
        problems.add("setting_names", "constraint", `setting ${name} is not set on the instance`);
      }
    }
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    instance.settings = instance.settings.filter((setting) => !names?.includes(setting.name));
    startConfiguring(instance);
    return { status: 200, body: { settings: instance.settings.map((setting) => ({ ...setting })) } };
  });

  const listDatabases = withInstance((req, instance) => {
    const paging = readPaging(req);
    if ("status" in paging) return paging;
    const name = req.query.get("name");
    const orderBy = req.query.get("order_by") ?? "name_asc";
    const databases = store.data
      .listDatabases(instance.id)
      .filter((database) => !name || database.name === name)
      .map((database) => ({
        managed: true,
        name: database.name,
        owner: "_rdb_superadmin",
        size: database.sizeBytes,
      }));
    const sorters: Record<
      string,
      (a: { name: string; size: number }, b: { name: string; size: number }) => number
    > = {
      name_asc: (a, b) => a.name.localeCompare(b.name),
      name_desc: (a, b) => b.name.localeCompare(a.name),
      size_asc: (a, b) => a.size - b.size,
      size_desc: (a, b) => b.size - a.size,
    };
    const sorter = sorters[orderBy];
    if (!sorter) {
      return invalidArguments([
        {
          argument_name: "order_by",
          reason: "constraint",
          help_message: "must be name_asc, name_desc, size_asc or size_desc",
        },
      ]);
    }
    return pageOf("databases", databases.sort(sorter), paging);
  });

  const createDatabase = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    if (name === "") problems.add("name", "required", "name is required");
    else checkDatabaseName(problems, "name", name);
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    if (store.data.hasDatabase(instance.id, name)) return alreadyExists("database", name);
    store.data.createDatabase(instance.id, name);
    store.changed();
    return { status: 200, body: { managed: true, name, owner: "", size: 0 } };
  });

  const deleteDatabase = withInstance((req, instance) => {
    const name = req.params.databaseName;
    if (!store.data.hasDatabase(instance.id, name)) return notFound("database", name);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    store.data.dropDatabase(instance.id, name);
    store.changed();
    return { status: 204 };
  });

  const listUsers = withInstance((req, instance) => {
    const paging = readPaging(req);
    if ("status" in paging) return paging;
    const name = req.query.get("name");
    const descending = req.query.get("order_by") === "name_desc";
    const users = instance.users
      .filter((user) => !name || user.name === name)
      .map((user) => ({ is_admin: user.is_admin, name: user.name }))
      .sort((a, b) => (descending ? b.name.localeCompare(a.name) : a.name.localeCompare(b.name)));
    return pageOf("users", users, paging);
  });

  const createUser = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    const password = problems.optionalString(body, "password") ?? "";
    const isAdmin = problems.optionalBoolean(body, "is_admin") ?? false;
    if (name === "") problems.add("name", "required", "name is required");
    else checkUserName(problems, "name", name);
    if (password === "") problems.add("password", "required", "password is required");
    else checkPassword(problems, "password", password);
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    if (instance.users.some((user) => user.name === name)) return alreadyExists("user", name);
    instance.users.push({ name, is_admin: isAdmin });
    store.changed();
    return { status: 200, body: { is_admin: isAdmin, name } };
  });

  const updateUser = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const name = req.params.userName;
    const user = instance.users.find((candidate) => candidate.name === name);
    if (!user) return notFound("user", name);
    const problems = new Problems();
    const password = problems.optionalString(body, "password");
    const isAdmin = problems.optionalBoolean(body, "is_admin");
    if (password !== undefined) checkPassword(problems, "password", password);
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    if (isAdmin !== undefined) user.is_admin = isAdmin;
    store.changed();
    return { status: 200, body: { is_admin: user.is_admin, name: user.name } };
  });

  const deleteUser = withInstance((req, instance) => {
    const name = req.params.userName;
    if (!instance.users.some((user) => user.name === name)) return notFound("user", name);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    instance.users = instance.users.filter((user) => user.name !== name);
    store.changed();
    return { status: 204 };
  });

  const prepareLogs = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const now = store.now();
    const problems = new Problems();
    for (const key of ["start_date", "end_date"]) {
      const value = problems.optionalString(body, key);
      if (value !== undefined && Number.isNaN(Date.parse(value)))
        problems.add(key, "format", "must be an RFC 3339 date");
    }
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireReady(instance);
    if (busy) return busy;
    const readyAt = now + store.duration("logsPrepare");
    const id = randomUUID();
    const content = Buffer.from(
      `${new Date(now).toISOString()} [emulator] log of instance ${instance.name} (${instance.engine})\n`,
    );
    const download = store.ctx.publishDownload(content, `${id}.log`, DOWNLOAD_LINK_TTL_MS);
    const log = {
      id,
      instance_id: instance.id,
      region: instance.region,
      node_name: String(randomInt(10_000_000, 99_999_999)),
      created_at: now,
      expires_at: now + DAY,
      ready_at: readyAt,
      download_url: download.url,
    };
    store.logs.set(id, log);
    store.changed();
    return { status: 200, body: { instance_logs: [renderInstanceLog(log, now)] } };
  });

  const instanceLogs = (instance: InstanceRecord) =>
    [...store.logs.values()].filter((log) => log.instance_id === instance.id && store.now() < log.expires_at);

  const listLogs = withInstance((req, instance) => {
    const descending = req.query.get("order_by") === "created_at_desc";
    const logs = instanceLogs(instance).sort((a, b) =>
      descending ? b.created_at - a.created_at : a.created_at - b.created_at,
    );
    return { status: 200, body: { instance_logs: logs.map((log) => renderInstanceLog(log, store.now())) } };
  });

  const logsDetails = withInstance((_req, instance) => {
    const logName = instance.engine_family === "PostgreSQL" ? "postgresql" : "mysql";
    const size = instanceLogs(instance).length * 4096 + 1024;
    return { status: 200, body: { details: [{ log_name: logName, size }] } };
  });

  const purgeLogs = withInstance((req, instance) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const busy = store.requireReady(instance);
    if (busy) return busy;
    for (const log of instanceLogs(instance)) store.logs.delete(log.id);
    store.changed();
    return { status: 204 };
  });

  const getLog = (req: EmulatorRequest): EmulatorResponse => {
    const caller = store.caller(req);
    if (!caller.ok) return caller.response;
    const log = store.logs.get(req.params.logId);
    const owner = log ? store.instance(caller.value, log.instance_id) : undefined;
    if (!log || !owner?.ok) return notFound("instance_log", req.params.logId);
    return { status: 200, body: renderInstanceLog(log, store.now()) };
  };

  return [
    { method: "PUT", pattern: `${INSTANCE}/settings`, handler: setSettings },
    { method: "POST", pattern: `${INSTANCE}/settings`, handler: addSettings },
    { method: "DELETE", pattern: `${INSTANCE}/settings`, handler: deleteSettings },
    { method: "GET", pattern: `${INSTANCE}/databases`, handler: listDatabases },
    { method: "POST", pattern: `${INSTANCE}/databases`, handler: createDatabase },
    { method: "DELETE", pattern: `${INSTANCE}/databases/:databaseName`, handler: deleteDatabase },
    { method: "GET", pattern: `${INSTANCE}/users`, handler: listUsers },
    { method: "POST", pattern: `${INSTANCE}/users`, handler: createUser },
    { method: "PATCH", pattern: `${INSTANCE}/users/:userName`, handler: updateUser },
    { method: "DELETE", pattern: `${INSTANCE}/users/:userName`, handler: deleteUser },
    { method: "POST", pattern: `${INSTANCE}/prepare-logs`, handler: prepareLogs },
    { method: "GET", pattern: `${INSTANCE}/logs`, handler: listLogs },
    { method: "GET", pattern: `${INSTANCE}/logs-details`, handler: logsDetails },
    { method: "POST", pattern: `${INSTANCE}/purge-logs`, handler: purgeLogs },
    { method: "GET", pattern: "/rdb/v1/regions/:region/logs/:logId", handler: getLog },
  ];
}
