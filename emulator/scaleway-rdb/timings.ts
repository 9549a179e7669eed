// How long each asynchronous RDB operation takes under each time profile. `realistic` uses the medians measured
// in the recorded real traffic (shared/reference/scaleway-rdb.md, "Real timings").
import type { TimeProfile } from "../framework";

export type Operation =
  | "instanceCreate"
  | "instanceClone"
  | "instanceUpgrade"
  | "instanceDelete"
  | "instanceRestart"
  | "instanceConfigure"
  | "logsPolicyConfigure"
  | "maintenance"
  | "backupCreate"
  | "backupExport"
  | "backupRestore"
  | "logsPrepare"
  | "aclConfigure"
  | "endpointCreate"
  | "endpointDelete"
  | "readReplicaCreate"
  | "readReplicaReset"
  | "readReplicaDelete"
  | "readReplicaPromote"
  | "snapshotCreate"
  | "snapshotDelete";

const SECOND = 1000;

const DURATIONS: Record<Exclude<TimeProfile, "instant">, Record<Operation, number>> = {
  fast: {
    instanceCreate: 2 * SECOND,
    instanceClone: 2 * SECOND,
    instanceUpgrade: 2 * SECOND,
    instanceDelete: 3 * SECOND,
    instanceRestart: 1 * SECOND,
    instanceConfigure: 1 * SECOND,
    logsPolicyConfigure: 300,
    maintenance: 3 * SECOND,
    backupCreate: 400,
    backupExport: 400,
    backupRestore: 400,
    logsPrepare: 300,
    aclConfigure: 2 * SECOND,
    endpointCreate: 2 * SECOND,
    endpointDelete: 2 * SECOND,
    readReplicaCreate: 2 * SECOND,
    readReplicaReset: 1 * SECOND,
    readReplicaDelete: 1 * SECOND,
    readReplicaPromote: 2 * SECOND,
    snapshotCreate: 400,
    snapshotDelete: 400,
  },
  realistic: {
    instanceCreate: 212 * SECOND,
    instanceClone: 200 * SECOND,
    instanceUpgrade: 363 * SECOND,
    instanceDelete: 30 * SECOND,
    instanceRestart: 25 * SECOND,
    instanceConfigure: 40 * SECOND,
    logsPolicyConfigure: 800,
    maintenance: 60 * SECOND,
    backupCreate: 15 * SECOND,
    backupExport: 20 * SECOND,
    backupRestore: 25 * SECOND,
    logsPrepare: 10 * SECOND,
    // ACL changes: `configuring` shows right after, and is over by the next poll (≤ 30 s).
    aclConfigure: 15 * SECOND,
    // Adding a load-balancer endpoint: 154 s `initializing`; removing one: 30 s and 452 s recorded.
    endpointCreate: 154 * SECOND,
    endpointDelete: 60 * SECOND,
    // Read replicas: 181 s to provision, gone ≤ 31 s after DELETE; a promoted instance initializes for 212 s.
    readReplicaCreate: 181 * SECOND,
    readReplicaReset: 120 * SECOND,
    readReplicaDelete: 20 * SECOND,
    readReplicaPromote: 212 * SECOND,
    // Snapshots: `updated_at` shows 8–9 s of `creating`; gone by the next GET after DELETE.
    snapshotCreate: 9 * SECOND,
    snapshotDelete: 5 * SECOND,
  },
};

export function durationOf(profile: TimeProfile, operation: Operation): number {
  return profile === "instant" ? 0 : DURATIONS[profile][operation];
}

/** Presigned download links (backup exports, prepared logs) stay valid this long, as on the real service. */
export const DOWNLOAD_LINK_TTL_MS = 24 * 60 * 60 * SECOND;
