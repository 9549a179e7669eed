// `scaleway.DatabaseInstance`: a Scaleway Managed Database instance (RDB v1) declared in a Pulumi program.
import * as pulumi from "@pulumi/pulumi";
import { dynamicResourceArgs } from "../resource";

/** Per-operation deadlines (`"90s"`, `"20m"`, `"1h"`); the provider's own, since Pulumi ignores customTimeouts for dynamic resources. Never part of the diff. */
export interface Timeouts {
  /** Default 30m. */
  create?: string;
  /** Default 30m. */
  update?: string;
  /** Default 30m. */
  delete?: string;
}

export interface LogsPolicy {
  /** Days logs are kept (1–365). */
  maxAgeRetention: number;
  /** Bytes of logs kept at most. */
  totalDiskRetention?: number;
}

export interface DatabaseInstanceArgs {
  /** Instance name. Default: the resource name plus a random suffix, kept stable across updates. Updates in place. */
  name?: pulumi.Input<string>;
  /** Engine and major version, e.g. `PostgreSQL-16`, `MySQL-8` (compared case-insensitively). Changing it replaces the instance. */
  engine: pulumi.Input<string>;
  /** Node type, e.g. `db-dev-s`, `db-play2-pico` (any case). Updates in place through `/upgrade`. */
  nodeType: pulumi.Input<string>;
  /** Name of the initial admin user. Default `admin`. Changing it replaces the instance. */
  userName?: pulumi.Input<string>;
  /**
   * Password of the initial user (8–128 characters, a digit, an upper and a lower case letter and a special character).
   * Always stored as a secret (the class wraps it in `pulumi.secret`). Default: a 24-character password generated when
   * the instance is created, kept stable across updates and exposed only as the secret output `password`, never as an
   * input. Updates in place; removing it keeps the password in force.
   */
  password?: pulumi.Input<string>;
  /** High availability (a standby node). Default false. Turning it on updates in place; turning it off replaces. */
  isHaCluster?: pulumi.Input<boolean>;
  /** `lssd` (default), `bssd`, `sbs_5k` or `sbs_15k`. Updates in place, except back to `lssd`, which replaces. */
  volumeType?: pulumi.Input<string>;
  /** Volume size in GB, a multiple of 5; not for `lssd` (fixed size). Growing updates in place; shrinking replaces. */
  volumeSizeGb?: pulumi.Input<number>;
  /** Tags. Default none. Updates in place. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** Engine settings applied at creation only (e.g. `lc_collate`). Changing them replaces the instance. */
  initSettings?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /**
   * Engine settings (e.g. `{ max_connections: "200" }`). Only the keys you set are managed: server defaults for other
   * keys never cause a diff; removing a key resets it to the engine default. Updates in place.
   */
  settings?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /** Store automatic backups in the instance's region. Default: unmanaged (the service's false); set it here or on `BackupSchedule.sameRegion`, not both. Updates in place. */
  backupSameRegion?: pulumi.Input<boolean>;
  /**
   * Disable automatic backups when the instance is created. Default false. Applies at creation only: afterwards the
   * policy belongs to `BackupSchedule`, so changing this input does nothing and shows no diff.
   */
  disableBackup?: pulumi.Input<boolean>;
  /** Encryption at rest. Default false. Turning it on updates in place; turning it off replaces. */
  encryptionAtRest?: pulumi.Input<boolean>;
  /** Log retention. Default: the service's (30 days). Updates in place; unset means unmanaged. */
  logsPolicy?: pulumi.Input<LogsPolicy>;
  /** Project. Default: `dbaas:projectId`, then `SCW_DEFAULT_PROJECT_ID` (check fails when neither is set). Changing it replaces. */
  projectId?: pulumi.Input<string>;
  /** Region (`fr-par`, `nl-ams`, `pl-waw`). Default: `dbaas:region`, then `SCW_DEFAULT_REGION`, then `fr-par`. Changing it replaces. */
  region?: pulumi.Input<string>;
  /** Create the instance as a clone of this instance (`{region}/{uuid}`). Changing it replaces. */
  cloneFrom?: pulumi.Input<string>;
  /**
   * Adopt an existing instance (`{region}/{uuid}`) instead of creating one: create takes it over and reconciles it to
   * the declared inputs. This is how to import: Pulumi's own import cannot reach dynamic providers. Never part of the diff.
   */
  adoptId?: pulumi.Input<string>;
  /** Deadlines for create, update and delete. */
  timeouts?: pulumi.Input<Timeouts>;
}

export interface Endpoint {
  ip?: string;
  hostname?: string;
  port: number;
}

const OUTPUTS = [
  "name",
  "engine",
  "nodeType",
  "userName",
  "password",
  "isHaCluster",
  "volumeType",
  "volumeSizeGb",
  "tags",
  "initSettings",
  "settings",
  "backupSameRegion",
  "encryptionAtRest",
  "projectId",
  "region",
  "status",
  "endpoint",
  "endpoints",
  "certificate",
  "upgradableVersions",
  "readReplicas",
  "maintenances",
  "organizationId",
  "createdAt",
  "connectionString",
  "instanceId",
] as const;

export class DatabaseInstance extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly engine: pulumi.Output<string>;
  declare readonly nodeType: pulumi.Output<string>;
  declare readonly userName: pulumi.Output<string>;
  /** Secret. */
  declare readonly password: pulumi.Output<string>;
  declare readonly isHaCluster: pulumi.Output<boolean>;
  declare readonly volumeType: pulumi.Output<string>;
  declare readonly volumeSizeGb: pulumi.Output<number | null>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly initSettings: pulumi.Output<Record<string, string>>;
  declare readonly settings: pulumi.Output<Record<string, string>>;
  declare readonly backupSameRegion: pulumi.Output<boolean>;
  declare readonly encryptionAtRest: pulumi.Output<boolean>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;
  /** The instance UUID without the region (the resource id is `{region}/{uuid}`). */
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** The first public endpoint. */
  declare readonly endpoint: pulumi.Output<Endpoint | null>;
  declare readonly endpoints: pulumi.Output<Endpoint[]>;
  /** The instance's TLS certificate (PEM). */
  declare readonly certificate: pulumi.Output<string>;
  declare readonly upgradableVersions: pulumi.Output<Array<{ id: string; name: string; version: string }>>;
  declare readonly readReplicas: pulumi.Output<unknown[]>;
  declare readonly maintenances: pulumi.Output<unknown[]>;
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  /** Secret: `postgresql://user:password@host:port/rdb?sslmode=require` (or `mysql://…`). */
  declare readonly connectionString: pulumi.Output<string>;

  constructor(name: string, args: DatabaseInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ...dynamicResourceArgs(
        "scaleway:DatabaseInstance",
        name,
        args,
        { outputs: OUTPUTS, secretOutputs: ["password", "connectionString"], secretInputs: ["password"] },
        opts,
      ),
    );
  }
}
