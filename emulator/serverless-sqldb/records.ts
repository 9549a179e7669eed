// The emulated Scaleway Serverless SQL databases and their automatic backups as stored records: timings by profile,
// lazily derived daily backups, and the JSON shapes of the recorded v1alpha1 traffic.
import { createHash } from "node:crypto";
import { pgDumpText } from "../data-plane";
import type { TimeProfile } from "../framework";

export const REGIONS = ["fr-par"] as const;
export const ENGINE_MAJOR_VERSION = 16;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Automatic backups are taken daily and kept seven days. */
export const BACKUP_INTERVAL_MS = DAY_MS;
export const BACKUP_RETENTION_MS = 7 * DAY_MS;
/** Export download URLs last one day, like the presigned URLs of the recorded RDB exports (X-Amz-Expires=86400). */
export const EXPORT_URL_TTL_MS = DAY_MS;

/**
 * Milliseconds each transition takes. `realistic` fits the recording: ready 10–15 s after creation, gone (403) 5–10 s
 * after deletion while a GET in the same second still shows `deleting`.
 */
export const TIMINGS: Record<
  TimeProfile,
  { create: number; delete: number; restore: number; export: number }
> = {
  instant: { create: 0, delete: 0, restore: 0, export: 0 },
  fast: { create: 1000, delete: 500, restore: 1000, export: 500 },
  realistic: { create: 10_000, delete: 3_000, restore: 30_000, export: 20_000 },
};

export type DatabaseStatus = "creating" | "ready" | "deleting" | "restoring";

export interface SdbDatabase {
  id: string;
  name: string;
  projectId: string;
  region: string;
  createdAt: number;
  cpuMin: number;
  cpuMax: number;
  deleteRequestedAt: number | null;
  restoringUntil: number | null;
  /** On the real data plane, the loopback port its server answers on. */
  serverPort?: number;
}

/** A backup taken on demand through the test-control route (real ones are only taken by the daily schedule). */
export interface ManualBackup {
  id: string;
  databaseId: string;
  createdAt: number;
  /** On the real data plane, the stored file (emulator/files.ts) of the pg_dump archive taken then. */
  dumpFile?: string;
}

export interface BackupExport {
  backupId: string;
  requestedAt: number;
  url: string | null;
  urlExpiresAt: number | null;
  /** On the real data plane, the stored file of the pg_dump archive the export serves. */
  dumpFile?: string;
}

export interface SdbBackup {
  id: string;
  database: SdbDatabase;
  createdAt: number;
  expiresAt: number;
}

/** A UUID-shaped id derived from `seed`, so lazily generated backups keep the same id on every request. */
export function stableUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function isGone(database: SdbDatabase, profile: TimeProfile, nowMs: number): boolean {
  return database.deleteRequestedAt !== null && nowMs >= database.deleteRequestedAt + TIMINGS[profile].delete;
}

export function databaseStatus(database: SdbDatabase, profile: TimeProfile, nowMs: number): DatabaseStatus {
  if (database.deleteRequestedAt !== null) return "deleting";
  if (nowMs < database.createdAt + TIMINGS[profile].create) return "creating";
  if (database.restoringUntil !== null && nowMs < database.restoringUntil) return "restoring";
  return "ready";
}

/** The daily backups alive at `nowMs`: one per full day since creation, each expiring seven days after it was taken. */
export function dailyBackups(database: SdbDatabase, nowMs: number): SdbBackup[] {
  const newest = Math.floor((nowMs - database.createdAt) / BACKUP_INTERVAL_MS);
  const oldest = Math.max(
    1,
    Math.floor((nowMs - BACKUP_RETENTION_MS - database.createdAt) / BACKUP_INTERVAL_MS) + 1,
  );
  const backups: SdbBackup[] = [];
  for (let day = oldest; day <= newest; day++) {
    const createdAt = database.createdAt + day * BACKUP_INTERVAL_MS;
    backups.push({
      id: stableUuid(`${database.id}/daily/${day}`),
      database,
      createdAt,
      expiresAt: createdAt + BACKUP_RETENTION_MS,
    });
  }
  return backups;
}

/** Microsecond-precision RFC 3339, as the recorded responses print dates (`2025-01-24T14:46:29.021910Z`). */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

/** Where the database answers: its real server on the real data plane, else the service's host name. */
function endpointOf(database: SdbDatabase): string {
  const host =
    database.serverPort === undefined
      ? `${database.id}.pg.sdb.${database.region}.scw.cloud:5432`
      : `127.0.0.1:${database.serverPort}`;
  return `postgres://${host}/${database.name}?sslmode=require`;
}

export function databaseJson(database: SdbDatabase, status: DatabaseStatus): Record<string, unknown> {
  return {
    cpu_current: 0,
    cpu_max: database.cpuMax,
    cpu_min: database.cpuMin,
    created_at: timestamp(database.createdAt),
    endpoint: endpointOf(database),
    engine_major_version: ENGINE_MAJOR_VERSION,
    id: database.id,
    name: database.name,
    organization_id: database.projectId,
    project_id: database.projectId,
    region: database.region,
    started: false,
    status,
  };
}

/** A pg_dump-like plain SQL export of the backed-up database. */
export function exportContent(backup: SdbBackup): Buffer {
  return Buffer.from(
    pgDumpText([
      `Dumped from database version ${ENGINE_MAJOR_VERSION}.4`,
      `Database: ${backup.database.name} (${backup.database.id})`,
      `Backup: ${backup.id} taken at ${timestamp(backup.createdAt)}`,
    ]),
  );
}

export function backupJson(backup: SdbBackup, exported: BackupExport | undefined): Record<string, unknown> {
  const seed = Number.parseInt(createHash("sha256").update(backup.id).digest("hex").slice(0, 6), 16);
  return {
    created_at: timestamp(backup.createdAt),
    database_id: backup.database.id,
    db_size: 7_500_000 + (seed % 1_000_000),
    download_url: exported?.url ?? null,
    download_url_expires_at: exported?.urlExpiresAt ? timestamp(exported.urlExpiresAt) : null,
    expires_at: timestamp(backup.expiresAt),
    id: backup.id,
    organization_id: backup.database.projectId,
    project_id: backup.database.projectId,
    region: backup.database.region,
    size: exportContent(backup).length,
    status: "ready",
  };
}
