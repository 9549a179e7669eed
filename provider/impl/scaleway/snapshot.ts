// Snapshot provider: a snapshot of an RDB instance's volume, renamed or given another expiry in place. Like backups,
// snapshots take no tags: a generated name is what finds the snapshot of an interrupted create again.
import type { z } from "zod";
import type { RdbApi, Snapshot } from "../../../sdk";
import { batchedLookup } from "../batched-lookup";
import { checkedInputs, diffByTable, sameValue } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { createdSince, settleCreate } from "../settle";
import {
  finishCreate,
  formatRegionalId,
  parseRegionalId,
  plainObject,
  progressReporter,
  type Timeouts,
  timeoutMs,
  unlessGone,
} from "../support";
import { rdbApi } from "./clients";
import { checkNamedCopy } from "./named-copies";
import { snapshotDeclaration, snapshotInputSchema } from "./snapshot.declaration";

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

type SnapshotInputs = z.output<typeof snapshotInputSchema> & { name: string };

const label = (inputs: { name?: unknown }) => `scaleway:Snapshot ${String(inputs.name ?? "")}`;

/** The API rewrites dates (`…00Z` comes back as `…00.000000Z`): the same instant is the same value. */
const sameInstant = (a: unknown, b: unknown) =>
  sameValue(snapshotDeclaration.inputs.expiresAt, a ?? null, b ?? null);

function outputsOf(snapshot: Snapshot, previous: Outputs): Outputs {
  return plainObject({
    ...previous,
    instanceId: formatRegionalId(snapshot.region, snapshot.instanceId),
    name: snapshot.name,
    expiresAt: sameInstant(previous.expiresAt, snapshot.expiresAt)
      ? (previous.expiresAt ?? null)
      : snapshot.expiresAt,
    snapshotId: snapshot.id,
    status: snapshot.status,
    size: snapshot.size,
    nodeType: snapshot.nodeType,
    volumeType: snapshot.volumeType?.type ?? null,
    instanceName: snapshot.instanceName,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    region: snapshot.region,
  });
}

/** The live snapshots of the instance with the name `inputs` asks for, oldest first. */
async function namesakes(api: RdbApi, region: string, instanceId: string, inputs: SnapshotInputs) {
  const snapshots = await batchedLookup(
    `rdb-snapshots ${api.client.config.apiUrl} ${region}`,
    () => api.listAllSnapshots({ region, instanceId, name: inputs.name }),
    () => api.listAllSnapshots({ region }),
  );
  return snapshots
    .filter(
      (s) =>
        s.instanceId === instanceId &&
        s.name === inputs.name &&
        s.status !== "deleting" &&
        s.status !== "error",
    )
    .sort((a, b) => Date.parse(a.createdAt ?? "") - Date.parse(b.createdAt ?? ""));
}

/**
 * Creates the snapshot once the instance is ready. A create whose answer was lost is found by its generated name or,
 * for a name the user chose, as a snapshot with that name taken since the request left.
 */
async function createOnce(api: RdbApi, region: string, instanceId: string, inputs: SnapshotInputs) {
  await api.waitForInstance(
    { region, instanceId },
    {
      deadlineMs: timeoutMs(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS),
      onProgress: progressReporter(label(inputs)),
    },
  );
  const generatedName = inputs.__autoName === inputs.name;
  return settleCreate({
    label: label(inputs),
    what: "snapshot",
    send: () => api.createSnapshot({ region, instanceId, name: inputs.name, expiresAt: inputs.expiresAt }),
    find: async (sentAtMs) => {
      const found = await namesakes(api, region, instanceId, inputs);
      if (generatedName) return found[0];
      return found.find((snapshot) => createdSince(snapshot.createdAt, sentAtMs));
    },
    describe: (snapshot) => formatRegionalId(region, snapshot.id),
    ...(generatedName
      ? {}
      : {
          resumeKey: `scaleway:Snapshot|${inputs.__identity ?? ""}|${region}/${instanceId}|${inputs.name}`,
        }),
  });
}

function waitForSnapshot(
  api: RdbApi,
  region: string,
  snapshotId: string,
  inputs: SnapshotInputs,
  op: "create" | "update",
) {
  return api.waitForSnapshot(
    { region, snapshotId },
    {
      deadlineMs: timeoutMs(inputs.timeouts, op, DEFAULT_TIMEOUT_MS),
      onProgress: progressReporter(label(inputs)),
    },
  );
}

export const snapshot: ResourceImpl = {
  check: (olds, news) => checkNamedCopy(snapshotInputSchema, olds, news),

  /** A snapshot in error is replaced; the old one goes first, so that its generated name never finds it again. */
  async diff(_id, olds, news) {
    const { replaces, updates } = diffByTable(snapshotDeclaration, olds, news);
    if (olds.status === "error") replaces.push("status");
    return {
      changes: replaces.length + updates.length > 0,
      replaces,
      ...(replaces.length > 0 ? { deleteBeforeReplace: true } : {}),
    };
  },

  async create(raw) {
    const inputs = checkedInputs(snapshotInputSchema, raw) as SnapshotInputs;
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(inputs.instanceId);
    if (inputs.adoptId) {
      const { id: snapshotId } = parseRegionalId(inputs.adoptId, region);
      console.log(`${label(raw)}: adopting existing snapshot ${snapshotId}`);
      const id = formatRegionalId(region, snapshotId);
      const current = outputsOf(await api.getSnapshot({ region, snapshotId }), {});
      return { id, outs: (await snapshot.update(id, current, raw)).outs };
    }
    const previous =
      inputs.__autoName === inputs.name ? (await namesakes(api, region, instanceId, inputs))[0] : undefined;
    if (previous)
      console.log(`${label(raw)}: found snapshot ${previous.id} left by an interrupted run; adopting it`);
    const created = previous ?? (await createOnce(api, region, instanceId, inputs));
    const id = formatRegionalId(region, created.id);
    const properties = plainObject({ ...raw, snapshotId: created.id, status: "error" });
    const ready = await finishCreate(
      { message: `${label(raw)}: created but not ready`, id, inputs: raw, properties },
      () => waitForSnapshot(api, region, created.id, inputs, "create"),
    );
    return { id, outs: outputsOf(ready, raw) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: snapshotId } = parseRegionalId(id);
    const live = await unlessGone(() => api.getSnapshot({ region, snapshotId }));
    return live ? readResult(id, snapshotInputSchema, outputsOf(live, props ?? {})) : {};
  },

  async update(id, olds, news) {
    const inputs = checkedInputs(snapshotInputSchema, news) as SnapshotInputs;
    const api = await rdbApi();
    const { region, id: snapshotId } = parseRegionalId(id);
    const expiryChanged = inputs.expiresAt !== undefined && !sameInstant(olds.expiresAt, inputs.expiresAt);
    if ((olds.name ?? null) !== inputs.name || expiryChanged) {
      await api.updateSnapshot({
        region,
        snapshotId,
        name: inputs.name,
        ...(expiryChanged ? { expiresAt: inputs.expiresAt } : {}),
      });
    }
    return { outs: outputsOf(await waitForSnapshot(api, region, snapshotId, inputs, "update"), news) };
  },

  async delete(id, props) {
    const api = await rdbApi();
    const { region, id: snapshotId } = parseRegionalId(id);
    if (!(await unlessGone(() => api.deleteSnapshot({ region, snapshotId })))) return;
    await api.waitForSnapshotDeletion(
      { region, snapshotId },
      {
        deadlineMs: timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUT_MS),
        onProgress: progressReporter(label(props)),
      },
    );
  },
};
