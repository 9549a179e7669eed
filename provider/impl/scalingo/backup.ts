// scalingo:DatabaseBackup provider: one manual backup of a Scalingo database addon, optionally with an archive download
// link the next `up` renews before it expires. The API has no delete: deleting the resource forgets the backup.
import type { z } from "zod";
import {
  type ScalingoBackup,
  type ScalingoBackupArchive,
  type ScalingoClient,
  ScalingoNotFoundError,
} from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { appliedAtMs, isRenewalDue, renewalDue, SCALINGO_RENEW_BEFORE_MS } from "../download-url";
import { identityName, type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { settleCreate, UnsettledCreateError } from "../settle";
import { finishCreate, plainObject, progressReporter, timeoutMs } from "../support";
import { checkInputs } from "../validation";
import { backupDeclaration, backupInputSchema } from "./backup.declaration";
import { scalingoClient } from "./client";
import { backupCreatedBy, clearPendingCreate, readPendingCreate, writePendingCreate } from "./pending-create";
import { formatScalingoId, parseScalingoId } from "./schemas";

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const FAILED_STATUSES = ["error", "cancelled"];

type BackupInputs = z.output<typeof backupInputSchema>;
type Archive = ScalingoBackupArchive | null;

const label = (inputs: { __identity?: unknown }) =>
  `scalingo:DatabaseBackup ${identityName(inputs.__identity)}`;

/**
 * The archive link recorded in `outputs`. Scalingo makes a new link on every request and keeps none, so the recorded
 * one is all there is to read back, expired or not (a link whose expiry is unknown, an opaque `?token=` link, is
 * kept until it is found missing).
 */
function recordedArchive(outputs: Outputs): Archive {
  if (outputs.exported !== true || typeof outputs.downloadUrl !== "string") return null;
  const expiresAt = outputs.downloadUrlExpiresAt;
  return { downloadUrl: outputs.downloadUrl, ...(typeof expiresAt === "string" ? { expiresAt } : {}) };
}

/** The recorded link, when it stays valid beyond the renewal window at `atMs`. */
function reusableArchive(outputs: Outputs, atMs: number): Archive {
  return isRenewalDue(outputs, atMs, SCALINGO_RENEW_BEFORE_MS) ? null : recordedArchive(outputs);
}

function outputsOf(backup: ScalingoBackup, inputs: Outputs, archive: Archive): Outputs {
  return plainObject({
    ...inputs,
    backupId: backup.id,
    name: backup.name,
    status: backup.status,
    size: backup.size ?? null,
    method: backup.method ?? null,
    createdAt: backup.createdAt,
    startedAt: backup.startedAt ?? null,
    downloadUrl: archive?.downloadUrl ?? null,
    downloadUrlExpiresAt: archive?.expiresAt ?? null,
  });
}

/** Waits for the backup to be done and, when exported, makes sure it has a download link that has not expired. */
async function settle(
  client: ScalingoClient,
  ref: { app: string; addonId: string; backupId: string },
  inputs: BackupInputs,
  op: "create" | "update",
  previous: Archive,
): Promise<{ backup: ScalingoBackup; archive: Archive }> {
  const name = label(inputs);
  const backup = await client.waitForBackup(ref, {
    deadlineMs: timeoutMs(inputs.timeouts, op, DEFAULT_TIMEOUT_MS),
    onProgress: progressReporter(name),
  });
  if (!inputs.exported) return { backup, archive: null };
  if (previous) return { backup, archive: previous };
  console.log(`${name}: getting a download link for backup ${backup.id}`);
  return { backup, archive: await client.getBackupArchive(ref) };
}

/**
 * Starts a backup, leaving a marker (see pending-create.ts) while the POST's fate is unknown. A POST refused with an
 * HTTP answer made nothing, so the marker goes; after an ambiguous failure the new backup is looked for at once
 * (see settle.ts), and when its fate stays unknown the marker stays so that the next run looks again before
 * creating another.
 */
async function startBackup(
  client: ScalingoClient,
  inputs: BackupInputs,
  identity: string,
): Promise<ScalingoBackup> {
  const db = { app: inputs.app, addonId: inputs.addonId };
  const known = await client.listBackups(db);
  const marker = {
    identity,
    ...db,
    startedAt: new Date().toISOString(),
    knownBackupIds: known.map((backup) => backup.id),
  };
  writePendingCreate(marker);
  try {
    return await settleCreate({
      label: label(inputs),
      what: "backup",
      send: () => client.createBackup(db),
      find: async () => backupCreatedBy(marker, await client.listBackups(db)),
      describe: (backup) => backup.id,
    });
  } catch (error) {
    if (!(error instanceof UnsettledCreateError)) clearPendingCreate(identity, db.app, db.addonId);
    throw error;
  }
}

export const databaseBackup: ResourceImpl = {
  check: (_olds, news) => checkInputs(backupInputSchema, news),

  /**
   * Compares the managed inputs present in `news` with `olds`; output-only fields (size, status moving on, the link's
   * expiry) are not compared. A failed backup is replaced. The link counts only when an `up` is due to renew it.
   */
  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(backupDeclaration, olds, news);
    if (typeof olds.status === "string" && FAILED_STATUSES.includes(olds.status)) replaces.push("status");
    const renew = news.exported === true && renewalDue(olds, news, SCALINGO_RENEW_BEFORE_MS);
    return { changes: changes || replaces.length > 0 || renew, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(backupInputSchema, raw);
    const client = await scalingoClient();
    const identity = inputs.__identity ?? formatScalingoId(inputs.app, inputs.addonId);
    const pending = readPendingCreate(identity, inputs.app, inputs.addonId);
    const database = { app: inputs.app, addonId: inputs.addonId };
    let backup: ScalingoBackup | undefined;
    if (inputs.adoptId) {
      console.log(`${label(raw)}: adopting existing backup ${inputs.adoptId}`);
      backup = await client.getBackup({ ...database, backupId: inputs.adoptId });
    } else {
      backup = pending ? backupCreatedBy(pending, await client.listBackups(database)) : undefined;
      if (backup)
        console.log(`${label(raw)}: adopting backup ${backup.id}, started by an interrupted earlier run`);
      else backup = await startBackup(client, inputs, identity);
    }
    const id = formatScalingoId(inputs.app, inputs.addonId, backup.id);
    const ref = { app: inputs.app, addonId: inputs.addonId, backupId: backup.id };
    const record = {
      message: `${label(raw)}: backup ${backup.id} was started but did not finish`,
      id,
      inputs: raw,
      properties: outputsOf(backup, raw, null),
    };
    try {
      const settled = await finishCreate(record, () => settle(client, ref, inputs, "create", null));
      return { id, outs: outputsOf(settled.backup, raw, settled.archive) };
    } finally {
      // From here on the backup id is in state (outputs, or the init error), which is what prevents duplicates.
      clearPendingCreate(identity, inputs.app, inputs.addonId);
    }
  },

  async read(id, props) {
    const client = await scalingoClient();
    const [app, addonId, backupId] = parseScalingoId(id, 3);
    const previous = props ?? {};
    try {
      const backup = await client.getBackup({ app, addonId, backupId });
      const outs = outputsOf(backup, { ...previous, app, addonId }, recordedArchive(previous));
      return readResult(id, backupInputSchema, outs);
    } catch (error) {
      // The backup rotated out (or its database is gone): the resource leaves the stack.
      if (error instanceof ScalingoNotFoundError) return {};
      throw error;
    }
  },

  async update(id, olds, news) {
    const inputs = checkedInputs(backupInputSchema, news);
    const client = await scalingoClient();
    const [app, addonId, backupId] = parseScalingoId(id, 3);
    const previous = reusableArchive(olds, appliedAtMs(news));
    const settled = await settle(client, { app, addonId, backupId }, inputs, "update", previous);
    return { outs: outputsOf(settled.backup, news, settled.archive) };
  },

  async delete(id, props) {
    const [app, addonId, backupId] = parseScalingoId(id, 3);
    console.log(
      `${label(props)}: the Scalingo API cannot delete backups; backup ${backupId} of ${app}/${addonId} is only ` +
        "removed from the stack and stays on Scalingo until it rotates out (manual backups: the newest 10 are kept " +
        "on Starter plans, 50 on Business plans)",
    );
  },
};
