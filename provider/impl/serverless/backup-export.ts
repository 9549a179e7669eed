// BackupExport provider: keeps one automatic Serverless SQL backup exported, with a download URL the next `up` renews
// before it expires. Backups are taken and expired by the service itself: create/update only export, delete does nothing.
import type { z } from "zod";
import {
  NotFoundError,
  PermissionsDeniedError,
  SERVERLESS_SQLDB_REGIONS,
  type ServerlessBackup,
  type ServerlessSqlApi,
} from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { appliedAtMs, isRenewalDue, renewalDue, SCALEWAY_RENEW_BEFORE_MS } from "../download-url";
import { identityName, type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { defaultRegion, serverlessApi } from "../scaleway/clients";
import { formatRegionalId, parseRegionalId, plainObject, progressReporter, timeoutMs } from "../support";
import { validateInputs } from "../validation";
import { backupExportDeclaration, backupExportInputSchema } from "./backup-export.declaration";

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

type ExportInputs = z.output<typeof backupExportInputSchema>;

const label = (inputs: Outputs) => `serverless:BackupExport ${identityName(inputs.__identity)}`;

/**
 * The service answers 403 permissions_denied, not 404, for a backup it cannot resolve — including one that expired
 * after its seven days (see the recorded traffic): both mean the backup is gone for this caller.
 */
export function isGoneError(error: unknown): boolean {
  return error instanceof NotFoundError || error instanceof PermissionsDeniedError;
}

/**
 * The outputs for `backup`, on top of `inputs` (the inputs, or the previous outputs on read). When the API reports
 * no URL for an exported backup (it may stop reporting an expired one), the last known URL and its expiry stay.
 */
function outputsOf(backup: ServerlessBackup, inputs: Outputs): Outputs {
  const hasUrl = typeof backup.downloadUrl === "string" && backup.downloadUrl !== "";
  return plainObject({
    ...inputs,
    backupId: formatRegionalId(backup.region, backup.id),
    databaseId: formatRegionalId(backup.region, backup.databaseId),
    status: backup.status,
    size: backup.size,
    createdAt: backup.createdAt,
    expiresAt: backup.expiresAt,
    region: backup.region,
    downloadUrl: hasUrl ? backup.downloadUrl : (inputs.downloadUrl ?? null),
    downloadUrlExpiresAt: hasUrl ? backup.downloadUrlExpiresAt : (inputs.downloadUrlExpiresAt ?? null),
  });
}

async function fetchBackup(api: ServerlessSqlApi, backupId: string, name: string): Promise<ServerlessBackup> {
  const { region, id } = parseRegionalId(backupId);
  try {
    return await api.getBackup({ region, backupId: id });
  } catch (error) {
    if (isGoneError(error)) {
      throw new Error(
        `${name}: backup ${backupId} does not exist or is not visible with these credentials ` +
          "(Serverless SQL backups are deleted automatically after 7 days)",
      );
    }
    throw error;
  }
}

/** Exports the backup unless its URL stays valid beyond the renewal window of this `up`, then waits for the URL. */
async function ensureExported(inputs: ExportInputs, raw: Outputs, op: "create" | "update"): Promise<Outputs> {
  const api = await serverlessApi();
  const name = label(raw);
  const current = outputsOf(await fetchBackup(api, inputs.backupId, name), raw);
  if (!isRenewalDue(current, appliedAtMs(raw), SCALEWAY_RENEW_BEFORE_MS)) return current;
  if (current.status !== "ready") {
    throw new Error(`${name}: backup ${inputs.backupId} is ${current.status} and cannot be exported`);
  }
  const { region, id } = parseRegionalId(inputs.backupId);
  console.log(`${name}: exporting backup ${id}`);
  await api.exportBackup({ region, backupId: id });
  const exported = await api.waitForServerlessBackup(
    { region, backupId: id },
    { deadlineMs: timeoutMs(inputs.timeouts, op, DEFAULT_TIMEOUT_MS), onProgress: progressReporter(name) },
  );
  return outputsOf(exported, raw);
}

export const backupExport: ResourceImpl = {
  async check(_olds, news) {
    const checked = validateInputs(backupExportInputSchema, news);
    if (!checked.ok) return { failures: checked.failures };
    const inputs: Record<string, unknown> = { ...checked.inputs };
    if (!checked.unknownKeys.includes("backupId") && !checked.inputs.backupId.includes("/")) {
      const region = await defaultRegion();
      if (!(SERVERLESS_SQLDB_REGIONS as readonly string[]).includes(region)) {
        return {
          failures: [
            {
              property: "backupId",
              reason: `has no region and the default region ${region} has no Serverless SQL: write {region}/{uuid}`,
            },
          ],
        };
      }
      inputs.backupId = formatRegionalId(region, checked.inputs.backupId);
    }
    return { inputs: plainObject(inputs) };
  },

  /**
   * Only `backupId` is a managed input (another backup replaces). Output-only fields never diff; the URL counts only
   * when an `up` is due to renew it (see download-url.ts), never in a preview or a refresh.
   */
  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(backupExportDeclaration, olds, news);
    return { changes: changes || renewalDue(olds, news, SCALEWAY_RENEW_BEFORE_MS), replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(backupExportInputSchema, raw);
    const outs = await ensureExported(inputs, raw, "create");
    return { id: String(outs.backupId), outs };
  },

  async read(id, props) {
    const api = await serverlessApi();
    const { region, id: backupId } = parseRegionalId(id);
    const previous = props ?? {};
    try {
      const backup = await api.getBackup({ region, backupId });
      const outs = outputsOf(backup, previous);
      return readResult(id, backupExportInputSchema, outs);
    } catch (error) {
      if (isGoneError(error)) return {};
      throw error;
    }
  },

  async update(_id, _olds, news) {
    const inputs = checkedInputs(backupExportInputSchema, news);
    return { outs: await ensureExported(inputs, news, "update") };
  },

  async delete(id, props) {
    console.log(
      `${label(props)}: nothing deleted remotely — backup ${id} and its export stay until the service expires ` +
        "them (backups are kept 7 days); the resource only leaves the stack",
    );
  },
};
