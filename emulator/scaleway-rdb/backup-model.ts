// RDB logical backups: what a create, update or restore may ask, and each backup's state machine (creating,
// exporting, restoring, deleting), the dump it holds coming from the data plane.
import { randomUUID } from "node:crypto";
import { InvalidArguments, isUuid, NotFound } from "../scaleway-wire";
import { type CopyFilters, checkCopyUpdate, copiedFrom, keptByFilters } from "./copy-lists";
import { type BackupRecord, backupStatus, type ListOrder, listOrders } from "./records";
import type { Caller, RdbStore } from "./store";
import { DOWNLOAD_LINK_TTL_MS } from "./timings";
import { checkDatabaseName, checkName, Problems } from "./validation";

type Order = ListOrder<BackupRecord>;

export const BACKUP_ORDERS = listOrders(backupStatus);

/** The `instance_id` a create or a restore names: required, and a UUID. */
function checkInstanceId(problems: Problems, body: Record<string, unknown>): string {
  const instanceId = problems.optionalString(body, "instance_id") ?? "";
  if (instanceId === "") problems.add("instance_id", "required", "instance_id is required");
  else if (!isUuid(instanceId)) problems.add("instance_id", "format", "must be a UUID");
  return instanceId;
}

export class BackupModel {
  constructor(private readonly store: RdbStore) {}

  async list(caller: Caller, filters: CopyFilters, order: Order, now: number): Promise<BackupRecord[]> {
    return (await this.store.liveBackups(caller))
      .filter((backup) => keptByFilters(backup, filters))
      .sort((a, b) => order(a, b, now));
  }

  /** Dumps a database of a ready instance into a new backup, `creating` for a while. */
  async create(caller: Caller, body: Record<string, unknown>): Promise<BackupRecord> {
    const now = this.store.now();
    const problems = new Problems();
    const instanceId = checkInstanceId(problems, body);
    const databaseName = problems.optionalString(body, "database_name") ?? "";
    if (databaseName === "") problems.add("database_name", "required", "database_name is required");
    else checkDatabaseName(problems, "database_name", databaseName);
    const name = problems.optionalString(body, "name") ?? "";
    checkName(problems, name, true);
    const expiresAt = problems.optionalFutureDate(body, "expires_at", now);
    if (!problems.empty) throw new InvalidArguments(problems.list);
    const instance = await this.store.instance(caller, instanceId);
    this.store.requireReady(instance);
    if (!(await this.store.data.hasDatabase(instance.id, databaseName))) {
      throw new NotFound("database", databaseName);
    }
    const dump = await this.store.data.dump(instance.id, databaseName);
    const id = randomUUID();
    const backup: BackupRecord = {
      id,
      ...copiedFrom(instance),
      database_name: databaseName,
      name,
      created_at: now,
      expires_at: expiresAt ?? null,
      same_region: instance.backup_same_region,
      size: dump.length,
      dump_file: this.store.ctx.files.put(`rdb-backup-${id}.custom`, dump),
      created_until: now + this.store.duration("backupCreate"),
      busy: { status: "creating", until: now + this.store.duration("backupCreate") },
      export: null,
      gone_at: null,
    };
    this.store.backups.set(backup.id, backup);
    this.store.changed();
    return backup;
  }

  update(backup: BackupRecord, body: Record<string, unknown>): void {
    const apply = checkCopyUpdate(body, this.store.now());
    if (backupStatus(backup, this.store.now()) === "deleting") this.store.requireBackupReady(backup);
    apply(backup);
    this.store.changed();
  }

  // Deleting a backup is immediate on the real service: the answer says `deleting`, the next GET is already 404. A
  // backup in `error` can be deleted too (that is how it is replaced).
  remove(backup: BackupRecord): void {
    const now = this.store.now();
    if (backupStatus(backup, now) !== "error") this.store.requireBackupReady(backup);
    backup.gone_at = now;
    this.store.changed();
  }

  /** Publishes the dump at a presigned URL that becomes visible once the export is over. */
  export(backup: BackupRecord): void {
    this.store.requireBackupReady(backup);
    const now = this.store.now();
    const readyAt = now + this.store.duration("backupExport");
    const download = this.store.ctx.publishDownload(
      this.store.ctx.files.get(backup.dump_file),
      `${backup.id}.custom`,
      readyAt - now + this.store.ctx.downloadUrlTtlMs(DOWNLOAD_LINK_TTL_MS),
    );
    backup.export = { url: download.url, expires_at: download.expiresAt.getTime(), ready_at: readyAt };
    backup.busy = { status: "exporting", until: readyAt };
    this.store.changed();
  }

  /** Loads the dump into a database of a ready instance, which is `backuping` meanwhile. */
  async restore(caller: Caller, backup: BackupRecord, body: Record<string, unknown>): Promise<void> {
    const problems = new Problems();
    const instanceId = checkInstanceId(problems, body);
    const databaseName = problems.optionalString(body, "database_name") || backup.database_name;
    checkDatabaseName(problems, "database_name", databaseName);
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireBackupReady(backup);
    const target = await this.store.instance(caller, instanceId);
    this.store.requireReady(target);
    const until = this.store.now() + this.store.duration("backupRestore");
    await this.store.data.restore(target.id, databaseName, this.store.ctx.files.get(backup.dump_file));
    backup.busy = { status: "restoring", until };
    target.busy = { status: "backuping", until };
    this.store.changed();
  }
}
