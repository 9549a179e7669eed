// Where `backup download` gets a download URL from, per platform: wait for the backup, export it when it has no valid
// URL yet (or when the last one was refused), wait again, and hand back the presigned URL. Scalingo mints a fresh
// archive link on every request, so there is nothing to export there.
import {
  ConfigurationError,
  type DatabaseBackup,
  DEFAULT_POLL_POLICY,
  type PollPolicy,
  RdbApi,
  ScalingoClient,
  type ServerlessBackup,
  ServerlessSqlApi,
  type WaitSettings,
} from "../sdk";
import { progressReporter, scalewayClient, splitRegionalId } from "./command";
import { UsageError } from "./command-line";

/** A URL with less time left than this is exported again: the download itself needs time. */
export const URL_VALIDITY_MARGIN_MS = 60_000;

export interface SourceContext {
  env: Record<string, string | undefined>;
  pollPolicy?: PollPolicy;
  /** Status lines while waiting (stderr). */
  report: (line: string) => void;
  now: () => number;
}

export interface BackupSource {
  /** How the backup is named in messages, e.g. `scaleway backup fr-par/…`. */
  readonly label: string;
  /** File name to use when neither the server nor the URL gives one. */
  readonly fallbackName: string;
  /** A download URL; `renew` asks for a fresh one because the previous one was refused. */
  downloadUrl(renew: boolean): Promise<string>;
}

/** Every platform's wait: the context's poll policy, and its status changes reported on stderr. */
function waitSettings(context: SourceContext): WaitSettings {
  return {
    pollPolicy: context.pollPolicy ?? DEFAULT_POLL_POLICY,
    onProgress: progressReporter(context.report),
  };
}

function hasValidUrl(
  url: string | null | undefined,
  expiresAt: string | null | undefined,
  now: number,
): url is string {
  if (typeof url !== "string" || url === "") return false;
  if (typeof expiresAt !== "string") return true;
  return Date.parse(expiresAt) - now > URL_VALIDITY_MARGIN_MS;
}

export function scalewaySource(backupId: string, context: SourceContext): BackupSource {
  const { region, id } = splitRegionalId(backupId);
  const api = scalewayClient((options) => new RdbApi(options), context.env);
  const request = { region, databaseBackupId: id };
  const wait = () => api.waitForDatabaseBackup(request, waitSettings(context));
  return {
    label: `scaleway backup ${backupId}`,
    fallbackName: `${id}.dump`,
    async downloadUrl(renew) {
      const settled: DatabaseBackup = await wait();
      if (!renew && hasValidUrl(settled.downloadUrl, settled.downloadUrlExpiresAt, context.now())) {
        return settled.downloadUrl;
      }
      context.report(`database backup ${id}: exporting`);
      await api.exportDatabaseBackup(request);
      const exported = await wait();
      if (!exported.downloadUrl)
        throw new Error(`the export of backup ${backupId} finished without a download URL`);
      return exported.downloadUrl;
    },
  };
}

export function serverlessSource(backupId: string, context: SourceContext): BackupSource {
  const { region, id } = splitRegionalId(backupId);
  const api = scalewayClient((options) => new ServerlessSqlApi(options), context.env);
  const request = { region, backupId: id };
  return {
    label: `serverless backup ${backupId}`,
    fallbackName: `${id}.sql`,
    async downloadUrl(renew) {
      const current: ServerlessBackup = await api.getBackup(request);
      if (!renew && hasValidUrl(current.downloadUrl, current.downloadUrlExpiresAt, context.now())) {
        return current.downloadUrl;
      }
      if (current.status !== "ready") {
        throw new Error(`serverless backup ${backupId} is ${current.status} and cannot be exported`);
      }
      context.report(`serverless backup ${id}: exporting`);
      await api.exportBackup(request);
      const exported = await api.waitForServerlessBackup(request, waitSettings(context));
      if (!exported.downloadUrl)
        throw new Error(`the export of backup ${backupId} finished without a download URL`);
      return exported.downloadUrl;
    },
  };
}

/** `{app}/{addon id}/{backup id}`, or a bare backup id with `--app` and `--addon`. */
export function scalingoBackupRef(
  value: string,
  app: string | undefined,
  addon: string | undefined,
): { app: string; addonId: string; backupId: string } {
  const parts = value.split("/");
  if (parts.length === 3 && parts.every((part) => part !== "")) {
    if (app !== undefined || addon !== undefined) {
      throw new UsageError(
        "give the Scalingo backup as {app}/{addon id}/{backup id} or use --app and --addon, not both",
      );
    }
    const [fromApp, addonId, backupId] = parts;
    return { app: fromApp, addonId, backupId };
  }
  if (parts.length === 1 && value !== "" && app !== undefined && addon !== undefined) {
    return { app, addonId: addon, backupId: value };
  }
  throw new UsageError(
    `"${value}" is not a Scalingo backup id: write {app}/{addon id}/{backup id}, or the backup id with --app and --addon`,
  );
}

export function scalingoSource(
  ref: { app: string; addonId: string; backupId: string },
  context: SourceContext,
): BackupSource {
  let client: ScalingoClient;
  try {
    client = new ScalingoClient({ env: context.env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(
      "Scalingo credentials are missing: set SCALINGO_API_TOKEN to a user API token (tk-us-…), and SCALINGO_REGION " +
        "or SCALINGO_AUTH_URL / SCALINGO_API_URL / SCALINGO_DB_API_URL to use other endpoints",
    );
  }
  return {
    label: `scalingo backup ${ref.app}/${ref.addonId}/${ref.backupId}`,
    fallbackName: `${ref.backupId}.tar.gz`,
    async downloadUrl() {
      await client.waitForBackup(ref, waitSettings(context));
      return (await client.getBackupArchive(ref)).downloadUrl;
    },
  };
}
