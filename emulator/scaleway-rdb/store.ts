// The RDB module's state (instances with their replicas, backups, snapshots, logs, data) and the lookups every route
// shares: region and auth checks, project isolation (a project-bound token sees other projects' resources as absent),
// lazy removal of deleted ones.
import type { DataPlane, ProvisionRequest } from "../data-plane";
import type { EmulatorRequest, ModuleContext } from "../framework";
import { checkRegion, InvalidArguments, isUuid, NotFound, TransientState } from "../scaleway-wire";
import { REGIONS } from "./catalogue";
import {
  type BackupRecord,
  backupStatus,
  type InstanceLogRecord,
  type InstanceRecord,
  type InstanceStatus,
  instanceStatus,
  isGone,
} from "./records";
import type { SnapshotRecord } from "./snapshot-model";
import { durationOf, type Operation } from "./timings";

/** How the API names the path parameters of the emulator's routes in its error details. */
const PATH_ARGUMENTS: Record<string, string> = {
  region: "region",
  instanceId: "instance_id",
  backupId: "database_backup_id",
  logId: "instance_log_id",
  snapshotId: "snapshot_id",
  readReplicaId: "read_replica_id",
  endpointId: "endpoint_id",
  databaseName: "database_name",
  userName: "user_name",
  table: "table",
};

export function pathArgumentName(parameter: string): string {
  return PATH_ARGUMENTS[parameter] ?? parameter;
}

export interface Caller {
  /** The project a token is bound to; undefined when it may act on any project. */
  projectId: string | undefined;
  region: string;
}

/** The end of an operation that waits for a server: unknown until the server is done. */
const UNTIL_SERVER_DONE = Number.MAX_SAFE_INTEGER;

interface PersistedState {
  instances: InstanceRecord[];
  backups: BackupRecord[];
  logs: InstanceLogRecord[];
  snapshots?: SnapshotRecord[];
  data: unknown;
}

export class RdbStore {
  instances = new Map<string, InstanceRecord>();
  backups = new Map<string, BackupRecord>();
  logs = new Map<string, InstanceLogRecord>();
  snapshots = new Map<string, SnapshotRecord>();
  constructor(
    readonly ctx: ModuleContext,
    readonly data: DataPlane,
  ) {}

  now(): number {
    return this.ctx.now();
  }

  duration(operation: Operation): number {
    return durationOf(this.ctx.profile, operation);
  }

  changed(): void {
    this.ctx.markDirty();
  }

  /** Authenticates and checks the region of a `/rdb/v1/regions/:region/...` request. */
  caller(req: EmulatorRequest): Caller {
    const auth = this.ctx.scalewayAuth(req);
    const region = req.params.region ?? "";
    checkRegion(region, REGIONS);
    // Every id in an RDB path is a UUID; the API refuses anything else before looking it up.
    for (const [parameter, value] of Object.entries(req.params)) {
      if (parameter.endsWith("Id") && !isUuid(value)) {
        throw InvalidArguments.constraint(pathArgumentName(parameter), "must be a valid UUID");
      }
    }
    return { projectId: auth.projectId, region };
  }

  visible(caller: Caller, resource: { region: string; project_id: string }): boolean {
    return (
      resource.region === caller.region &&
      (caller.projectId === undefined || caller.projectId === resource.project_id)
    );
  }

  /** Forgets the resources whose deletion has completed, and the data of deleted instances. */
  private async sweep(): Promise<void> {
    const now = this.now();
    const goneInstances = [...this.instances.values()].filter((instance) => isGone(instance, now));
    for (const instance of goneInstances) {
      this.instances.delete(instance.id);
      for (const [logId, log] of this.logs) if (log.instance_id === instance.id) this.logs.delete(logId);
      this.changed();
    }
    for (const records of [this.backups, this.snapshots]) {
      for (const [id, record] of records) {
        if (isGone(record, now)) {
          records.delete(id);
          this.changed();
        }
      }
    }
    for (const instance of goneInstances) await this.data.dropInstance(instance.id);
  }

  async liveInstances(caller: Caller): Promise<InstanceRecord[]> {
    await this.sweep();
    return [...this.instances.values()].filter((instance) => this.visible(caller, instance));
  }

  async liveBackups(caller: Caller): Promise<BackupRecord[]> {
    await this.sweep();
    return [...this.backups.values()].filter((backup) => this.visible(caller, backup));
  }

  async liveSnapshots(caller: Caller): Promise<SnapshotRecord[]> {
    await this.sweep();
    return [...this.snapshots.values()].filter((snapshot) => this.visible(caller, snapshot));
  }

  /** The caller and the snapshot `:snapshotId` names, which the caller must be able to see. */
  async pathSnapshot(req: EmulatorRequest): Promise<{ caller: Caller; snapshot: SnapshotRecord }> {
    const caller = this.caller(req);
    await this.sweep();
    const snapshot = this.snapshots.get(req.params.snapshotId);
    if (!snapshot || !this.visible(caller, snapshot)) {
      throw new NotFound("instance_snapshot", req.params.snapshotId);
    }
    return { caller, snapshot };
  }

  /** The instance `id` if the caller can see it. */
  async findInstance(caller: Caller, id: string): Promise<InstanceRecord | undefined> {
    await this.sweep();
    const instance = this.instances.get(id);
    return instance && this.visible(caller, instance) ? instance : undefined;
  }

  async instance(caller: Caller, id: string): Promise<InstanceRecord> {
    const instance = await this.findInstance(caller, id);
    if (!instance) throw new NotFound("instance", id);
    return instance;
  }

  async backup(caller: Caller, id: string): Promise<BackupRecord> {
    await this.sweep();
    const backup = this.backups.get(id);
    if (!backup || !this.visible(caller, backup)) throw new NotFound("database_backup", id);
    return backup;
  }

  /** The caller and the instance `:instanceId` names, which the caller must be able to see. */
  async pathInstance(req: EmulatorRequest): Promise<{ caller: Caller; instance: InstanceRecord }> {
    const caller = this.caller(req);
    return { caller, instance: await this.instance(caller, req.params.instanceId) };
  }

  /** The caller and the backup `:backupId` names, which the caller must be able to see. */
  async pathBackup(req: EmulatorRequest): Promise<{ caller: Caller; backup: BackupRecord }> {
    const caller = this.caller(req);
    return { caller, backup: await this.backup(caller, req.params.backupId) };
  }

  /** 409 transient_state unless the instance is ready. */
  requireReady(instance: InstanceRecord): void {
    const status = instanceStatus(instance, this.now());
    if (status !== "ready") throw new TransientState("instance", instance.id, status);
  }

  requireBackupReady(backup: BackupRecord): void {
    const status = backupStatus(backup, this.now());
    if (status !== "ready") throw new TransientState("database_backup", backup.id, status);
  }

  /** Puts an instance in a transient status until `operation` ends (after any operation it is already in). */
  startBusy(instance: InstanceRecord, status: InstanceStatus, operation: Operation): void {
    const now = this.now();
    const previousEnd = instance.busy && now < instance.busy.until ? instance.busy.until : now;
    instance.busy = { status, until: Math.max(previousEnd, now + this.duration(operation)) };
    this.changed();
  }

  /**
   * Keeps the instance in its current transient status until `work` (a server's start, restart or reload) is done,
   * and at least as long as the profile says; the instance ends in `error` if the work fails.
   */
  holdUntilDone(instance: InstanceRecord, work: Promise<void>): void {
    const busy = instance.busy;
    if (!busy) return;
    const profileEnd = busy.until;
    busy.until = UNTIL_SERVER_DONE;
    const settle = (failed: boolean) => {
      if (instance.busy === busy) busy.until = Math.max(profileEnd, this.now());
      if (failed) instance.failed_at = this.now();
      this.changed();
    };
    work.then(
      () => settle(false),
      () => settle(true),
    );
  }

  /** Puts an instance in a transient status for `operation` and, on a plane that runs servers, until `work` is done. */
  busyWhile(
    instance: InstanceRecord,
    status: InstanceStatus,
    operation: Operation,
    work: () => Promise<void>,
  ) {
    this.startBusy(instance, status, operation);
    if (this.data.runsServers) this.holdUntilDone(instance, work());
  }

  /** Brings up a new instance's data: its endpoint port is the server's, and it is ready once the server is. */
  async provision(instance: InstanceRecord, request: Omit<ProvisionRequest, "engineFamily">): Promise<void> {
    const provisioned = await this.data.provisionInstance(instance.id, {
      ...request,
      engineFamily: instance.engine_family,
    });
    if (provisioned.port !== undefined && instance.endpoint) instance.endpoint.port = provisioned.port;
    if (provisioned.ready) this.holdUntilDone(instance, provisioned.ready);
    this.changed();
  }

  async reset(): Promise<void> {
    this.instances.clear();
    this.backups.clear();
    this.logs.clear();
    this.snapshots.clear();
    await this.data.clear();
  }

  async exportState(): Promise<PersistedState> {
    return {
      instances: [...this.instances.values()],
      backups: [...this.backups.values()],
      logs: [...this.logs.values()],
      snapshots: [...this.snapshots.values()],
      data: await this.data.exportState(),
    };
  }

  async importState(state: unknown): Promise<void> {
    const persisted = state as Partial<PersistedState>;
    this.instances = new Map((persisted.instances ?? []).map((instance) => [instance.id, instance]));
    this.backups = new Map((persisted.backups ?? []).map((backup) => [backup.id, backup]));
    this.logs = new Map((persisted.logs ?? []).map((log) => [log.id, log]));
    this.snapshots = new Map((persisted.snapshots ?? []).map((snapshot) => [snapshot.id, snapshot]));
    // A server's start cut short by the previous run's end: its server starts again on first use.
    for (const instance of this.instances.values()) {
      if (instance.busy?.until === UNTIL_SERVER_DONE) instance.busy.until = this.now();
    }
    await this.data.importState(persisted.data);
    for (const instance of this.instances.values()) {
      if (instance.acl_rules === undefined || instance.gone_at !== null) continue;
      const networks = instance.acl_rules.map((rule) => rule.ip);
      // An instance whose server was never built has no endpoint to guard.
      await this.data.setAcl(instance.id, networks).catch(() => undefined);
    }
  }
}
