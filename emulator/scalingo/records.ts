// The emulated Scalingo resources (database addons and their backups), their timings, and their JSON shapes
// as the real main API and database API answer them (developers documentation and go-scalingo types).
import { randomBytes } from "node:crypto";
import type { TimeProfile } from "../framework";

export const DATABASE_TYPES = ["postgresql", "mysql", "mongodb", "redis", "influxdb", "opensearch"] as const;
export type DatabaseType = (typeof DATABASE_TYPES)[number];

export const PROVIDER_NAMES: Record<DatabaseType, string> = {
  postgresql: "Scalingo for PostgreSQL®",
  mysql: "Scalingo for MySQL®",
  mongodb: "Scalingo for MongoDB®",
  redis: "Scalingo for Caching",
  influxdb: "Scalingo for InfluxDB®",
  opensearch: "Scalingo for OpenSearch®",
};

/**
 * Schedule of a new paid database: periodic backups enabled at midnight UTC, as the database API's documented
 * example object shows (`"periodic_backups_enabled": true, "periodic_backups_scheduled_at": [0]`).
 */
export const DEFAULT_PERIODIC_BACKUP_HOURS: readonly number[] = [0];

/** Manual backups rotate out by themselves: the newest 10 are kept on Starter plans, 50 on Business plans. */
export const MANUAL_BACKUPS_KEPT = { starter: 10, business: 50 } as const;

export type PlanTier = "sandbox" | "starter" | "business";

export type BackupStatus = "scheduled" | "pending" | "running" | "done";

/** Milliseconds after creation at which a backup becomes pending, running, then done. */
export const BACKUP_TIMINGS: Record<TimeProfile, { pending: number; running: number; done: number }> = {
  instant: { pending: 0, running: 0, done: 0 },
  fast: { pending: 200, running: 500, done: 1500 },
  realistic: { pending: 5_000, running: 15_000, done: 90_000 },
};

export interface ScalingoDatabase {
  addonId: string;
  app: string;
  appId: string;
  type: DatabaseType;
  plan: string;
  resourceId: string;
  createdAt: number;
  periodicBackupsEnabled: boolean;
  periodicBackupsScheduledAt: number[];
  /** On the real data plane, where a PostgreSQL addon's server answers and the stored file of its user's password. */
  server?: { port: number; passwordFile: string };
}

export interface ScalingoBackup {
  id: string;
  addonId: string;
  createdAt: number;
  method: "periodic" | "manual";
  /** On the real data plane, the stored file of the pg_dump archive a manual backup of a PostgreSQL addon took. */
  dumpFile?: string;
}

export function planTier(plan: string): PlanTier {
  if (/sandbox|free/.test(plan)) return "sandbox";
  if (/business|enterprise/.test(plan)) return "business";
  return "starter";
}

/** A 24-hex-digit id like the MongoDB ObjectIds Scalingo uses (timestamp first, so ids sort by creation). */
export function objectId(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, "0");
  return `${seconds}${randomBytes(8).toString("hex")}`;
}

export function backupStatus(backup: ScalingoBackup, profile: TimeProfile, nowMs: number): BackupStatus {
  const elapsed = nowMs - backup.createdAt;
  const timings = BACKUP_TIMINGS[profile];
  if (elapsed >= timings.done) return "done";
  if (elapsed >= timings.running) return "running";
  if (elapsed >= timings.pending) return "pending";
  return "scheduled";
}

/** `20180902010000_kibana-3938`: creation time (UTC) then the database's resource id. */
export function backupName(backup: ScalingoBackup, database: ScalingoDatabase): string {
  const stamp = new Date(backup.createdAt).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${stamp}_${database.resourceId}`;
}

function planDisplayName(plan: string): string {
  const tier = planTier(plan);
  const size = /(\d+)$/.exec(plan)?.[1];
  const label = tier.charAt(0).toUpperCase() + tier.slice(1);
  return size ? `${label} ${size}M` : label;
}

export function addonJson(database: ScalingoDatabase): Record<string, unknown> {
  return {
    id: database.addonId,
    app_id: database.appId,
    resource_id: database.resourceId,
    status: "running",
    plan: {
      id: `plan-${database.plan}`,
      name: database.plan,
      display_name: planDisplayName(database.plan),
      price: planTier(database.plan) === "sandbox" ? 0 : 14.4,
      description: `${planDisplayName(database.plan)} plan`,
      position: 1,
      on_demand: null,
    },
    addon_provider: {
      id: `scalingo-${database.type}`,
      name: PROVIDER_NAMES[database.type],
      logo_url: `//cdn.scalingo.com/addons/Scalingo_${database.type}.svg`,
    },
    provisioned_at: new Date(database.createdAt).toISOString(),
    deprovisioned_at: null,
  };
}

export function databaseJson(database: ScalingoDatabase): Record<string, unknown> {
  const hostname = `${database.resourceId}.${database.type}.dbs.scalingo.com`;
  return {
    id: database.addonId,
    resource_id: database.resourceId,
    app_name: database.app,
    created_at: new Date(database.createdAt).toISOString(),
    encryption_at_rest: false,
    features: [{ name: "force-ssl", status: "ACTIVATED" }],
    plan: database.plan,
    status: "running",
    type_id: `type-${database.type}`,
    type_name: database.type,
    version_id: `version-${database.type}`,
    readable_version: database.type === "postgresql" ? "16.4.0-1" : "1.0.0-1",
    hostname,
    instances: [
      {
        id: `${database.addonId}-node-1`,
        hostname,
        port: database.type === "postgresql" ? 5432 : 30000,
        status: "running",
        type: "db-node",
        features: [],
        private_ip: "10.0.0.2",
      },
    ],
    cluster: planTier(database.plan) === "business",
    current_operation_id: "",
    next_version_id: "",
    periodic_backups_enabled: database.periodicBackupsEnabled,
    periodic_backups_scheduled_at: [...database.periodicBackupsScheduledAt],
    maintenance_window: { weekday_utc: 1, starting_hour_utc: 2, duration_in_hour: 8 },
  };
}

/** What a backup looks like at one moment: computed from its creation time and the time profile. */
export interface BackupProgress {
  status: BackupStatus;
  startedAt: number | null;
  size: number | null;
}

export function backupProgress(backup: ScalingoBackup, profile: TimeProfile, nowMs: number): BackupProgress {
  const status = backupStatus(backup, profile, nowMs);
  const started = status === "running" || status === "done";
  return {
    status,
    startedAt: started ? backup.createdAt + BACKUP_TIMINGS[profile].running : null,
    size: status === "scheduled" ? null : 0,
  };
}

export function backupJson(
  backup: ScalingoBackup,
  database: ScalingoDatabase,
  progress: BackupProgress,
): Record<string, unknown> {
  return {
    id: backup.id,
    created_at: new Date(backup.createdAt).toISOString(),
    started_at: progress.startedAt === null ? null : new Date(progress.startedAt).toISOString(),
    name: backupName(backup, database),
    size: progress.size,
    status: progress.status,
    database_id: database.addonId,
    method: backup.method,
    type: database.type,
  };
}
