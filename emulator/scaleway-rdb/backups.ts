// RDB logical backup endpoints: list, create, get, update, delete, export (presigned download) and restore.
import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, Route } from "../framework";
import { invalidArguments, notFound, pageOf, readPaging } from "../scaleway-wire";
import { type BackupRecord, backupStatus, renderBackup } from "./records";
import type { Caller, RdbStore } from "./store";
import { DOWNLOAD_LINK_TTL_MS } from "./timings";
import { checkDatabaseName, checkName, isUuid, objectBody, Problems } from "./validation";

const BASE = "/rdb/v1/regions/:region/backups";

const BACKUP_ORDERS: Record<string, (a: BackupRecord, b: BackupRecord, now: number) => number> = {
  created_at_asc: (a, b) => a.created_at - b.created_at,
  created_at_desc: (a, b) => b.created_at - a.created_at,
  name_asc: (a, b) => a.name.localeCompare(b.name),
  name_desc: (a, b) => b.name.localeCompare(a.name),
  status_asc: (a, b, now) => backupStatus(a, now).localeCompare(backupStatus(b, now)),
  status_desc: (a, b, now) => backupStatus(b, now).localeCompare(backupStatus(a, now)),
};

const BAD_BODY = invalidArguments([
  { argument_name: "body", reason: "format", help_message: "must be an object" },
]);

export function backupRoutes(store: RdbStore): Route[] {
  const withCaller =
    (handler: (req: EmulatorRequest, caller: Caller) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const caller = store.caller(req);
      return caller.ok ? handler(req, caller.value) : caller.response;
    };
  const withBackup = (
    handler: (req: EmulatorRequest, backup: BackupRecord, caller: Caller) => EmulatorResponse,
  ) =>
    withCaller((req, caller) => {
      const found = store.backup(caller, req.params.backupId);
      return found.ok ? handler(req, found.value, caller) : found.response;
    });

  const list = withCaller((req, caller) => {
    const paging = readPaging(req);
    if ("status" in paging) return paging;
    const order = BACKUP_ORDERS[req.query.get("order_by") ?? "created_at_asc"];
    if (!order) {
      return invalidArguments([
        {
          argument_name: "order_by",
          reason: "constraint",
          help_message: `must be one of ${Object.keys(BACKUP_ORDERS).join(", ")}`,
        },
      ]);
    }
    const name = req.query.get("name");
    const instanceId = req.query.get("instance_id");
    const projectId = req.query.get("project_id");
    const organizationId = req.query.get("organization_id");
    const now = store.now();
    const matching = store
      .liveBackups(caller)
      .filter((backup) => !name || backup.name.includes(name))
      .filter((backup) => !instanceId || backup.instance_id === instanceId)
      .filter((backup) => !projectId || backup.project_id === projectId)
      .filter((backup) => !organizationId || backup.organization_id === organizationId)
      .sort((a, b) => order(a, b, now));
    return pageOf(
      "database_backups",
      matching.map((backup) => renderBackup(backup, now)),
      paging,
    );
  });

  const create = withCaller((req, caller) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const now = store.now();
    const problems = new Problems();
    const instanceId = problems.optionalString(body, "instance_id") ?? "";
    if (instanceId === "") problems.add("instance_id", "required", "instance_id is required");
    else if (!isUuid(instanceId)) problems.add("instance_id", "format", "must be a UUID");
    const databaseName = problems.optionalString(body, "database_name") ?? "";
    if (databaseName === "") problems.add("database_name", "required", "database_name is required");
    else checkDatabaseName(problems, "database_name", databaseName);
    const name = problems.optionalString(body, "name") ?? "";
    checkName(problems, name, true);
    const expiresAt = problems.optionalFutureDate(body, "expires_at", now);
    if (!problems.empty) return invalidArguments(problems.list);
    const found = store.instance(caller, instanceId);
    if (!found.ok) return found.response;
    const instance = found.value;
    const busy = store.requireReady(instance);
    if (busy) return busy;
    if (!store.data.hasDatabase(instance.id, databaseName)) return notFound("database", databaseName);
    const dump = store.data.dump(instance.id, databaseName);
    const backup: BackupRecord = {
      id: randomUUID(),
      region: instance.region,
      instance_id: instance.id,
      instance_name: instance.name,
      project_id: instance.project_id,
      organization_id: instance.organization_id,
      database_name: databaseName,
      name,
      created_at: now,
      expires_at: expiresAt ?? null,
      same_region: instance.backup_same_region,
      size: dump.length,
      dump_base64: dump.toString("base64"),
      created_until: now + store.duration("backupCreate"),
      busy: { status: "creating", until: now + store.duration("backupCreate") },
      export: null,
      gone_at: null,
    };
    store.backups.set(backup.id, backup);
    store.changed();
    return { status: 200, body: renderBackup(backup, now, "creating") };
  });

  const get = withBackup((_req, backup) => ({ status: 200, body: renderBackup(backup, store.now()) }));

  const update = withBackup((req, backup) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const name = problems.optionalString(body, "name");
    checkName(problems, name, false);
    const expiresAt = problems.optionalFutureDate(body, "expires_at", store.now());
    if (!problems.empty) return invalidArguments(problems.list);
    if (backupStatus(backup, store.now()) === "deleting")
      return store.requireBackupReady(backup) as EmulatorResponse;
    if (name !== undefined) backup.name = name;
    if (expiresAt !== undefined) backup.expires_at = expiresAt;
    store.changed();
    return { status: 200, body: renderBackup(backup, store.now()) };
  });

  // Deleting a backup is immediate on the real service: the answer says `deleting`, the next GET is already 404. A
  // backup in `error` can be deleted too (that is how it is replaced).
  const remove = withBackup((_req, backup) => {
    const now = store.now();
    const busy = backupStatus(backup, now) === "error" ? undefined : store.requireBackupReady(backup);
    if (busy) return busy;
    backup.gone_at = now;
    store.changed();
    return { status: 200, body: renderBackup(backup, now, "deleting") };
  });

  const exportBackup = withBackup((_req, backup) => {
    const busy = store.requireBackupReady(backup);
    if (busy) return busy;
    const now = store.now();
    const readyAt = now + store.duration("backupExport");
    const download = store.ctx.publishDownload(
      Buffer.from(backup.dump_base64, "base64"),
      `${backup.id}.custom`,
      readyAt - now + store.ctx.downloadUrlTtlMs(DOWNLOAD_LINK_TTL_MS),
    );
    backup.export = { url: download.url, expires_at: download.expiresAt.getTime(), ready_at: readyAt };
    backup.busy = { status: "exporting", until: readyAt };
    store.changed();
    return { status: 200, body: renderBackup(backup, now, "exporting") };
  });

  const restore = withBackup((req, backup, caller) => {
    const body = objectBody(req.body);
    if (!body) return BAD_BODY;
    const problems = new Problems();
    const instanceId = problems.optionalString(body, "instance_id") ?? "";
    if (instanceId === "") problems.add("instance_id", "required", "instance_id is required");
    else if (!isUuid(instanceId)) problems.add("instance_id", "format", "must be a UUID");
    const databaseName = problems.optionalString(body, "database_name") || backup.database_name;
    checkDatabaseName(problems, "database_name", databaseName);
    if (!problems.empty) return invalidArguments(problems.list);
    const busy = store.requireBackupReady(backup);
    if (busy) return busy;
    const target = store.instance(caller, instanceId);
    if (!target.ok) return target.response;
    const targetBusy = store.requireReady(target.value);
    if (targetBusy) return targetBusy;
    const now = store.now();
    const until = now + store.duration("backupRestore");
    store.data.restore(target.value.id, databaseName, Buffer.from(backup.dump_base64, "base64"));
    backup.busy = { status: "restoring", until };
    target.value.busy = { status: "backuping", until };
    store.changed();
    return { status: 200, body: renderBackup(backup, now, "restoring") };
  });

  return [
    { method: "GET", pattern: BASE, handler: list },
    { method: "POST", pattern: BASE, handler: create },
    { method: "GET", pattern: `${BASE}/:backupId`, handler: get },
    { method: "PATCH", pattern: `${BASE}/:backupId`, handler: update },
    { method: "DELETE", pattern: `${BASE}/:backupId`, handler: remove },
    { method: "POST", pattern: `${BASE}/:backupId/export`, handler: exportBackup },
    { method: "POST", pattern: `${BASE}/:backupId/restore`, handler: restore },
  ];
}
