// Handlers of the Serverless SQL routes: read the request, call the model, render the database or backup.
import type { Row } from "../data-plane";
import { type EmulatorRequest, type EmulatorResponse, isRecord } from "../framework";
import { NotFound, orderNamed, pageOf, readPaging } from "../scaleway-wire";
import { BACKUP_ORDERS, DATABASE_ORDERS, type ListFilters, ServerlessModel } from "./model";
import { databaseJson, type SdbDatabase } from "./records";
import type { ServerlessStore } from "./store";

type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

function ok(body: unknown): EmulatorResponse {
  return { status: 200, body };
}

/** The request's body when it is a JSON object; this API reads anything else as an empty body. */
function bodyOf(req: EmulatorRequest): Record<string, unknown> {
  return isRecord(req.body) ? req.body : {};
}

/** Controls see every database, whatever its project, until its deletion starts. */
function controlledDatabase(store: ServerlessStore, req: EmulatorRequest): SdbDatabase {
  const database = store.state.databases.find((candidate) => candidate.id === req.params.databaseId);
  if (!database || database.deleteRequestedAt !== null) throw new NotFound("database", req.params.databaseId);
  return database;
}

/** The list filters of the query string; empty values count as absent. */
function listFilters(query: URLSearchParams): ListFilters {
  return {
    projectId: query.get("project_id") || undefined,
    organizationId: query.get("organization_id") || undefined,
    name: query.get("name") || undefined,
    databaseId: query.get("database_id") || undefined,
  };
}

export function serverlessHandlers(store: ServerlessStore) {
  const model = new ServerlessModel(store);
  const render = (database: SdbDatabase) => databaseJson(database, store.statusOf(database));
  const pathDatabase = (req: EmulatorRequest) => store.database(store.caller(req), req.params.databaseId);
  const pathBackup = (req: EmulatorRequest) => store.backup(store.caller(req), req.params.backupId);
  return {
    createDatabase: async (req) =>
      ok(
        render(
          await model.createDatabase(
            store.caller(req),
            req.params.region,
            bodyOf(req),
            String(req.headers["x-auth-token"] ?? ""),
          ),
        ),
      ),
    listDatabases: (req) => {
      const caller = store.caller(req);
      const paging = readPaging(req);
      const order = orderNamed(DATABASE_ORDERS, req.query.get("order_by") || "created_at_asc");
      return pageOf(
        "databases",
        model.listDatabases(caller, listFilters(req.query), order).map(render),
        paging,
      );
    },
    getDatabase: (req) => ok(render(pathDatabase(req))),
    updateDatabase: (req) => {
      const database = pathDatabase(req);
      model.updateDatabase(database, bodyOf(req));
      return ok(render(database));
    },
    deleteDatabase: async (req) => {
      const database = pathDatabase(req);
      return ok(databaseJson(database, await model.deleteDatabase(database)));
    },
    restoreDatabase: async (req) => {
      const database = pathDatabase(req);
      await model.restoreDatabase(database, bodyOf(req).backup_id);
      return ok(render(database));
    },
    listBackups: (req) => {
      const caller = store.caller(req);
      const paging = readPaging(req);
      const order = orderNamed(BACKUP_ORDERS, req.query.get("order_by") || "created_at_desc");
      const backups = model.listBackups(caller, listFilters(req.query), order);
      return pageOf(
        "backups",
        backups.map((backup) => store.renderBackup(backup)),
        paging,
      );
    },
    getBackup: (req) => ok(store.renderBackup(pathBackup(req))),
    exportBackup: async (req) => {
      const backup = pathBackup(req);
      await model.exportBackup(backup);
      return ok(store.renderBackup(backup));
    },
    insertRows: async (req) => {
      const rows = bodyOf(req).rows;
      if (!Array.isArray(rows)) return { status: 400, body: { message: "rows must be a list of objects" } };
      await model.data.insertRows(controlledDatabase(store, req), req.params.table, rows as Row[]);
      return { status: 201, body: { inserted: rows.length } };
    },
    readRows: async (req) =>
      ok({ rows: await model.data.readRows(controlledDatabase(store, req), req.params.table) }),
    takeBackupNow: async (req) => {
      const databaseId = bodyOf(req).database_id;
      const taken = await model.takeBackupNow(databaseId);
      if (!taken) throw new NotFound("database", String(databaseId));
      return ok(store.renderBackup(taken));
    },
  } satisfies Record<string, Handler>;
}
