// The RDB module's state (instances, backups, logs, data) and the lookups every route shares: region and auth checks,
// project isolation (a project-bound token sees other projects' resources as absent), lazy removal of deleted ones.
import type { DataPlane } from "../data-plane";
import type { EmulatorRequest, EmulatorResponse, ModuleContext } from "../framework";
import { invalidArguments, invalidPathArgument, notFound, transientState } from "../scaleway-wire";
import { REGIONS } from "./catalogue";
import {
  type BackupRecord,
  backupStatus,
  type InstanceLogRecord,
  type InstanceRecord,
  instanceStatus,
  isGone,
} from "./records";
import { durationOf, type Operation } from "./timings";
import { isUuid } from "./validation";

/** How the API names the path parameters of the emulator's routes in its error details. */
const PATH_ARGUMENTS: Record<string, string> = {
  region: "region",
  instanceId: "instance_id",
  backupId: "database_backup_id",
  logId: "instance_log_id",
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

interface PersistedState {
  instances: InstanceRecord[];
  backups: BackupRecord[];
  logs: InstanceLogRecord[];
  data: unknown;
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; response: EmulatorResponse };

export class RdbStore {
  instances = new Map<string, InstanceRecord>();
  backups = new Map<string, BackupRecord>();
  logs = new Map<string, InstanceLogRecord>();
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
  caller(req: EmulatorRequest): Lookup<Caller> {
    const auth = this.ctx.scalewayAuth(req);
    if (!auth.ok) return auth;
    const region = req.params.region ?? "";
    if (!(REGIONS as readonly string[]).includes(region)) {
      return {
        ok: false,
        response: invalidArguments([
          {
            argument_name: "region",
            reason: "constraint",
            help_message: `must be one of ${REGIONS.join(", ")}`,
          },
        ]),
      };
    }
    // Every id in an RDB path is a UUID; the API refuses anything else before looking it up.
    for (const [parameter, value] of Object.entries(req.params)) {
      if (parameter.endsWith("Id") && !isUuid(value)) {
        return {
          ok: false,
          response: invalidPathArgument(pathArgumentName(parameter), "must be a valid UUID"),
        };
      }
    }
    return { ok: true, value: { projectId: auth.projectId, region } };
  }

  visible(caller: Caller, resource: { region: string; project_id: string }): boolean {
    return (
      resource.region === caller.region &&
      (caller.projectId === undefined || caller.projectId === resource.project_id)
    );
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, instance] of this.instances) {
      if (isGone(instance, now)) {
        this.instances.delete(id);
        this.data.dropInstance(id);
        for (const [logId, log] of this.logs) if (log.instance_id === id) this.logs.delete(logId);
        this.changed();
      }
    }
    for (const [id, backup] of this.backups) {
      if (isGone(backup, now)) {
        this.backups.delete(id);
        this.changed();
      }
    }
  }

  liveInstances(caller: Caller): InstanceRecord[] {
    this.sweep();
    return [...this.instances.values()].filter((instance) => this.visible(caller, instance));
  }

  liveBackups(caller: Caller): BackupRecord[] {
    this.sweep();
    return [...this.backups.values()].filter((backup) => this.visible(caller, backup));
  }

  instance(caller: Caller, id: string): Lookup<InstanceRecord> {
    this.sweep();
    const instance = this.instances.get(id);
    return instance && this.visible(caller, instance)
      ? { ok: true, value: instance }
      : { ok: false, response: notFound("instance", id) };
  }

  backup(caller: Caller, id: string): Lookup<BackupRecord> {
    this.sweep();
    const backup = this.backups.get(id);
    return backup && this.visible(caller, backup)
      ? { ok: true, value: backup }
      : { ok: false, response: notFound("database_backup", id) };
  }

  /** 409 transient_state unless the instance is ready. */
  requireReady(instance: InstanceRecord): EmulatorResponse | undefined {
    const status = instanceStatus(instance, this.now());
    return status === "ready" ? undefined : transientState("instance", instance.id, status);
  }

  requireBackupReady(backup: BackupRecord): EmulatorResponse | undefined {
    const status = backupStatus(backup, this.now());
    return status === "ready" ? undefined : transientState("database_backup", backup.id, status);
  }

  reset(): void {
    this.instances.clear();
    this.backups.clear();
    this.logs.clear();
    this.data.clear();
  }

  exportState(): PersistedState {
    return {
      instances: [...this.instances.values()],
      backups: [...this.backups.values()],
      logs: [...this.logs.values()],
      data: this.data.exportState(),
    };
  }

  importState(state: unknown): void {
    const persisted = state as Partial<PersistedState>;
    this.instances = new Map((persisted.instances ?? []).map((instance) => [instance.id, instance]));
    this.backups = new Map((persisted.backups ?? []).map((backup) => [backup.id, backup]));
    this.logs = new Map((persisted.logs ?? []).map((log) => [log.id, log]));
    this.data.importState(persisted.data);
  }
}
