// `scaleway.BackupSchedule`: the automatic backup policy of one Scaleway RDB instance.
// Creating it takes over the instance's existing policy (no adoptId needed); deleting it restores the service defaults
// (enabled, every 24 hours, kept 7 days) and never deletes backups.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

export interface BackupScheduleArgs {
  /** The instance (`{region}/{uuid}`, e.g. `instance.id`). Changing it replaces the schedule. */
  instanceId: pulumi.Input<string>;
  /** Hours between automatic backups (1–8760). Default 24. Updates in place. */
  frequencyHours?: pulumi.Input<number>;
  /** Days automatic backups are kept (1–365). Default 7. Updates in place. */
  retentionDays?: pulumi.Input<number>;
  /**
   * Hour of the day (0–23, UTC) backups start. Write-only on the API: it is not read back, so drift on it cannot be
   * detected. Default: unset (the service chooses). Updates in place.
   */
  startHour?: pulumi.Input<number>;
  /** Whether automatic backups run. Default true. Updates in place. */
  enabled?: pulumi.Input<boolean>;
  /** Keep automatic backups in the instance's region. Default: unmanaged. Updates in place. */
  sameRegion?: pulumi.Input<boolean>;
}

const OUTPUTS = [
  "frequencyHours",
  "retentionDays",
  "startHour",
  "enabled",
  "sameRegion",
  "nextRunAt",
] as const;

export class BackupSchedule extends pulumi.dynamic.Resource {
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly frequencyHours: pulumi.Output<number>;
  declare readonly retentionDays: pulumi.Output<number>;
  declare readonly startHour: pulumi.Output<number | null>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly sameRegion: pulumi.Output<boolean>;
  /** When the next automatic backup runs (RFC 3339), or null. */
  declare readonly nextRunAt: pulumi.Output<string | null>;

  constructor(name: string, args: BackupScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super(...dynamicResourceArgs("scaleway:BackupSchedule", name, args, { outputs: OUTPUTS }, opts));
  }
}
