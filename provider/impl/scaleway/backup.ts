// DatabaseBackup provider: a logical backup of one database, optionally exported with a download URL that the next
// `up` renews once it is about to expire (previews and refreshes never count that as a change).
import type { z } from "zod";
import type { DatabaseBackup as ApiBackup, RdbApi } from "../../../sdk";
import { batchedLookup } from "../batched-lookup";
import { checkedInputs, diffByTable, sameValue } from "../declaration";
import { appliedAtMs, isRenewalDue, renewalDue, SCALEWAY_RENEW_BEFORE_MS } from "../download-url";
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
import { backupDeclaration, backupInputSchema } from "./backup.declaration";
import { rdbApi } from "./clients";
import { createdByThisProcess } from "./instance";
import { checkNamedCopy } from "./named-copies";

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

type BackupInputs = z.output<typeof backupInputSchema> & { name: string };

const label = (inputs: { name?: unknown }) => `scaleway:DatabaseBackup ${String(inputs.name ?? "")}`;

/** The API rewrites dates (`…00Z` comes back as `…00.000000Z`): the same instant is the same value. */
const sameInstant = (a: unknown, b: unknown) =>
  sameValue(backupDeclaration.inputs.expiresAt, a ?? null, b ?? null);

/**
 * The outputs for `backup`, on top of `inputs` (the inputs, or the previous outputs on read). When exported but the
 * API reports no URL (the real service may stop reporting an expired one), the last known URL and its expiry stay:
 * they say when it expired, and the next `up` renews it.
 */
function outputsOf(backup: ApiBackup, inputs: Outputs, exported: boolean): Outputs {
  const region = backup.region;
  const url = backup.downloadUrl
    ? { downloadUrl: backup.downloadUrl, downloadUrlExpiresAt: backup.downloadUrlExpiresAt ?? null }
    : { downloadUrl: inputs.downloadUrl ?? null, downloadUrlExpiresAt: inputs.downloadUrlExpiresAt ?? null };
  return plainObject({
    ...inputs,
    instanceId: formatRegionalId(region, backup.instanceId),
    databaseName: backup.databaseName,
    name: backup.name,
    expiresAt: sameInstant(inputs.expiresAt, backup.expiresAt)
      ? (inputs.expiresAt ?? null)
      : backup.expiresAt,
    exported,
    backupId: backup.id,
    status: backup.status,
    size: backup.size ?? null,
    instanceName: backup.instanceName,
    createdAt: backup.createdAt,
    updatedAt: backup.updatedAt ?? null,
    region,
    sameRegion: backup.sameRegion,
    downloadUrl: exported ? url.downloadUrl : null,
    downloadUrlExpiresAt: exported ? url.downloadUrlExpiresAt : null,
  });
}

/**
 * Exports the backup (`current`, as its wait just saw it) unless its URL stays valid beyond the renewal window at
 * `atMs`, and waits for the URL.
 */
async function ensureExported(
  api: RdbApi,
  region: string,
  current: ApiBackup,
  timeouts: Timeouts | undefined,
  name: string,
  atMs: number,
) {
  const backupId = current.id;
  const url = {
    downloadUrl: current.downloadUrl ?? null,
    downloadUrlExpiresAt: current.downloadUrlExpiresAt ?? null,
  };
  if (!isRenewalDue(url, atMs, SCALEWAY_RENEW_BEFORE_MS)) return current;
  console.log(`scaleway:DatabaseBackup ${name}: exporting`);
  await api.exportDatabaseBackup({ region, databaseBackupId: backupId });
  return api.waitForDatabaseBackup(
    { region, databaseBackupId: backupId },
    {
      deadlineMs: timeoutMs(timeouts, "update", DEFAULT_TIMEOUT_MS),
      onProgress: progressReporter(`scaleway:DatabaseBackup ${name}`),
    },
  );
}

async function settle(
  api: RdbApi,
  region: string,
  backupId: string,
  inputs: BackupInputs,
  op: "create" | "update",
) {
  const backup = await api.waitForDatabaseBackup(
    { region, databaseBackupId: backupId },
    {
      deadlineMs: timeoutMs(inputs.timeouts, op, DEFAULT_TIMEOUT_MS),
      onProgress: progressReporter(label(inputs)),
    },
  );
  if (!inputs.exported) return backup;
  const atMs = appliedAtMs(inputs);
  return ensureExported(api, region, backup, inputs.timeouts, inputs.name, atMs);
}

/**
 * A backup this same resource created in an interrupted run: same instance, database and generated name. Backups
 * with a name the user chose are never adopted this way, since one made outside Pulumi may carry it too.
 */
async function findPrevious(api: RdbApi, region: string, instanceId: string, inputs: BackupInputs) {
  return (await namesakes(api, region, instanceId, inputs))[0];
}

/** The live backups of the instance and database named as `inputs` asks, oldest first. */
async function namesakes(api: RdbApi, region: string, instanceId: string, inputs: BackupInputs) {
  const backups = await batchedLookup(
    `rdb-backups ${api.client.config.apiUrl} ${region}`,
    () => api.listAllDatabaseBackups({ region, instanceId, name: inputs.name }),
    () => api.listAllDatabaseBackups({ region }),
  );
  return backups
    .filter(
      (b) =>
        b.instanceId === instanceId &&
        b.name === inputs.name &&
        b.databaseName === inputs.databaseName &&
        b.status !== "deleting" &&
        b.status !== "error",
    )
    .sort((a, b) => Date.parse(a.createdAt ?? "") - Date.parse(b.createdAt ?? ""));
}

/**
 * Creates the backup once. A create whose answer was lost is found by its generated name or, for a name the user
 * chose, as a backup with that name created since the request left (which the next run can still look for: the
 * time of the send is kept until the create settles).
 */
function createOnce(
  api: RdbApi,
  region: string,
  instanceId: string,
  inputs: BackupInputs,
): Promise<ApiBackup> {
  const generatedName = inputs.__autoName === inputs.name;
  return settleCreate({
    label: label(inputs),
    what: "backup",
    send: () =>
      api.createDatabaseBackup({
        region,
        instanceId,
        databaseName: inputs.databaseName,
        name: inputs.name,
        expiresAt: inputs.expiresAt,
      }),
    find: async (sentAtMs) => {
      const found = await namesakes(api, region, instanceId, inputs);
      if (generatedName) return found[0];
      return found.find((backup) => createdSince(backup.createdAt, sentAtMs));
    },
    describe: (backup) => formatRegionalId(region, backup.id),
    ...(generatedName
      ? {}
      : {
          resumeKey: `scaleway:DatabaseBackup|${inputs.__identity ?? ""}|${region}/${instanceId}|${inputs.databaseName}|${inputs.name}`,
        }),
  });
}

export const databaseBackup: ResourceImpl = {
  check: (olds, news) => checkNamedCopy(backupInputSchema, olds, news),

  /**
   * Compares the managed inputs present in `news` with `olds` (outputs on up and preview; the live object on
   * refresh); output-only fields such as size, updatedAt or the URL's expiry are never compared. A backup in error is
   * replaced. The download URL counts only when an `up` is due to renew it (see download-url.ts).
   */
  async diff(_id, olds, news) {
    const { replaces, updates } = diffByTable(backupDeclaration, olds, news);
    if (olds.status === "error") replaces.push("status");
    const renew = news.exported === true && renewalDue(olds, news, SCALEWAY_RENEW_BEFORE_MS);
    // The replacement keeps the generated name, by which a create finds a backup of an interrupted run: the old
    // backup goes first so that it can never be mistaken for one.
    return {
      changes: replaces.length + updates.length > 0 || renew,
      replaces,
      ...(replaces.length > 0 ? { deleteBeforeReplace: true } : {}),
    };
  },

  async create(raw) {
    const inputs = checkedInputs(backupInputSchema, raw) as BackupInputs;
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(inputs.instanceId);
    if (inputs.adoptId) {
      const { id: backupId } = parseRegionalId(inputs.adoptId, region);
      console.log(`${label(raw)}: adopting existing backup ${backupId}`);
      return databaseBackup
        .update(formatRegionalId(region, backupId), { exported: false }, raw)
        .then(({ outs }) => ({
          id: formatRegionalId(region, backupId),
          outs,
        }));
    }
    const mayHavePrevious = inputs.__autoName === inputs.name && !createdByThisProcess(region, instanceId);
    const previous = mayHavePrevious ? await findPrevious(api, region, instanceId, inputs) : undefined;
    const created = previous ?? (await createOnce(api, region, instanceId, inputs));
    if (previous)
      console.log(`${label(raw)}: found backup ${previous.id} left by an interrupted run; adopting it`);
    const id = formatRegionalId(region, created.id);
    const properties = plainObject({ ...raw, backupId: created.id, status: "error" });
    const backup = await finishCreate(
      { message: `${label(raw)}: created but not ready`, id, inputs: raw, properties },
      () => settle(api, region, created.id, inputs, "create"),
    );
    return { id, outs: outputsOf(backup, raw, inputs.exported) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: backupId } = parseRegionalId(id);
    const previous = props ?? {};
    const backup = await unlessGone(() => api.getDatabaseBackup({ region, databaseBackupId: backupId }));
    if (!backup) return {};
    // `exported` is what the program asked for: the API cannot un-export, and an expired URL it stops reporting is
    // no drift.
    return readResult(id, backupInputSchema, outputsOf(backup, previous, previous.exported === true));
  },

  async update(id, olds, news) {
    const inputs = checkedInputs(backupInputSchema, news) as BackupInputs;
    const api = await rdbApi();
    const { region, id: backupId } = parseRegionalId(id);
    const expiryChanged = inputs.expiresAt !== undefined && !sameInstant(olds.expiresAt, inputs.expiresAt);
    if ((olds.name ?? null) !== inputs.name || expiryChanged) {
      await api.updateDatabaseBackup({
        region,
        databaseBackupId: backupId,
        name: inputs.name,
        expiresAt: inputs.expiresAt,
      });
    }
    const backup = await settle(api, region, backupId, inputs, "update");
    return { outs: outputsOf(backup, news, inputs.exported) };
  },

  async delete(id, props) {
    const api = await rdbApi();
    const { region, id: backupId } = parseRegionalId(id);
    if (!(await unlessGone(() => api.deleteDatabaseBackup({ region, databaseBackupId: backupId })))) return;
    await api.waitForDatabaseBackupDeletion(
      { region, databaseBackupId: backupId },
      {
        deadlineMs: timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUT_MS),
        onProgress: progressReporter(label(props)),
      },
    );
  },
};
