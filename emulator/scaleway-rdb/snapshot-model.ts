// RDB snapshots: a copy of a ready instance's block volume (`creating`, the instance `snapshotting`, meanwhile),
// kept a year by default and outliving its instance, from which a new instance of the same volume type can be made.
import { randomUUID } from "node:crypto";
import { InvalidArguments, TransientState } from "../scaleway-wire";
import { findNodeType, type VolumeType, volumeClass } from "./catalogue";
import { type CopyFilters, type CopyOrigin, checkCopyUpdate, copiedFrom, keptByFilters } from "./copy-lists";
import { type InstanceModel, inheritedFields } from "./instance-model";
import {
  type Busy,
  type InstanceRecord,
  iso,
  isoOrNull,
  type ListOrder,
  operationStatus,
  type Setting,
} from "./records";
import type { Caller, RdbStore } from "./store";
import { checkName, Problems, resolveNodeType } from "./validation";

const YEAR = 365 * 86_400_000;

export type SnapshotStatus = "creating" | "ready" | "deleting";

/** Only block volumes can be snapshotted: local SSDs (lssd) cannot. */
const SNAPSHOT_VOLUME_TYPES: readonly VolumeType[] = ["bssd", "sbs_5k", "sbs_15k"];

export interface SnapshotRecord extends CopyOrigin {
  id: string;
  name: string;
  node_type: string;
  volume: { type: VolumeType; size: number };
  /** What an instance made from the snapshot starts with. */
  source: Pick<InstanceRecord, "engine" | "users" | "settings"> & ReturnType<typeof inheritedFields>;
  created_at: number;
  expires_at: number | null;
  /** When `creating` ends: size and updated_at are unknown until then. */
  created_until: number;
  busy: Busy<SnapshotStatus> | null;
  gone_at: number | null;
}

export function snapshotStatus(snapshot: SnapshotRecord, now: number): SnapshotStatus {
  return operationStatus(snapshot, now);
}

export const SNAPSHOT_ORDERS: Record<string, ListOrder<SnapshotRecord>> = {
  created_at_asc: (a, b) => a.created_at - b.created_at,
  created_at_desc: (a, b) => b.created_at - a.created_at,
  name_asc: (a, b) => a.name.localeCompare(b.name),
  name_desc: (a, b) => b.name.localeCompare(a.name),
  expires_at_asc: (a, b) => (a.expires_at ?? Infinity) - (b.expires_at ?? Infinity),
  expires_at_desc: (a, b) => (b.expires_at ?? Infinity) - (a.expires_at ?? Infinity),
};

export function renderSnapshot(snapshot: SnapshotRecord, now: number, announced?: SnapshotStatus): object {
  const created = now >= snapshot.created_until;
  return {
    created_at: iso(snapshot.created_at),
    expires_at: isoOrNull(snapshot.expires_at),
    id: snapshot.id,
    instance_id: snapshot.instance_id,
    instance_name: snapshot.instance_name,
    name: snapshot.name,
    node_type: snapshot.node_type,
    region: snapshot.region,
    size: created ? snapshot.volume.size : null,
    status: announced ?? snapshotStatus(snapshot, now),
    updated_at: created ? iso(snapshot.created_until) : null,
    volume_type: { class: volumeClass(snapshot.volume.type), type: snapshot.volume.type },
  };
}

export class SnapshotModel {
  constructor(
    private readonly store: RdbStore,
    private readonly instances: InstanceModel,
  ) {}

  async list(caller: Caller, filters: CopyFilters, order: ListOrder<SnapshotRecord>, now: number) {
    return (await this.store.liveSnapshots(caller))
      .filter((snapshot) => keptByFilters(snapshot, filters))
      .sort((a, b) => order(a, b, now));
  }

  private requireReady(snapshot: SnapshotRecord): void {
    const status = snapshotStatus(snapshot, this.store.now());
    if (status !== "ready") throw new TransientState("instance_snapshot", snapshot.id, status);
  }

  /** Snapshots the block volume of a ready instance, which is `snapshotting` until the snapshot is ready. */
  async create(instance: InstanceRecord, body: Record<string, unknown>): Promise<SnapshotRecord> {
    const now = this.store.now();
    const problems = new Problems();
    const name = problems.optionalString(body, "name") || `snapshot-${iso(now).slice(0, 19)}`;
    checkName(problems, name, true);
    const expiresAt = problems.optionalFutureDate(body, "expires_at", now);
    if (!SNAPSHOT_VOLUME_TYPES.includes(instance.volume.type)) {
      problems.add("instance_id", "constraint", `${instance.volume.type} volumes cannot be snapshotted`);
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    const until = now + this.store.duration("snapshotCreate");
    const snapshot: SnapshotRecord = {
      id: randomUUID(),
      ...copiedFrom(instance),
      name,
      node_type: instance.node_type,
      volume: { ...instance.volume },
      source: {
        ...inheritedFields(instance),
        engine: instance.engine,
        users: instance.users.map((user) => ({ ...user })),
        settings: instance.settings.map((setting: Setting) => ({ ...setting })),
      },
      created_at: now,
      expires_at: expiresAt ?? now + YEAR,
      created_until: until,
      busy: { status: "creating", until },
      gone_at: null,
    };
    instance.busy = { status: "snapshotting", until };
    await this.store.data.snapshotInstance(instance.id, snapshot.id);
    this.store.snapshots.set(snapshot.id, snapshot);
    this.store.changed();
    return snapshot;
  }

  update(snapshot: SnapshotRecord, body: Record<string, unknown>): void {
    const apply = checkCopyUpdate(body, this.store.now());
    if (snapshot.gone_at !== null) this.requireReady(snapshot);
    apply(snapshot);
    this.store.changed();
  }

  /** Starts deleting a ready snapshot: `deleting` until it is gone. */
  async remove(snapshot: SnapshotRecord): Promise<void> {
    this.requireReady(snapshot);
    await this.store.data.dropSnapshot(snapshot.id);
    snapshot.gone_at = this.store.now() + this.store.duration("snapshotDelete");
    snapshot.busy = null;
    this.store.changed();
  }

  /**
   * Makes a new instance from a ready snapshot: same engine, users, settings and volume (type and size), on the
   * snapshot's node type or another one from the catalogue.
   */
  async createInstance(
    caller: Caller,
    snapshot: SnapshotRecord,
    body: Record<string, unknown>,
  ): Promise<InstanceRecord> {
    const problems = new Problems();
    const name = problems.optionalString(body, "instance_name") ?? "";
    if (name === "") problems.add("instance_name", "required", "instance_name is required");
    else checkName(problems, name, true);
    const node =
      body.node_type === undefined || body.node_type === null
        ? findNodeType(snapshot.node_type)
        : resolveNodeType(problems, "node_type", body.node_type);
    const isHa = problems.optionalBoolean(body, "is_ha_cluster");
    if (!problems.empty || !node) throw new InvalidArguments(problems.list);
    this.requireReady(snapshot);
    const { source } = snapshot;
    const instance = this.instances.add(caller, {
      ...source,
      project_id: snapshot.project_id,
      organization_id: snapshot.organization_id,
      is_ha_cluster: isHa ?? source.is_ha_cluster,
      name,
      volume: { ...snapshot.volume },
      node,
      operation: "instanceClone",
    });
    instance.users = source.users.map((user) => ({ ...user }));
    instance.settings = source.settings.map((setting) => ({ ...setting }));
    await this.store.provision(instance, { fromSnapshot: snapshot.id });
    return instance;
  }
}
