// Handlers of the RDB test controls under /_emulator/scaleway-rdb/: schedule a maintenance, read and write rows of
// the simulated databases, make an instance or a backup end in `error`, make an instance's operation last longer.
import type { Row } from "../data-plane";
import type { EmulatorRequest, EmulatorResponse } from "../framework";
import { NotFound } from "../scaleway-wire";
import { type BackupRecord, failureTime, type InstanceRecord, iso } from "./records";
import type { Handler } from "./requests";
import type { RdbStore } from "./store";

const WEEK = 7 * 24 * 3_600_000;
const DEFAULT_MAINTENANCE_REASON =
  "A maintenance will be applied on your instance. The database will be unavailable for a few minutes.";

/** Controls see every instance, whatever its project, until its deletion starts. */
function controlledInstance(store: RdbStore, req: EmulatorRequest): InstanceRecord {
  const instance = store.instances.get(req.params.instanceId);
  if (!instance || instance.gone_at !== null) throw new NotFound("instance", req.params.instanceId);
  return instance;
}

function controlBody(req: EmulatorRequest): Record<string, unknown> {
  return (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
}

export function controlHandlers(store: RdbStore) {
  // The record reaches `error` when its current operation ends (at once when idle) and stays there until deleted.
  const fail = (record: InstanceRecord | BackupRecord): EmulatorResponse => {
    const failsAt = failureTime(record, store.now());
    record.failed_at = failsAt;
    store.changed();
    return { status: 200, body: { id: record.id, fails_at: iso(failsAt) } };
  };
  const tableRows = async (req: EmulatorRequest) => {
    const instance = controlledInstance(store, req);
    const { databaseName, table } = req.params;
    if (!(await store.data.hasDatabase(instance.id, databaseName)))
      throw new NotFound("database", databaseName);
    return { instance, databaseName, table };
  };
  return {
    failInstance: async (req) => fail(controlledInstance(store, req)),
    failBackup: async (req) => {
      const backup = store.backups.get(req.params.backupId);
      if (!backup || backup.gone_at !== null) throw new NotFound("database_backup", req.params.backupId);
      return fail(backup);
    },
    // The real service is sometimes slower than the time profile: this holds the current operation (provisioning,
    // configuring…) of an instance until `until` at least. An idle instance stays as it is.
    holdInstance: async (req) => {
      const instance = controlledInstance(store, req);
      const until = Date.parse(String(controlBody(req).until));
      if (Number.isNaN(until)) return { status: 400, body: { message: "until must be an ISO 8601 date" } };
      if (instance.busy && store.now() < instance.busy.until) {
        instance.busy.until = Math.max(instance.busy.until, until);
        store.changed();
      }
      return {
        status: 200,
        body: { id: instance.id, busy_until: instance.busy ? iso(instance.busy.until) : null },
      };
    },
    scheduleMaintenance: async (req) => {
      const instance = controlledInstance(store, req);
      const now = store.now();
      const reason = controlBody(req).reason;
      instance.maintenances.push({
        starts_at: now,
        stops_at: now + WEEK,
        forced_at: now + WEEK,
        closed_at: null,
        reason: typeof reason === "string" ? reason : DEFAULT_MAINTENANCE_REASON,
        status: "pending",
      });
      store.changed();
      return { status: 201, body: { maintenances: instance.maintenances.length } };
    },
    insertRows: async (req) => {
      const { instance, databaseName, table } = await tableRows(req);
      const rows = controlBody(req).rows;
      if (!Array.isArray(rows)) return { status: 400, body: { message: "rows must be a list of objects" } };
      await store.data.insertRows(instance.id, databaseName, table, rows as Row[]);
      store.changed();
      return { status: 201, body: { inserted: rows.length } };
    },
    readRows: async (req) => {
      const { instance, databaseName, table } = await tableRows(req);
      return { status: 200, body: { rows: await store.data.readRows(instance.id, databaseName, table) } };
    },
  } satisfies Record<string, Handler>;
}
