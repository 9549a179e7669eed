// `scalingo.BackupSchedule`: the periodic backup setting of one Scalingo database addon.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface BackupScheduleArgs {
  /** The Scalingo application the database addon belongs to. Changing it replaces the schedule. */
  app: pulumi.Input<string>;
  /** The database addon id (`ad-…`). Changing it replaces the schedule. */
  addonId: pulumi.Input<string>;
  /** Whether Scalingo makes a periodic backup every day. Default true. Updates in place. */
  enabled?: pulumi.Input<boolean>;
  /** Hour of the day (0–23, UTC) the periodic backup runs at. Default: left as it is on Scalingo. Updates in place. */
  hour?: pulumi.Input<number>;
}

const OUTPUTS = ["enabled", "hour", "scheduledHours"] as const;

/**
 * The periodic backups of a Scalingo database: on or off, and at which hour (UTC). Creating it takes over the
 * database's current setting; a change made outside Pulumi shows as drift on refresh. The resource id is
 * `{app}/{addonId}`. Deleting it restores Scalingo's default for paid plans: periodic backups enabled, at 00:00 UTC.
 * Sandbox plans have no backups: the API refuses (403).
 */
export class BackupSchedule extends pulumi.dynamic.Resource {
  declare readonly app: pulumi.Output<string>;
  declare readonly addonId: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  /** The scheduled hour when exactly one is scheduled, else null. */
  declare readonly hour: pulumi.Output<number | null>;
  /** Every hour (UTC) Scalingo has scheduled, as the API reports them. */
  declare readonly scheduledHours: pulumi.Output<number[]>;

  constructor(name: string, args: BackupScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super(...dynamicResourceArgs("scalingo:BackupSchedule", name, args, { outputs: OUTPUTS }, opts));
  }
}
