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
  type WaitProgress,
} from "../sdk";

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

/** `{region}/{uuid}` or a bare UUID; the region is then the client's default (SCW_DEFAULT_REGION, else fr-par). */
export function splitRegionalId(value: string): { region?: string; id: string } {
  const slash = value.indexOf("/");
  if (slash < 0) return { id: value };
  if (value.indexOf("/", slash + 1) >= 0 || slash === value.length - 1) {
    throw new UsageError(`"${value}" is not a backup id: write {region}/{uuid} or a UUID`);
  }
  return { region: value.slice(0, slash), id: value.slice(slash + 1) };
}

/** Bad command-line usage: exit code 2 with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
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

function waitReporter(context: SourceContext): (progress: WaitProgress) => void {
  return (progress) => {
    if (progress.changed || progress.polls === 1) context.report(`${progress.resource}: ${progress.status}`);
  };
}

/** Builds a Scaleway client; missing credentials name the environment variables the command reads. */
function scalewayClient<T>(build: (options: { env: SourceContext["env"] }) => T, context: SourceContext): T {
  try {
    return build({ env: context.env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(
      "Scaleway credentials are missing: set SCW_SECRET_KEY (and SCW_API_URL to use another endpoint)",
    );
  }
}

export function scalewaySource(backupId: string, context: SourceContext): BackupSource {
  const { region, id } = splitRegionalId(backupId);
  const api = scalewayClient((options) => new RdbApi(options), context);
  const request = { region, databaseBackupId: id };
  const wait = () =>
    api.waitForDatabaseBackup(request, {
      pollPolicy: context.pollPolicy ?? DEFAULT_POLL_POLICY,
      onProgress: waitReporter(context),
    });
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
  const api = scalewayClient((options) => new ServerlessSqlApi(options), context);
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
      const exported = await api.waitForServerlessBackup(request, {
        pollPolicy: context.pollPolicy ?? DEFAULT_POLL_POLICY,
        onProgress: waitReporter(context),
      });
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
      await client.waitForBackup(ref, {
        pollPolicy: context.pollPolicy ?? DEFAULT_POLL_POLICY,
        onProgress: waitReporter(context),
      });
      return (await client.getBackupArchive(ref)).downloadUrl;
    },
  };
}
