// `serverless.BackupExport`: keeps an automatic Serverless SQL Database backup exported and its download URL fresh.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface BackupExportArgs {
  /**
   * The backup to export (`{region}/{uuid}`, or a UUID in the default region), e.g. from `getLatestBackup`.
   * Backups are taken daily by the service and deleted after 7 days. Changing it replaces the resource.
   */
  backupId: pulumi.Input<string>;
  /** Deadlines for the export on create and on renewal (update), e.g. `"15m"`. Default 15m. */
  timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const OUTPUTS = [
  "databaseId",
  "status",
  "size",
  "createdAt",
  "expiresAt",
  "region",
  "downloadUrl",
  "downloadUrlExpiresAt",
] as const;

/**
 * Exports a backup and exposes its download URL. The URL lives 24 hours; the next `pulumi up` within its last hour,
 * or after it expired, renews it, and nothing else ever changes. Previews and refreshes never count an expiring or
 * expired URL as a change, so `pulumi refresh --expect-no-changes` and `pulumi preview --refresh --expect-no-changes`
 * keep passing: the class passes the time of each real `up` as the hidden input `__appliedAt`. Deleting the resource
 * deletes nothing remotely: the service expires backups on its own.
 */
export class BackupExport extends pulumi.dynamic.Resource {
  /** `{region}/{uuid}` of the exported backup (also the resource id). */
  declare readonly backupId: pulumi.Output<string>;
  /** `{region}/{uuid}` of the database the backup was taken from. */
  declare readonly databaseId: pulumi.Output<string>;
  /** `ready`, `locked`, `error` or `unknown_status`. */
  declare readonly status: pulumi.Output<string>;
  /** Size in bytes of the exported file (null until exported). */
  declare readonly size: pulumi.Output<number | null>;
  declare readonly createdAt: pulumi.Output<string | null>;
  /** When the service deletes the backup (7 days after it was taken). */
  declare readonly expiresAt: pulumi.Output<string | null>;
  declare readonly region: pulumi.Output<string>;
  /** Secret: the presigned URL of the exported pg_dump file; download it without credentials. */
  declare readonly downloadUrl: pulumi.Output<string>;
  declare readonly downloadUrlExpiresAt: pulumi.Output<string>;

  constructor(name: string, args: BackupExportArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ...dynamicResourceArgs(
        "serverless:BackupExport",
        name,
        args,
        { outputs: OUTPUTS, secretOutputs: ["downloadUrl"], renewsDownloadUrl: true },
        opts,
      ),
    );
  }
}
