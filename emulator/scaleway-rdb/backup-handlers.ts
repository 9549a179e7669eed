// Handlers of the RDB backup routes: read the request, call the backup model, render the backup.
import { BACKUP_ORDERS, BackupModel } from "./backup-model";
import { copyFilters } from "./copy-lists";
import { renderBackup } from "./records";
import { actingOn, type Handler, listPage, ok, requestBody } from "./requests";
import type { RdbStore } from "./store";

function listBackups(store: RdbStore, backups: BackupModel): Handler {
  return (req) =>
    listPage(store, req, {
      key: "database_backups",
      orders: BACKUP_ORDERS,
      find: (caller, order, now) => backups.list(caller, copyFilters(req.query), order, now),
      render: renderBackup,
    });
}

export function backupHandlers(store: RdbStore) {
  const backups = new BackupModel(store);
  const acting = actingOn(store, async (req) => (await store.pathBackup(req)).backup, renderBackup);
  return {
    list: listBackups(store, backups),
    create: async (req) => {
      const backup = await backups.create(store.caller(req), requestBody(req));
      return ok(renderBackup(backup, store.now(), "creating"));
    },
    get: acting(() => undefined),
    update: acting((backup, req) => backups.update(backup, requestBody(req))),
    remove: acting((backup) => backups.remove(backup), "deleting"),
    export: acting((backup) => backups.export(backup), "exporting"),
    restore: async (req) => {
      const { caller, backup } = await store.pathBackup(req);
      await backups.restore(caller, backup, requestBody(req));
      return ok(renderBackup(backup, store.now(), "restoring"));
    },
  } satisfies Record<string, Handler>;
}
