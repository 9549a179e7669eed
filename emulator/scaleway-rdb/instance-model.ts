// RDB instances: what a create, update or clone may ask (checked as the real API checks it), and the state machine
// of each operation (provisioning, configuring, restarting, initializing, deleting).
import { randomInt, randomUUID } from "node:crypto";
import { InvalidArguments, isUuid, PermissionsDenied, PreconditionFailed } from "../scaleway-wire";
import { findEngineVersion, findNodeType, type NodeTypeSpec, type VolumeType } from "./catalogue";
import {
  defaultSettings,
  type InstanceRecord,
  instanceStatus,
  type ListOrder,
  listOrders,
  type MaintenanceRecord,
} from "./records";
import type { Caller, RdbStore } from "./store";
import {
  checkBlockVolumeSize,
  checkName,
  checkPassword,
  checkSettings,
  checkUserName,
  objectBody,
  Problems,
  resolveEngine,
  resolveNodeType,
  resolveVolumeType,
} from "./validation";

const HOUR = 3_600_000;

type Order = ListOrder<InstanceRecord>;

export const INSTANCE_ORDERS = listOrders(instanceStatus, {
  region: (a, b) => a.region.localeCompare(b.region),
});

/** The filters of GET /instances. */
export interface InstanceFilters {
  name: string | null;
  tags: string[];
  projectId: string | null;
  organizationId: string | null;
  onlyPendingMaintenances: boolean;
}

/** What a new instance (created, cloned or upgraded to a new major version) is made of. */
export type NewInstance = Pick<
  InstanceRecord,
  | "name"
  | "project_id"
  | "organization_id"
  | "engine"
  | "engine_family"
  | "tags"
  | "is_ha_cluster"
  | "volume"
  | "init_settings"
  | "backup_same_region"
  | "encryption_enabled"
> & {
  node: NodeTypeSpec;
  backupsDisabled: boolean;
  operation: "instanceCreate" | "instanceClone" | "instanceUpgrade";
};

/** A create request once checked: the new instance and its first admin user, if any. */
interface CreateRequest {
  instance: NewInstance;
  userName: string;
  password: string;
}

/** An update request once checked: each field is undefined when left unchanged. */
interface UpdateRequest {
  name?: string;
  tags?: string[];
  frequency?: number;
  retention?: number;
  scheduleDisabled?: boolean;
  startHour?: number;
  sameRegion?: boolean;
  logsPolicy?: InstanceRecord["logs_policy"];
}

function nextBackupRun(now: number, frequencyHours: number, startHour: number | null): number {
  if (startHour === null) return now + frequencyHours * HOUR;
  const next = new Date(now);
  next.setUTCHours(startHour, 0, 0, 0);
  if (next.getTime() <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime();
}

function volumeFor(type: VolumeType, requestedSize: number | undefined, node: NodeTypeSpec) {
  return { type, size: type === "lssd" ? (node.lssdBytes ?? 0) : (requestedSize ?? 0) };
}

/** Notes a node type that cannot keep the instance's lssd volume. */
export function checkLssdNode(
  problems: Problems,
  node: NodeTypeSpec | undefined,
  volumeType: VolumeType,
): void {
  if (node && volumeType === "lssd" && node.lssdBytes === null) {
    problems.add("node_type", "constraint", `node type ${node.name} does not offer lssd volumes`);
  }
}

/** Checks a volume type and size for a node type; lssd has a fixed size, block volumes need one. */
function checkVolume(
  problems: Problems,
  node: NodeTypeSpec | undefined,
  volumeType: VolumeType | undefined,
  volumeSize: unknown,
): number | undefined {
  if (volumeType === "lssd") {
    if (typeof volumeSize === "number" && volumeSize !== 0) {
      problems.add(
        "volume_size",
        "constraint",
        "volume_size cannot be set for lssd volumes (fixed by node type)",
      );
    }
    if (node && node.lssdBytes === null) {
      problems.add("volume_type", "constraint", `node type ${node.name} does not offer lssd volumes`);
    }
    return undefined;
  }
  return volumeType ? checkBlockVolumeSize(problems, "volume_size", volumeSize) : undefined;
}

/** The project a create goes to: the token's project, or the body's, which a bound token may not contradict. */
function targetProject(
  caller: Caller,
  problems: Problems,
  body: Record<string, unknown>,
): { project: string; organization: string } | undefined {
  const projectId = problems.optionalString(body, "project_id");
  const organizationId = problems.optionalString(body, "organization_id");
  if (caller.projectId !== undefined) {
    if (projectId && projectId !== caller.projectId) {
      throw new PermissionsDenied([{ resource: "instance", action: "write" }]);
    }
    return { project: caller.projectId, organization: organizationId || caller.projectId };
  }
  const project = projectId || organizationId;
  if (!project) {
    problems.add("project_id", "required", "project_id is required");
    return undefined;
  }
  if (!isUuid(project)) {
    problems.add("project_id", "format", "must be a UUID");
    return undefined;
  }
  return { project, organization: organizationId || project };
}

/** The first admin user of a create: a user name needs a password, and both follow the API's rules. */
function checkFirstUser(
  problems: Problems,
  body: Record<string, unknown>,
): { userName: string; password: string } {
  const userName = problems.optionalString(body, "user_name") ?? "";
  const password = problems.optionalString(body, "password") ?? "";
  if (userName !== "") {
    checkUserName(problems, "user_name", userName);
    if (password === "") problems.add("password", "required", "password is required with user_name");
  }
  if (password !== "") checkPassword(problems, "password", password);
  return { userName, password };
}

export function checkCreate(caller: Caller, body: Record<string, unknown>): CreateRequest {
  const problems = new Problems();
  const target = targetProject(caller, problems, body);
  const name = problems.optionalString(body, "name") ?? "";
  checkName(problems, name, true);
  const engine = resolveEngine(problems, body.engine);
  const node = resolveNodeType(problems, "node_type", body.node_type);
  const { userName, password } = checkFirstUser(problems, body);
  const volumeType =
    body.volume_type === undefined || body.volume_type === null || body.volume_type === ""
      ? "lssd"
      : resolveVolumeType(problems, "volume_type", body.volume_type);
  const volumeSize = checkVolume(problems, node, volumeType, body.volume_size);
  const tags = problems.optionalStringList(body, "tags") ?? [];
  const isHa = problems.optionalBoolean(body, "is_ha_cluster") ?? false;
  const disableBackup = problems.optionalBoolean(body, "disable_backup") ?? false;
  const backupSameRegion = problems.optionalBoolean(body, "backup_same_region") ?? false;
  const encryption = objectBody(body.encryption);
  const encryptionEnabled = encryption ? (problems.optionalBoolean(encryption, "enabled") ?? false) : false;
  if (!encryption) problems.add("encryption", "format", "must be {enabled: boolean}");
  const catalogue = engine ? findEngineVersion(engine.name) : undefined;
  const initSettings = checkSettings(
    problems,
    "init_settings",
    body.init_settings,
    catalogue?.version.available_init_settings ?? [],
  );
  if (!problems.empty || !engine || !node || !volumeType || !target || !initSettings) {
    throw new InvalidArguments(problems.list);
  }
  const instance: NewInstance = {
    name,
    project_id: target.project,
    organization_id: target.organization,
    engine: engine.name,
    engine_family: engine.family,
    tags,
    is_ha_cluster: isHa,
    volume: volumeFor(volumeType, volumeSize, node),
    init_settings: initSettings,
    backup_same_region: backupSameRegion,
    encryption_enabled: encryptionEnabled,
    node,
    backupsDisabled: disableBackup,
    operation: "instanceCreate",
  };
  return { instance, userName, password };
}

function checkLogsPolicy(
  problems: Problems,
  instance: InstanceRecord,
  raw: unknown,
): InstanceRecord["logs_policy"] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const policy = objectBody(raw);
  if (!policy) {
    problems.add("logs_policy", "format", "must be an object");
    return undefined;
  }
  const maxAge = problems.optionalInteger(policy, "max_age_retention", 1, 365);
  const totalDisk = problems.optionalInteger(policy, "total_disk_retention", 100_000_000, 1_000_000_000_000);
  return {
    max_age_retention: maxAge ?? instance.logs_policy.max_age_retention,
    total_disk_retention: totalDisk ?? instance.logs_policy.total_disk_retention,
  };
}

export function checkUpdate(instance: InstanceRecord, body: Record<string, unknown>): UpdateRequest {
  const problems = new Problems();
  const name = problems.optionalString(body, "name");
  checkName(problems, name, false);
  const update: UpdateRequest = {
    name,
    tags: problems.optionalStringList(body, "tags"),
    frequency: problems.optionalInteger(body, "backup_schedule_frequency", 1, 24 * 7),
    retention: problems.optionalInteger(body, "backup_schedule_retention", 1, 365),
    scheduleDisabled: problems.optionalBoolean(body, "is_backup_schedule_disabled"),
    startHour: problems.optionalInteger(body, "backup_schedule_start_hour", 0, 23),
    sameRegion: problems.optionalBoolean(body, "backup_same_region"),
    logsPolicy: checkLogsPolicy(problems, instance, body.logs_policy),
  };
  if (!problems.empty) throw new InvalidArguments(problems.list);
  return update;
}

/** A copy of what a clone or a major-version upgrade keeps from its source instance. */
export function inheritedFields(instance: InstanceRecord) {
  return {
    project_id: instance.project_id,
    organization_id: instance.organization_id,
    engine_family: instance.engine_family,
    tags: [...instance.tags],
    is_ha_cluster: instance.is_ha_cluster,
    init_settings: instance.init_settings.map((setting) => ({ ...setting })),
    backup_same_region: instance.backup_same_region,
    encryption_enabled: instance.encryption_enabled,
    backupsDisabled: instance.backup_schedule.disabled,
  };
}

export class InstanceModel {
  constructor(private readonly store: RdbStore) {}

  async list(caller: Caller, filters: InstanceFilters, order: Order, now: number): Promise<InstanceRecord[]> {
    const { name, tags, projectId, organizationId, onlyPendingMaintenances } = filters;
    return (await this.store.liveInstances(caller))
      .filter((instance) => !name || instance.name.includes(name))
      .filter((instance) => tags.every((tag) => instance.tags.includes(tag)))
      .filter((instance) => !projectId || instance.project_id === projectId)
      .filter((instance) => !organizationId || instance.organization_id === organizationId)
      .filter(
        (instance) =>
          !onlyPendingMaintenances ||
          instance.maintenances.some((maintenance) => maintenance.status === "pending"),
      )
      .sort((a, b) => order(a, b, now));
  }

  /** Stores a new instance in `provisioning` until the operation that makes it ends. */
  add(caller: Caller, fields: NewInstance): InstanceRecord {
    const now = this.store.now();
    const instance: InstanceRecord = {
      id: randomUUID(),
      region: caller.region,
      name: fields.name,
      organization_id: fields.organization_id,
      project_id: fields.project_id,
      engine: fields.engine,
      engine_family: fields.engine_family,
      tags: fields.tags,
      node_type: fields.node.name,
      size_class: fields.node.sizeClass,
      is_ha_cluster: fields.is_ha_cluster,
      volume: fields.volume,
      init_settings: fields.init_settings,
      settings: [],
      backup_schedule: {
        frequency: 24,
        retention: 7,
        disabled: fields.backupsDisabled,
        start_hour: null,
        next_run_at: now + 24 * HOUR,
      },
      logs_policy: { max_age_retention: 30, total_disk_retention: null },
      backup_same_region: fields.backup_same_region,
      encryption_enabled: fields.encryption_enabled,
      endpoint: { id: randomUUID(), ip: "127.0.0.1", port: randomInt(1024, 30000) },
      maintenances: [],
      users: [],
      created_at: now,
      busy: { status: "provisioning", until: now + this.store.duration(fields.operation) },
      gone_at: null,
      certificate_serial: 1,
    };
    instance.settings = defaultSettings(instance);
    this.store.instances.set(instance.id, instance);
    this.store.changed();
    return instance;
  }

  async create(caller: Caller, request: CreateRequest): Promise<InstanceRecord> {
    const instance = this.add(caller, request.instance);
    const admin =
      request.userName === "" ? undefined : { name: request.userName, password: request.password };
    if (admin) instance.users.push({ name: admin.name, is_admin: true });
    await this.store.provision(instance, { admin });
    return instance;
  }

  /** Applies an update; answers whether it reconfigures the instance (a new logs policy does). */
  update(instance: InstanceRecord, update: UpdateRequest): boolean {
    const { frequency, retention, scheduleDisabled, startHour, sameRegion, logsPolicy } = update;
    const status = instanceStatus(instance, this.store.now());
    const needsReady = [frequency, retention, scheduleDisabled, startHour, sameRegion, logsPolicy].some(
      (value) => value !== undefined,
    );
    if (status === "deleting" || (needsReady && status !== "ready")) this.store.requireReady(instance);
    if (update.name !== undefined) instance.name = update.name;
    if (update.tags !== undefined) instance.tags = update.tags;
    if (sameRegion !== undefined) instance.backup_same_region = sameRegion;
    const schedule = instance.backup_schedule;
    if (frequency !== undefined) schedule.frequency = frequency;
    if (retention !== undefined) schedule.retention = retention;
    if (startHour !== undefined) schedule.start_hour = startHour;
    if (scheduleDisabled !== undefined) schedule.disabled = scheduleDisabled;
    if (frequency !== undefined || startHour !== undefined || scheduleDisabled === false) {
      schedule.next_run_at = nextBackupRun(this.store.now(), schedule.frequency, schedule.start_hour);
    }
    this.store.changed();
    if (!logsPolicy) return false;
    instance.logs_policy = logsPolicy;
    this.store.startBusy(instance, "configuring", "logsPolicyConfigure");
    return true;
  }

  /** Starts the deletion; deleting an instance already being deleted is a transient-state conflict. */
  remove(instance: InstanceRecord): void {
    if (instance.gone_at !== null) this.store.requireReady(instance);
    instance.gone_at = this.store.now() + this.store.duration("instanceDelete");
    instance.busy = null;
    this.store.changed();
  }

  async clone(
    caller: Caller,
    instance: InstanceRecord,
    body: Record<string, unknown>,
  ): Promise<InstanceRecord> {
    const problems = new Problems();
    const name = problems.optionalString(body, "name") ?? "";
    checkName(problems, name, true);
    const node =
      body.node_type === undefined || body.node_type === null
        ? findNodeType(instance.node_type)
        : resolveNodeType(problems, "node_type", body.node_type);
    checkLssdNode(problems, node, instance.volume.type);
    if (!problems.empty || !node) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    const cloned = this.add(caller, {
      ...inheritedFields(instance),
      name,
      engine: instance.engine,
      volume: instance.volume.type === "lssd" ? volumeFor("lssd", undefined, node) : { ...instance.volume },
      node,
      operation: "instanceClone",
    });
    cloned.users = instance.users.map((user) => ({ ...user }));
    cloned.settings = instance.settings.map((setting) => ({ ...setting }));
    await this.store.provision(cloned, { copyOf: instance.id });
    return cloned;
  }

  restart(instance: InstanceRecord): void {
    this.store.requireReady(instance);
    this.store.busyWhile(instance, "restarting", "instanceRestart", () =>
      this.store.data.restartInstance(instance.id),
    );
  }

  /** Applies the pending maintenance, which keeps the instance initializing for a while. */
  applyMaintenance(instance: InstanceRecord): MaintenanceRecord {
    this.store.requireReady(instance);
    const pending = instance.maintenances.find((maintenance) => maintenance.status === "pending");
    if (!pending) {
      throw new PreconditionFailed("maintenance_pending", "the instance has no pending maintenance to apply");
    }
    pending.status = "done";
    pending.closed_at = this.store.now() + this.store.duration("maintenance");
    this.store.startBusy(instance, "initializing", "maintenance");
    return pending;
  }

  async renewCertificate(instance: InstanceRecord): Promise<void> {
    this.store.requireReady(instance);
    await this.store.data.renewCertificate(instance.id);
    instance.certificate_serial += 1;
    this.store.changed();
  }
}
