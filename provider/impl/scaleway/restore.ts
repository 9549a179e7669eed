// BackupRestore provider: restores a backup into an instance's database. Any input change restores again (replace);
// delete does nothing remote, since a restore cannot be undone.
import { diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { settleChange } from "../settle";
import {
  formatRegionalId,
  parseRegionalId,
  plainObject,
  progressReporter,
  timeoutMs,
  unlessGone,
} from "../support";
import { checkInputs } from "../validation";
import { qualifyRegionalIds, rdbApi } from "./clients";
import { restoreDeclaration, restoreInputSchema } from "./restore.declaration";

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export const backupRestore: ResourceImpl = {
  check: (_olds, news) =>
    checkInputs(restoreInputSchema, news, (inputs, unknownKeys) =>
      qualifyRegionalIds(inputs, ["backupId", "instanceId"], unknownKeys),
    ),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(restoreDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const api = await rdbApi();
    const backupRef = parseRegionalId(String(raw.backupId));
    const target = parseRegionalId(String(raw.instanceId));
    const label = `scaleway:BackupRestore ${backupRef.id} → ${target.id}`;
    const wait = {
      deadlineMs: timeoutMs(raw.timeouts as { create?: string }, "create", DEFAULT_TIMEOUT_MS),
      onProgress: progressReporter(label),
    };
    await api.waitForInstance({ region: target.region, instanceId: target.id }, wait);
    const backup = await api.getDatabaseBackup({ region: backupRef.region, databaseBackupId: backupRef.id });
    const databaseName = typeof raw.databaseName === "string" ? raw.databaseName : backup.databaseName;
    console.log(`${label}: restoring database ${databaseName}`);
    // A restore whose answer was lost is not sent again while the backup or the instance shows it under way;
    // one that already finished would be sent again, which restores the same content a second time.
    await settleChange({
      label,
      what: `restoring database ${databaseName}`,
      send: () =>
        api.restoreDatabaseBackup({
          region: backupRef.region,
          databaseBackupId: backupRef.id,
          instanceId: target.id,
          databaseName,
        }),
      inEffect: async () => {
        const [current, instance] = await Promise.all([
          api.getDatabaseBackup({ region: backupRef.region, databaseBackupId: backupRef.id }),
          api.getInstance({ region: target.region, instanceId: target.id }),
        ]);
        return current.status === "restoring" || instance.status !== "ready";
      },
    });
    await api.waitForDatabaseBackup({ region: backupRef.region, databaseBackupId: backupRef.id }, wait);
    const instance = await api.waitForInstance({ region: target.region, instanceId: target.id }, wait);
    const restoredAt = new Date().toISOString();
    return {
      id: formatRegionalId(target.region, `${target.id}/${backupRef.id}/${restoredAt}`),
      outs: plainObject({ ...raw, databaseName, restoredAt, status: instance.status }),
    };
  },

  async read(id, props) {
    const api = await rdbApi();
    const previous: Outputs = props ?? {};
    const target = parseRegionalId(String(previous.instanceId ?? id));
    const instance = await unlessGone(() =>
      api.getInstance({ region: target.region, instanceId: target.id }),
    );
    if (!instance) return {};
    const outs = plainObject({ ...previous, instanceId: formatRegionalId(instance.region, instance.id) });
    return readResult(id, restoreInputSchema, outs);
  },

  async update(_id, _olds, news) {
    return { outs: news };
  },

  async delete(id) {
    console.log(`scaleway:BackupRestore ${id}: nothing to delete remotely (a restore cannot be undone)`);
  },
};
