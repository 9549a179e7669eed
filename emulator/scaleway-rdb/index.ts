// The Scaleway RDB v1 module of the emulator: every /rdb/v1/regions/:region route, plus test controls under
// /_emulator/scaleway-rdb/ (schedule a maintenance, read and write rows of the simulated databases, make an instance
// or a backup end in `error`).
import { type Row, SimulatedDataPlane } from "../data-plane";
import type { ApiModule, EmulatorRequest, EmulatorResponse, ModuleFactory, Route } from "../framework";
import { malformedPathArgument, notFound } from "../scaleway-wire";
import { backupRoutes } from "./backups";
import { DATABASE_ENGINES_RESPONSE, NODE_TYPES, nodeTypeWire } from "./catalogue";
import { instancePartRoutes } from "./instance-parts";
import { instanceRoutes } from "./instances";
import { type BackupRecord, failureTime, type InstanceRecord, iso } from "./records";
import { pathArgumentName, RdbStore } from "./store";

const HOUR = 3_600_000;
const CONTROL = "/_emulator/scaleway-rdb/instances/:instanceId";
const BACKUP_CONTROL = "/_emulator/scaleway-rdb/backups/:backupId";

function catalogueRoutes(store: RdbStore): Route[] {
  return [
    {
      method: "GET",
      pattern: "/rdb/v1/regions/:region/database-engines",
      handler: (req) => {
        const caller = store.caller(req);
        if (!caller.ok) return caller.response;
        const engines = DATABASE_ENGINES_RESPONSE.engines.map((engine) => ({
          ...engine,
          region: caller.value.region,
        }));
        return { status: 200, body: { engines, total_count: engines.length } };
      },
    },
    {
      method: "GET",
      pattern: "/rdb/v1/regions/:region/node-types",
      handler: (req) => {
        const caller = store.caller(req);
        if (!caller.ok) return caller.response;
        const nodeTypes = NODE_TYPES.map((spec) => nodeTypeWire(spec, caller.value.region));
        return { status: 200, body: { node_types: nodeTypes, total_count: nodeTypes.length } };
      },
    },
  ];
}

function controlRoutes(store: RdbStore): Route[] {
  const withInstance =
    (handler: (req: EmulatorRequest, instance: InstanceRecord) => EmulatorResponse) =>
    (req: EmulatorRequest): EmulatorResponse => {
      const instance = store.instances.get(req.params.instanceId);
      return instance && instance.gone_at === null
        ? handler(req, instance)
        : notFound("instance", req.params.instanceId);
    };
  const body = (req: EmulatorRequest) =>
    (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
  // The record reaches `error` when its current operation ends (at once when idle) and stays there until deleted.
  const fail = (record: InstanceRecord | BackupRecord): EmulatorResponse => {
    const failsAt = failureTime(record, store.now());
    record.failed_at = failsAt;
    store.changed();
    return { status: 200, body: { id: record.id, fails_at: iso(failsAt) } };
  };

  return [
    { method: "POST", pattern: `${CONTROL}/fail`, handler: withInstance((_req, instance) => fail(instance)) },
    {
      method: "POST",
      pattern: `${BACKUP_CONTROL}/fail`,
      handler: (req) => {
        const backup = store.backups.get(req.params.backupId);
        return backup && backup.gone_at === null
          ? fail(backup)
          : notFound("database_backup", req.params.backupId);
      },
    },
    {
      method: "POST",
      pattern: `${CONTROL}/maintenances`,
      handler: withInstance((req, instance) => {
        const now = store.now();
        const reason = body(req).reason;
        instance.maintenances.push({
          starts_at: now,
          stops_at: now + 7 * 24 * HOUR,
          forced_at: now + 7 * 24 * HOUR,
          closed_at: null,
          reason:
            typeof reason === "string"
              ? reason
              : "A maintenance will be applied on your instance. The database will be unavailable for a few minutes.",
          status: "pending",
        });
        store.changed();
        return { status: 201, body: { maintenances: instance.maintenances.length } };
      }),
    },
    {
      method: "POST",
      pattern: `${CONTROL}/databases/:databaseName/tables/:table/rows`,
      handler: withInstance((req, instance) => {
        const { databaseName, table } = req.params;
        if (!store.data.hasDatabase(instance.id, databaseName)) return notFound("database", databaseName);
        const rows = body(req).rows;
        if (!Array.isArray(rows)) return { status: 400, body: { message: "rows must be a list of objects" } };
        store.data.insertRows(instance.id, databaseName, table, rows as Row[]);
        store.changed();
        return { status: 201, body: { inserted: rows.length } };
      }),
    },
    {
      method: "GET",
      pattern: `${CONTROL}/databases/:databaseName/tables/:table/rows`,
      handler: withInstance((req, instance) => {
        const { databaseName, table } = req.params;
        if (!store.data.hasDatabase(instance.id, databaseName)) return notFound("database", databaseName);
        return { status: 200, body: { rows: store.data.readRows(instance.id, databaseName, table) } };
      }),
    },
  ];
}

export const scalewayRdbModule: ModuleFactory = (ctx, options): ApiModule => {
  const store = new RdbStore(ctx, options.dataPlane ?? new SimulatedDataPlane());
  return {
    name: "scaleway-rdb",
    routes: [
      ...catalogueRoutes(store),
      ...instanceRoutes(store),
      ...instancePartRoutes(store),
      ...backupRoutes(store),
      ...controlRoutes(store),
    ],
    reset: () => store.reset(),
    exportState: () => store.exportState(),
    importState: (state) => store.importState(state),
    malformedPathParameter: (name) => malformedPathArgument(pathArgumentName(name)),
  };
};
