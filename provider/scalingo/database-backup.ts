// `scalingo.DatabaseBackup`: one manual backup of a Scalingo database addon, optionally with a download link.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface DatabaseBackupArgs {
  /** The Scalingo application the database addon belongs to. Changing it replaces the backup. */
  app: pulumi.Input<string>;
  /** The database addon id (`ad-…`, as `scalingo addons` lists it). Changing it replaces the backup. */
  addonId: pulumi.Input<string>;
  /**
   * Publish the archive's temporary download link as the secret output `downloadUrl` (with `downloadUrlExpiresAt`
   * when the link says when it expires). The next `pulumi up` within the link's last 5 minutes, or after it expired,
   * renews it; previews and refreshes never count that as a change. Default false. Updates in place.
   */
  exported?: pulumi.Input<boolean>;
  /**
   * Adopt an existing backup of this database (its Scalingo id) instead of starting one: Pulumi's own import cannot
   * reach dynamic providers. Never part of the diff.
   */
  adoptId?: pulumi.Input<string>;
  /** How long create and update wait for the backup to finish (`"15m"`). Default 15m each; delete calls no API. */
  timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const OUTPUTS = [
  "exported",
  "backupId",
  "name",
  "status",
  "size",
  "method",
  "createdAt",
  "startedAt",
  "downloadUrl",
  "downloadUrlExpiresAt",
] as const;

/**
 * A manual backup of a Scalingo database (PostgreSQL, MySQL, MongoDB…), created when the resource is created and
 * waited for until it is done. The resource id is `{app}/{addonId}/{backupId}`.
 *
 * Deleting: the Scalingo API has no way to delete a backup. Destroying or replacing this resource only removes it from
 * the stack (the console says so); the backup stays on Scalingo until it rotates out (the newest 10 manual backups are
 * kept on Starter plans, 50 on Business plans). For the same reason, a refresh after the backup rotated out removes
 * the resource from the stack.
 *
 * Interrupted creates: before asking for the backup, the provider lists the database's backups and writes a marker
 * file (in `$PULUMI_DBAAS_STATE_DIR/pending-creates`, default `~/.pulumi-dbaas/pending-creates`) naming the backups
 * that already existed. If the run stops before the backup is recorded, the next `up` of the same resource finds the
 * marker and adopts the oldest manual backup that is new since then and not failed, instead of starting another one.
 * Markers older than 24 hours are ignored; the marker is removed once the backup id is in the stack's state.
 *
 * Download link: Scalingo's archive links are short-lived (minutes). The next `pulumi up` within a link's last
 * 5 minutes, or after it expired, gets a new one; previews and refreshes never count an expiring or expired link as a
 * change, so `--expect-no-changes` drift checks keep passing. The class passes the time of each real `up` as the
 * hidden input `__appliedAt`, which is how the provider tells an `up` from a preview or a refresh.
 */
export class DatabaseBackup extends pulumi.dynamic.Resource {
  declare readonly app: pulumi.Output<string>;
  declare readonly addonId: pulumi.Output<string>;
  declare readonly exported: pulumi.Output<boolean>;
  /** The backup's id on Scalingo. */
  declare readonly backupId: pulumi.Output<string>;
  /** Scalingo's name for it: creation time then database resource id (`20250301100000_my_app_1234`). */
  declare readonly name: pulumi.Output<string>;
  /** `done` once created; `error` or `cancelled` mean the next `up` replaces it. */
  declare readonly status: pulumi.Output<string>;
  /** Size in bytes. */
  declare readonly size: pulumi.Output<number | null>;
  /** `manual` for backups made by this resource. */
  declare readonly method: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly startedAt: pulumi.Output<string | null>;
  /** Secret: the temporary link to the backup's .tar.gz (null unless `exported`). Download it without auth headers. */
  declare readonly downloadUrl: pulumi.Output<string | null>;
  /** When `downloadUrl` stops working (RFC 3339), or null when the link does not say. */
  declare readonly downloadUrlExpiresAt: pulumi.Output<string | null>;

  constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ...dynamicResourceArgs(
        "scalingo:DatabaseBackup",
        name,
        args,
        { outputs: OUTPUTS, secretOutputs: ["downloadUrl"], renewsDownloadUrl: true },
        opts,
      ),
    );
  }
}
