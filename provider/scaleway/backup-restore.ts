// `scaleway.BackupRestore`: restores a backup into a database of an instance; any change of its inputs restores again.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface BackupRestoreArgs {
  /** The backup to restore (`{region}/{uuid}`, e.g. `backup.id`). Changing it restores again. */
  backupId: pulumi.Input<string>;
  /** The target instance (`{region}/{uuid}`). Changing it restores again. */
  instanceId: pulumi.Input<string>;
  /** The target database. Default: the backup's database name. Changing it restores again. */
  databaseName?: pulumi.Input<string>;
  /** Any values: when one changes, the backup is restored again. */
  triggers?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Deadline for the restore (`"30m"`). Default 30m. */
  timeouts?: pulumi.Input<{ create?: string }>;
}

const OUTPUTS = ["databaseName", "restoredAt", "status"] as const;

/** Deleting it does nothing remote: a restore cannot be undone. */
export class BackupRestore extends pulumi.dynamic.Resource {
  declare readonly backupId: pulumi.Output<string>;
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly databaseName: pulumi.Output<string>;
  /** When the restore finished (RFC 3339). */
  declare readonly restoredAt: pulumi.Output<string>;
  /** The target instance's status after the restore. */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: BackupRestoreArgs, opts?: pulumi.CustomResourceOptions) {
    super(...dynamicResourceArgs("scaleway:BackupRestore", name, args, { outputs: OUTPUTS }, opts));
  }
}
