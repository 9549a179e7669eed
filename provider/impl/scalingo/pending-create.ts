// Marker files that let an interrupted DatabaseBackup create be adopted instead of duplicated. Scalingo backups carry
// no name or tag we choose, so "which backup did this resource create?" is answered from what existed before the POST.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ScalingoBackup } from "../../../sdk";

/**
 * Written just before `POST …/backups` and removed once the create has returned (or failed with the backup recorded
 * in state). A marker still present when the same resource is created again means the earlier run stopped while
 * its POST was in flight or unanswered.
 */
export interface PendingCreate {
  identity: string;
  app: string;
  addonId: string;
  /** When the POST was about to be sent (this machine's clock). */
  startedAt: string;
  /** Ids of every backup of the database listed right before the POST. */
  knownBackupIds: string[];
}

/** A marker older than this is from a run too old to trust: manual backups made since may be anyone's. */
export const PENDING_CREATE_MAX_AGE_MS = 24 * 3600_000;

const FAILED = new Set(["error", "cancelled"]);

/** `$PULUMI_DBAAS_STATE_DIR/pending-creates`, default `~/.pulumi-dbaas/pending-creates`. */
export function pendingCreateDir(): string {
  const base = process.env.PULUMI_DBAAS_STATE_DIR || path.join(os.homedir(), ".pulumi-dbaas");
  return path.join(base, "pending-creates");
}

function markerFile(identity: string, app: string, addonId: string): string {
  const key = createHash("sha256").update(`${identity}\n${app}\n${addonId}`).digest("hex").slice(0, 32);
  return path.join(pendingCreateDir(), `scalingo-backup-${key}.json`);
}

export function readPendingCreate(identity: string, app: string, addonId: string): PendingCreate | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile(identity, app, addonId), "utf8")) as PendingCreate;
    const fresh = Date.now() - Date.parse(marker.startedAt) < PENDING_CREATE_MAX_AGE_MS;
    return fresh && Array.isArray(marker.knownBackupIds) ? marker : undefined;
  } catch {
    return undefined;
  }
}

export function writePendingCreate(marker: PendingCreate): void {
  const file = markerFile(marker.identity, marker.app, marker.addonId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(marker, null, 2));
  fs.renameSync(temporary, file);
}

export function clearPendingCreate(identity: string, app: string, addonId: string): void {
  fs.rmSync(markerFile(identity, app, addonId), { force: true });
}

/**
 * The backup the interrupted create made: the oldest manual backup that was not listed before its POST and has not
 * failed. The POST went out right after the listing, so the first new manual backup is the one it made; backups
 * started later by someone else are newer. Undefined when there is none (the POST never reached Scalingo).
 */
export function backupCreatedBy(
  marker: PendingCreate,
  backups: ScalingoBackup[],
): ScalingoBackup | undefined {
  const known = new Set(marker.knownBackupIds);
  return backups
    .filter((backup) => backup.method === "manual" && !known.has(backup.id) && !FAILED.has(backup.status))
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id))[0];
}
