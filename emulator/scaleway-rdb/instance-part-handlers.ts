// Handlers of the routes below an RDB instance (settings, databases, users, logs): read the request, call the
// instance-parts model, render what it returns.
import type { EmulatorResponse } from "../framework";
import { NotFound, pageOf, readPaging } from "../scaleway-wire";
import { addSettings, InstanceParts, replaceSettings, type SettingsMerge } from "./instance-parts";
import { type InstanceRecord, renderInstanceLog, type Setting } from "./records";
import { type Handler, ok, requestBody } from "./requests";
import type { RdbStore } from "./store";

const NO_CONTENT: EmulatorResponse = { status: 204 };

function renderSettings(settings: Setting[]): EmulatorResponse {
  return ok({ settings: settings.map((setting) => ({ ...setting })) });
}

function listUsers(
  instance: InstanceRecord,
  query: URLSearchParams,
): Array<{ is_admin: boolean; name: string }> {
  const name = query.get("name");
  const descending = query.get("order_by") === "name_desc";
  return instance.users
    .filter((user) => !name || user.name === name)
    .map((user) => ({ is_admin: user.is_admin, name: user.name }))
    .sort((a, b) => (descending ? b.name.localeCompare(a.name) : a.name.localeCompare(b.name)));
}

export function instancePartHandlers(store: RdbStore) {
  const parts = new InstanceParts(store);
  const writeSettings = (merge: SettingsMerge): Handler => {
    return async (req) => {
      const { instance } = await store.pathInstance(req);
      return renderSettings(parts.writeSettings(instance, requestBody(req), merge));
    };
  };
  return {
    setSettings: writeSettings(replaceSettings),
    addSettings: writeSettings(addSettings),
    deleteSettings: async (req) => {
      const { instance } = await store.pathInstance(req);
      return renderSettings(parts.deleteSettings(instance, requestBody(req)));
    },
    listDatabases: async (req) => {
      const { instance } = await store.pathInstance(req);
      const paging = readPaging(req);
      const orderBy = req.query.get("order_by") ?? "name_asc";
      return pageOf("databases", await parts.listDatabases(instance, req.query.get("name"), orderBy), paging);
    },
    createDatabase: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(await parts.createDatabase(instance, requestBody(req)));
    },
    deleteDatabase: async (req) => {
      const { instance } = await store.pathInstance(req);
      await parts.deleteDatabase(instance, req.params.databaseName);
      return NO_CONTENT;
    },
    listUsers: async (req) => {
      const { instance } = await store.pathInstance(req);
      const paging = readPaging(req);
      return pageOf("users", listUsers(instance, req.query), paging);
    },
    createUser: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(await parts.createUser(instance, requestBody(req)));
    },
    updateUser: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(await parts.updateUser(instance, req.params.userName, requestBody(req)));
    },
    deleteUser: async (req) => {
      const { instance } = await store.pathInstance(req);
      await parts.deleteUser(instance, req.params.userName);
      return NO_CONTENT;
    },
    prepareLogs: async (req) => {
      const { instance } = await store.pathInstance(req);
      const log = parts.prepareLogs(instance, requestBody(req));
      return ok({ instance_logs: [renderInstanceLog(log, log.created_at)] });
    },
    listLogs: async (req) => {
      const { instance } = await store.pathInstance(req);
      const descending = req.query.get("order_by") === "created_at_desc";
      const logs = parts
        .logs(instance)
        .sort((a, b) => (descending ? b.created_at - a.created_at : a.created_at - b.created_at));
      return ok({ instance_logs: logs.map((log) => renderInstanceLog(log, store.now())) });
    },
    logsDetails: async (req) => {
      const { instance } = await store.pathInstance(req);
      const logName = instance.engine_family === "PostgreSQL" ? "postgresql" : "mysql";
      const size = parts.logs(instance).length * 4096 + 1024;
      return ok({ details: [{ log_name: logName, size }] });
    },
    purgeLogs: async (req) => {
      const { instance } = await store.pathInstance(req);
      requestBody(req);
      parts.purgeLogs(instance);
      return NO_CONTENT;
    },
    getLog: async (req) => {
      const caller = store.caller(req);
      const log = store.logs.get(req.params.logId);
      const owner = log ? await store.findInstance(caller, log.instance_id) : undefined;
      if (!log || !owner) throw new NotFound("instance_log", req.params.logId);
      return ok(renderInstanceLog(log, store.now()));
    },
  } satisfies Record<string, Handler>;
}
