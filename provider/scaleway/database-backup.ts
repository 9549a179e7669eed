// `scaleway.DatabaseBackup`: a logical backup of one database of a Scaleway RDB instance, optionally exported.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface DatabaseBackupArgs {
  /** The instance to back up (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the backup. */
  instanceId: pulumi.Input<string>;
  /** The logical database to back up. Default `rdb`, the database every new instance has. Changing it replaces. */
  databaseName?: pulumi.Input<string>;
  /**
   * Backup name. Default: the resource name plus 7 characters derived from project, stack and resource name (so an
   * interrupted create is found again by name). Updates in place.
   */
  name?: pulumi.Input<string>;
  /** Expiry date (RFC 3339), which must be in the future. Default: never. Updates in place. */
  expiresAt?: pulumi.Input<string>;
  /**
   * Export the backup so it can be downloaded: `downloadUrl` (secret) and `downloadUrlExpiresAt` become outputs. The
   * URL lives 24 hours; the next `pulumi up` within its last hour, or after it expired, renews it. Default false.
   * Updates in place.
   */
  exported?: pulumi.Input<boolean>;
  /** Adopt an existing backup (`{region}/{uuid}`) instead of creating one. Never part of the diff. */
  adoptId?: pulumi.Input<string>;
  /** Deadlines for create, update and delete (`"15m"`). Default 15m each. */
  timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const OUTPUTS = [
  "name",
  "databaseName",
  "expiresAt",
  "exported",
  "status",
  "size",
  "instanceName",
  "createdAt",
  "updatedAt",
  "region",
  "sameRegion",
  "downloadUrl",
  "downloadUrlExpiresAt",
  "backupId",
] as const;

/**
 * A logical backup of one database of an RDB instance. With `exported: true` its download URL is renewed by the
 * next `pulumi up` within an hour of its expiry, or after it. Previews and refreshes never count an expiring or
 * expired URL as a change, so `pulumi refresh --expect-no-changes` and `pulumi preview --refresh
 * --expect-no-changes` keep passing: the class passes the time of each real `up` as the hidden input `__appliedAt`,
 * which is how the provider tells an `up` from a preview or a refresh.
 */
export class DatabaseBackup extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly databaseName: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly expiresAt: pulumi.Output<string | null>;
  declare readonly exported: pulumi.Output<boolean>;
  /** The backup UUID without the region (the resource id is `{region}/{uuid}`). */
  declare readonly backupId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** Size in bytes, once the backup is ready. */
  declare readonly size: pulumi.Output<number | null>;
  declare readonly instanceName: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string | null>;
  declare readonly region: pulumi.Output<string>;
  declare readonly sameRegion: pulumi.Output<boolean>;
  /** Secret: the presigned URL of the exported backup (null unless `exported`). */
  declare readonly downloadUrl: pulumi.Output<string | null>;
  declare readonly downloadUrlExpiresAt: pulumi.Output<string | null>;

  constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ...dynamicResourceArgs(
        "scaleway:DatabaseBackup",
        name,
        args,
        { outputs: OUTPUTS, secretOutputs: ["downloadUrl"], renewsDownloadUrl: true },
        opts,
      ),
    );
  }
}
