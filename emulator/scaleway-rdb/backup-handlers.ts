// Handlers of the RDB backup routes: read the request, call the backup model, render the backup.
import { orderNamed, pageOf, readPaging } from "../scaleway-wire";
import { BACKUP_ORDERS, BackupModel } from "./backup-model";
import { renderBackup } from "./records";
import { type Handler, ok, pathBackup, requestBody } from "./requests";
import type { RdbStore } from "./store";

export function backupHandlers(store: RdbStore) {
  const backups = new BackupModel(store);
  return {
    list: async (req) => {
      const caller = store.caller(req);
      const paging = readPaging(req);
      const order = orderNamed(BACKUP_ORDERS, req.query.get("order_by") ?? "created_at_asc");
      const filters = {
        name: req.query.get("name"),
        instanceId: req.query.get("instance_id"),
        projectId: req.query.get("project_id"),
        organizationId: req.query.get("organization_id"),
      };
      const now = store.now();
      const matching = await backups.list(caller, filters, order, now);
      return pageOf(
        "database_backups",
        matching.map((backup) => renderBackup(backup, now)),
        paging,
      );
    },
    create: async (req) => {
      const caller = store.caller(req);
      const backup = await backups.create(caller, requestBody(req));
      return ok(renderBackup(backup, store.now(), "creating"));
    },
    get: async (req) => {
      const { backup } = await pathBackup(store, req);
      return ok(renderBackup(backup, store.now()));
    },
    update: async (req) => {
      const { backup } = await pathBackup(store, req);
      backups.update(backup, requestBody(req));
      return ok(renderBackup(backup, store.now()));
    },
    remove: async (req) => {
      const { backup } = await pathBackup(store, req);
      backups.remove(backup);
      return ok(renderBackup(backup, store.now(), "deleting"));
    },
    export: async (req) => {
      const { backup } = await pathBackup(store, req);
      backups.export(backup);
      return ok(renderBackup(backup, store.now(), "exporting"));
    },
    restore: async (req) => {
      const { caller, backup } = await pathBackup(store, req);
      await backups.restore(caller, backup, requestBody(req));
      return ok(renderBackup(backup, store.now(), "restoring"));
    },
  } satisfies Record<string, Handler>;
}
