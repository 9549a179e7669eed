// Stored RDB resources and how they look on the wire. Statuses are lazy: a record keeps when its current operation
// ends, and the status is computed from the clock on every read (deterministic, and it survives restarts).
import { createHash } from "node:crypto";
import {
  provisionedSettings,
  type SizeClass,
  upgradableVersions,
  type VolumeType,
  volumeClass,
} from "./catalogue";
import { type EndpointRecord, isListed, renderEndpoint } from "./endpoint-records";
import { liveReplicas, type ReadReplicaRecord, renderReadReplica } from "./replica-records";

export interface Setting {
  name: string;
  value: string;
}

export type InstanceStatus =
  | "ready"
  | "provisioning"
  | "configuring"
  | "deleting"
  | "initializing"
  | "backuping"
  | "restarting"
  | "snapshotting"
  | "error";

export type BackupStatus = "creating" | "ready" | "restoring" | "deleting" | "exporting" | "error";

/** A transient status and the clock time it ends at. */
export interface Busy<S extends string> {
  status: S;
  until: number;
}

export interface MaintenanceRecord {
  starts_at: number;
  stops_at: number;
  forced_at: number;
  closed_at: number | null;
  reason: string;
  status: "pending" | "done";
}

export interface InstanceLogRecord {
  id: string;
  instance_id: string;
  region: string;
  node_name: string;
  created_at: number;
  expires_at: number;
  ready_at: number;
  download_url: string;
}

export interface InstanceRecord {
  id: string;
  region: string;
  name: string;
  organization_id: string;
  project_id: string;
  engine: string;
  engine_family: string;
  tags: string[];
  node_type: string;
  size_class: SizeClass;
  is_ha_cluster: boolean;
  volume: { type: VolumeType; size: number };
  init_settings: Setting[];
  /** What the instance reports once provisioned (engine defaults, then user changes). */
  settings: Setting[];
  backup_schedule: {
    frequency: number;
    retention: number;
    disabled: boolean;
    start_hour: number | null;
    next_run_at: number | null;
  };
  logs_policy: { max_age_retention: number; total_disk_retention: number | null };
  backup_same_region: boolean;
  encryption_enabled: boolean;
  endpoint: { id: string; ip: string; port: number } | null;
  maintenances: MaintenanceRecord[];
  users: Array<{ name: string; is_admin: boolean }>;
  created_at: number;
  busy: Busy<InstanceStatus> | null;
  /** Set by DELETE: `deleting` until then, gone after. */
  gone_at: number | null;
  /** Set by the `fail` test control: the status is `error` from then on. Absent in state saved by older versions. */
  failed_at?: number | null;
  certificate_serial: number;
  /**
   * Endpoints beyond the default public one (`endpoint`): Private Network ones, and those added or being removed
   * through the endpoints API. Absent in state saved by older versions, like the three fields below.
   */
  endpoints?: EndpointRecord[];
  /** The networks allowed to reach the public endpoint; absent means the default rule (any address). */
  acl_rules?: AclRuleRecord[];
  /** Permissions set on (database, user) pairs; a pair not listed has `none`. */
  privileges?: PrivilegeRecord[];
  read_replicas?: ReadReplicaRecord[];
}

export interface AclRuleRecord {
  ip: string;
  description: string;
}

export interface PrivilegeRecord {
  database_name: string;
  user_name: string;
  permission: string;
}

export interface BackupRecord {
  id: string;
  region: string;
  instance_id: string;
  instance_name: string;
  project_id: string;
  organization_id: string;
  database_name: string;
  name: string;
  created_at: number;
  expires_at: number | null;
  same_region: boolean;
  size: number;
  /** The stored file (emulator/files.ts) holding the backup's archive. */
  dump_file: string;
  /** When the first `creating` phase ends: size and updated_at are unknown until then. */
  created_until: number;
  busy: Busy<BackupStatus> | null;
  export: { url: string; expires_at: number; ready_at: number } | null;
  gone_at: number | null;
  /** Set by the `fail` test control: the status is `error` from then on. Absent in state saved by older versions. */
  failed_at?: number | null;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000Z");
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export function isGone(record: { gone_at: number | null }, now: number): boolean {
  return record.gone_at !== null && now >= record.gone_at;
}

function hasFailed(record: { failed_at?: number | null }, now: number): boolean {
  return record.failed_at !== undefined && record.failed_at !== null && now >= record.failed_at;
}

/** When a record told to fail reaches `error`: as its current operation ends, or now when it is idle. */
export function failureTime(record: { busy: Busy<string> | null }, now: number): number {
  return record.busy && now < record.busy.until ? record.busy.until : now;
}

export function instanceStatus(instance: InstanceRecord, now: number): InstanceStatus {
  if (instance.gone_at !== null) return "deleting";
  if (hasFailed(instance, now)) return "error";
  if (instance.busy && now < instance.busy.until) return instance.busy.status;
  return "ready";
}

/** The status of a record that cannot fail: `deleting` once deleted, its operation's meanwhile, `ready` otherwise. */
export function operationStatus<S extends string>(
  record: { gone_at: number | null; busy: Busy<S> | null },
  now: number,
): S | "deleting" | "ready" {
  if (record.gone_at !== null) return "deleting";
  if (record.busy && now < record.busy.until) return record.busy.status;
  return "ready";
}

export function backupStatus(backup: BackupRecord, now: number): BackupStatus {
  if (backup.gone_at !== null) return "deleting";
  if (hasFailed(backup, now)) return "error";
  if (backup.busy && now < backup.busy.until) return backup.busy.status;
  return "ready";
}

/** A sort of a list route, which may depend on the clock (statuses do). */
export type ListOrder<T> = (a: T, b: T, now: number) => number;

/**
 * The `order_by` values instance and backup lists share (creation time, name, status), with `extra` ones listed
 * between name and status as the API lists them.
 */
export function listOrders<T extends { created_at: number; name: string }>(
  statusOf: (record: T, now: number) => string,
  extra: Record<string, ListOrder<T>> = {},
): Record<string, ListOrder<T>> {
  return {
    created_at_asc: (a, b) => a.created_at - b.created_at,
    created_at_desc: (a, b) => b.created_at - a.created_at,
    name_asc: (a, b) => a.name.localeCompare(b.name),
    name_desc: (a, b) => b.name.localeCompare(a.name),
    ...extra,
    status_asc: (a, b, now) => statusOf(a, now).localeCompare(statusOf(b, now)),
    status_desc: (a, b, now) => statusOf(b, now).localeCompare(statusOf(a, now)),
  };
}

export function hasProvisioned(instance: InstanceRecord, now: number): boolean {
  return !(instance.busy?.status === "provisioning" && now < instance.busy.until);
}

export function defaultSettings(instance: Pick<InstanceRecord, "engine_family" | "size_class">): Setting[] {
  return provisionedSettings(instance.engine_family, instance.size_class);
}

function maintenanceWire(maintenance: MaintenanceRecord, now: number): object {
  return {
    closed_at: isoOrNull(maintenance.closed_at),
    forced_at: iso(maintenance.forced_at),
    is_applicable: maintenance.status === "pending" && now >= maintenance.starts_at,
    reason: maintenance.reason,
    starts_at: iso(maintenance.starts_at),
    status: maintenance.status,
    stops_at: iso(maintenance.stops_at),
  };
}

export function renderMaintenance(maintenance: MaintenanceRecord, now: number): object {
  return maintenanceWire(maintenance, now);
}

/** The endpoints an instance lists: the added ones set up by now, then the default public one once provisioned. */
export function listedEndpoints(
  instance: InstanceRecord,
  now: number,
  provisioned: boolean,
): EndpointRecord[] {
  const added = (instance.endpoints ?? []).filter((endpoint) => isListed(endpoint, now));
  if (!provisioned || !instance.endpoint) return added;
  const { id, ip, port } = instance.endpoint;
  const initial: EndpointRecord = {
    id,
    ip,
    port,
    kind: "load_balancer",
    private_network: null,
    ready_at: instance.created_at,
    removed_at: null,
  };
  return [...added, initial];
}

/** The Instance object as the API returns it; `announced` forces the status a mutation has just started. */
export function renderInstance(instance: InstanceRecord, now: number, announced?: InstanceStatus): object {
  const status = announced ?? instanceStatus(instance, now);
  const provisioned = status !== "provisioning" && hasProvisioned(instance, now);
  const endpoints = listedEndpoints(instance, now, provisioned);
  const endpoint = endpoints.find((listed) => listed.kind === "load_balancer");
  return {
    backup_same_region: instance.backup_same_region,
    backup_schedule: {
      disabled: instance.backup_schedule.disabled,
      frequency: instance.backup_schedule.frequency,
      next_run_at: instance.backup_schedule.disabled ? null : isoOrNull(instance.backup_schedule.next_run_at),
      retention: instance.backup_schedule.retention,
    },
    created_at: iso(instance.created_at),
    encryption: { enabled: instance.encryption_enabled },
    endpoint: endpoint ? renderEndpoint(endpoint) : null,
    endpoints: endpoints.map(renderEndpoint),
    engine: instance.engine,
    // The only value the recorded API (2026-08) reports, HA clusters included.
    high_availability_mode: "unknown_high_availability_mode",
    id: instance.id,
    init_settings: instance.init_settings.map((setting) => ({ ...setting })),
    is_ha_cluster: instance.is_ha_cluster,
    logs_policy: { ...instance.logs_policy },
    maintenances: instance.maintenances.map((maintenance) => maintenanceWire(maintenance, now)),
    name: instance.name,
    node_type: instance.node_type,
    organization_id: instance.organization_id,
    project_id: instance.project_id,
    read_replicas: liveReplicas(instance.read_replicas, now).map((replica) =>
      renderReadReplica(replica, now),
    ),
    region: instance.region,
    settings: provisioned ? instance.settings.map((setting) => ({ ...setting })) : [],
    status,
    tags: [...instance.tags],
    upgradable_version: upgradableVersions(instance.engine),
    volume: {
      class: volumeClass(instance.volume.type),
      size: instance.volume.size,
      type: instance.volume.type,
    },
  };
}

export function renderBackup(backup: BackupRecord, now: number, announced?: BackupStatus): object {
  const created = now >= backup.created_until;
  const exported = backup.export !== null && now >= backup.export.ready_at;
  return {
    created_at: iso(backup.created_at),
    database_name: backup.database_name,
    download_url: exported ? backup.export?.url : null,
    download_url_expires_at: exported && backup.export ? iso(backup.export.expires_at) : null,
    expires_at: isoOrNull(backup.expires_at),
    id: backup.id,
    instance_id: backup.instance_id,
    instance_name: backup.instance_name,
    name: backup.name,
    region: backup.region,
    same_region: backup.same_region,
    size: created ? backup.size : null,
    status: announced ?? backupStatus(backup, now),
    updated_at: created ? iso(backup.created_until) : null,
  };
}

export function renderInstanceLog(log: InstanceLogRecord, now: number): object {
  const ready = now >= log.ready_at;
  return {
    created_at: iso(log.created_at),
    download_url: ready ? log.download_url : null,
    expires_at: iso(log.expires_at),
    id: log.id,
    node_name: log.node_name,
    region: log.region,
    status: ready ? "ready" : "creating",
  };
}

/** Stable pseudo-certificate bytes per instance and renewal, so renewing visibly changes the certificate. */
function certificateBytes(instance: InstanceRecord): Buffer {
  const blocks = Array.from({ length: 12 }, (_, index) =>
    createHash("sha512").update(`${instance.id}:${instance.certificate_serial}:${index}`).digest(),
  );
  return Buffer.concat(blocks);
}

/** The instance's TLS certificate as GET /certificate answers it: a base64 PEM file (the server's, when it has one). */
export function renderCertificate(instance: InstanceRecord, serverPem: string | undefined): object {
  const body = certificateBytes(instance)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  const pem = serverPem ?? `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  return {
    content: Buffer.from(pem).toString("base64"),
    content_type: "application/x-pem-file",
    name: "ssl_certificate",
  };
}

const METRIC_NAMES = ["cpu_usage_percent", "mem_usage_percent", "total_connections", "disk_usage_percent"];

/** One flat point per metric (or only `metricName`'s), as an idle instance reports them. */
export function renderMetrics(instance: InstanceRecord, now: number, metricName: string | null): object {
  return {
    timeseries: METRIC_NAMES.filter((name) => !metricName || name === metricName).map((name) => ({
      name,
      points: [[new Date(now).toISOString(), 0]],
      metadata: { node: instance.id.slice(0, 8) },
    })),
  };
}
