// The `scaleway:DatabaseInstance` declaration: every input with its rule, default and change, and every output. Its
// API mapping is instance.ts; the program-side class is generated from this (npm run generate).
import { randomInt } from "node:crypto";
import { z } from "zod";
import { ENGINE_FAMILIES, PASSWORD_POLICY, RDB_REGIONS, VOLUME_TYPES } from "../../../sdk";
import { declareResource, diffByTable, inputSchemaOf, type TableDiff } from "../declaration";
import { privateNetworkSchema, regionalIdSchema, timeoutsSchema } from "./common-schemas";

const PASSWORD_RULE =
  `must be ${PASSWORD_POLICY.minLength}–${PASSWORD_POLICY.maxLength} characters with at least one digit, ` +
  "one uppercase, one lowercase and one special character";

export const passwordSchema = Object.values(PASSWORD_POLICY.mustContain).reduce(
  (schema, pattern) => schema.regex(pattern, PASSWORD_RULE),
  z.string().min(PASSWORD_POLICY.minLength, PASSWORD_RULE).max(PASSWORD_POLICY.maxLength, PASSWORD_RULE),
);

const ENGINE_RULE = 'an engine and major version such as "PostgreSQL-16" or "MySQL-8"';
const ENGINE_PATTERN = new RegExp(`^(${ENGINE_FAMILIES.join("|")})-\\d+(\\.\\d+)?$`, "i");
const NODE_TYPE_RULE = 'a node type such as "db-dev-s" or "db-play2-pico"';
const regionalId = regionalIdSchema("instance");
const settingValue = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));
const settingsMap = z.record(z.string().min(1, "setting names must not be empty"), settingValue);
/** Turning the feature on updates in place; turning it off replaces. */
const offReplaces = { replaceIf: (old: unknown, next: unknown) => old === true && next !== true };

export const instanceDeclaration = declareResource({
  kind: "scaleway:DatabaseInstance",
  summary: "a Scaleway Managed Database instance (RDB v1) declared in a Pulumi program.",
  doc: "A Scaleway Managed Database instance (RDB v1). Its id is `{region}/{uuid}`.",
  types: ["Endpoint", "InstanceEndpoint", "LogsPolicy", "PrivateNetwork", "Timeouts"],
  inputs: {
    name: {
      doc: "Instance name. Default: the resource name plus a random suffix, kept stable across updates. Updates in place.",
      type: "string",
      schema: z
        .string()
        .min(1, "must not be empty")
        .max(255, "must be at most 255 characters")
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
          "must start with a letter or digit and use only letters, digits, '-', '_', '.'",
        )
        .optional(),
      change: "update",
      output: "string",
      readme: { default: "resource name + random suffix (stable)", change: "update (PATCH)" },
    },
    engine: {
      doc:
        "Engine and major version, e.g. `PostgreSQL-16`, `MySQL-8` (compared case-insensitively). Required, " +
        "except with `snapshotId`, which brings the snapshot's engine and excludes this input. Changing it replaces " +
        "the instance.",
      type: "string",
      schema: z.string().regex(ENGINE_PATTERN, `must be ${ENGINE_RULE}`).optional(),
      change: "replace",
      compare: "ignoringCase",
      whenUnset: "unmanaged",
      output: "string",
      readme: {
        input: "`engine` (`PostgreSQL-16`, `MySQL-8`; any case; offered in the region)",
        default: "required; with `snapshotId`: the snapshot's (and must not be set)",
      },
    },
    nodeType: {
      doc: "Node type, e.g. `db-dev-s`, `db-play2-pico` (any case). Updates in place through `/upgrade`.",
      type: "string",
      schema: z
        .string({ message: `is required: ${NODE_TYPE_RULE}` })
        .regex(/^db-[a-z0-9-]+$/i, `must be ${NODE_TYPE_RULE}`),
      change: "update",
      compare: "ignoringCase",
      output: "string",
      readme: {
        input: "`nodeType` (`db-dev-s`, any case; offered in the region)",
        change: "update (`/upgrade`)",
      },
    },
    userName: {
      doc: "Name of the initial admin user. Default `admin`. Changing it replaces the instance.",
      type: "string",
      schema: z
        .string()
        .regex(
          /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/,
          "must start with a letter or '_' and be at most 63 letters, digits, '-' or '_'",
        )
        .default("admin"),
      change: "replace",
      output: "string",
    },
    password: {
      doc:
        "Password of the initial user (8–128 characters, a digit, an upper and a lower case letter and a special " +
        "character). Always stored as a secret (the class wraps it in `pulumi.secret`). Default: a 24-character " +
        "password generated when the instance is created, kept stable across updates and exposed only as the " +
        "secret output `password`, never as an input. Updates in place; removing it keeps the password in force.",
      type: "string",
      schema: passwordSchema.optional(),
      change: "update",
      whenUnset: "unmanaged",
      secret: true,
      output: "string",
      readme: {
        input: "`password` (always a secret input)",
        default: "generated by create, 24 chars, stable; only a secret output, never an input",
        change: "update (user password)",
      },
    },
    isHaCluster: {
      doc: "High availability (a standby node). Default false. Turning it on updates in place; turning it off replaces.",
      type: "boolean",
      schema: z.boolean().default(false),
      change: offReplaces,
      output: "boolean",
      readme: { change: "on: update (`/upgrade`); off: **replace**" },
    },
    volumeType: {
      doc:
        "`lssd` (default), `bssd`, `sbs_5k` or `sbs_15k`; with `snapshotId` the default is the snapshot's volume " +
        "type (never `lssd`). Updates in place, except back to `lssd`, which replaces.",
      type: "string",
      // The default depends on snapshotId: check fills it (see withDefaultVolumeType).
      schema: z.enum(VOLUME_TYPES, { message: `must be one of ${VOLUME_TYPES.join(", ")}` }).optional(),
      change: { replaceIf: (old, next) => next === "lssd" && old !== "lssd" },
      whenUnset: "unmanaged",
      output: "string",
      readme: {
        input: `\`volumeType\` (${VOLUME_TYPES.map((type) => `\`${type}\``).join(", ")})`,
        default: "`lssd`; with `snapshotId`: the snapshot's",
        change: "update (`/upgrade`); back to `lssd`: **replace**",
      },
    },
    volumeSizeGb: {
      doc: "Volume size in GB, a multiple of 5; not for `lssd` (fixed size). Growing updates in place; shrinking replaces.",
      type: "number",
      schema: z
        .number()
        .int("must be a whole number of GB")
        .min(5, "must be at least 5 GB")
        .max(10000, "must be at most 10000 GB")
        .refine((gb) => gb % 5 === 0, "must be a multiple of 5 GB")
        .optional(),
      change: {
        replaceIf: (old, next) => typeof old === "number" && (typeof next !== "number" || next < old),
      },
      whenUnset: "unmanaged",
      output: "number | null",
      readme: {
        input: "`volumeSizeGb` (multiple of 5, not for lssd)",
        default: "service default",
        change: "grow: update (`/upgrade`); shrink: **replace**",
      },
    },
    tags: {
      doc: "Tags. Default none. Updates in place.",
      type: "pulumi.Input<string>[]",
      schema: z.array(z.string().min(1, "tags must not be empty")).default([]),
      change: "update",
      compare: "set",
      output: "string[]",
      readme: { change: "update (PATCH)" },
    },
    initSettings: {
      doc: "Engine settings applied at creation only (e.g. `lc_collate`). Changing them replaces the instance.",
      type: "Record<string, pulumi.Input<string | number | boolean>>",
      schema: settingsMap.default({}),
      change: "replace",
      compare: "json",
      output: "Record<string, string>",
    },
    settings: {
      doc:
        'Engine settings (e.g. `{ max_connections: "200" }`). Only the keys you set are managed: server defaults ' +
        "for other keys never cause a diff; removing a key resets it to the engine default. Updates in place.",
      type: "Record<string, pulumi.Input<string | number | boolean>>",
      schema: settingsMap.default({}),
      change: "update",
      compare: "json",
      output: "Record<string, string>",
      readme: { default: "`{}`; only the keys you set are managed", change: "update (settings endpoint)" },
    },
    backupSameRegion: {
      doc:
        "Store automatic backups in the instance's region. Default: unmanaged (the service's false); set it here " +
        "or on `BackupSchedule.sameRegion`, not both. Updates in place.",
      type: "boolean",
      schema: z.boolean().optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
      readme: { default: "unmanaged", change: "update (PATCH)" },
    },
    disableBackup: {
      doc:
        "Disable automatic backups when the instance is created. Default false. Applies at creation only: " +
        "afterwards the policy belongs to `BackupSchedule`, so changing this input does nothing and shows no diff.",
      type: "boolean",
      schema: z.boolean().default(false),
      change: "never",
      readme: {
        change: "applies at creation only; afterwards `BackupSchedule` owns the policy, so it never diffs",
      },
    },
    encryptionAtRest: {
      doc: "Encryption at rest. Default false. Turning it on updates in place; turning it off replaces.",
      type: "boolean",
      schema: z.boolean().default(false),
      change: offReplaces,
      output: "boolean",
      readme: { change: "on: update (`/upgrade`); off: **replace**" },
    },
    logsPolicy: {
      doc: "Log retention. Default: the service's (30 days). Updates in place; unset means unmanaged.",
      type: "LogsPolicy",
      schema: z
        .object({
          maxAgeRetention: z
            .number()
            .int()
            .min(1, "must be at least 1 day")
            .max(365, "must be at most 365 days"),
          totalDiskRetention: z.number().int().positive("must be a positive number of bytes").optional(),
        })
        .strict()
        .optional(),
      change: "update",
      compare: "json",
      whenUnset: "unmanaged",
      readme: {
        input: "`logsPolicy` `{maxAgeRetention, totalDiskRetention}`",
        default: "unmanaged",
        change: "update (PATCH)",
      },
    },
    projectId: {
      doc:
        "Project. Default: `dbaas:projectId`, then `SCW_DEFAULT_PROJECT_ID` (check fails when neither is set). " +
        "Changing it replaces.",
      type: "string",
      schema: z.uuid({ message: "must be a UUID" }).optional(),
      change: "replace",
      whenUnset: "unmanaged",
      output: "string",
      readme: {
        default: "`dbaas:projectId`, then `SCW_DEFAULT_PROJECT_ID` (check fails when neither is set)",
      },
    },
    region: {
      doc: `Region (${RDB_REGIONS.map((region) => `\`${region}\``).join(", ")}). Default: \`dbaas:region\`, then \`SCW_DEFAULT_REGION\`, then \`fr-par\`. Changing it replaces.`,
      type: "string",
      schema: z.enum(RDB_REGIONS, { message: `must be one of ${RDB_REGIONS.join(", ")}` }).optional(),
      change: "replace",
      output: "string",
      readme: { default: "`dbaas:region`, then `SCW_DEFAULT_REGION`, then `fr-par`" },
    },
    privateNetwork: {
      doc:
        "A Private Network endpoint: `privateNetworkId` (`{region}/{uuid}` or a UUID, in the instance's region) " +
        "and either `serviceIp`, a static address with its prefix (`192.168.1.254/24`), or `enableIpam` (the " +
        "default without `serviceIp`: IPAM picks the address). Default none; removing it removes the endpoint. " +
        "Updates in place: the old endpoint is deleted, then the new one added.",
      type: "PrivateNetwork",
      schema: privateNetworkSchema.optional(),
      change: "update",
      compare: "json",
      output: "PrivateNetwork",
      readme: {
        input: "`privateNetwork` `{privateNetworkId, serviceIp (CIDR) or enableIpam}`",
        default: "none; IPAM when no `serviceIp`",
        change: "update (endpoint deleted, then added)",
      },
    },
    loadBalancer: {
      doc:
        "Whether the instance has a public (load-balancer) endpoint. Default: unmanaged, as Terraform's " +
        "`load_balancer`: the API gives a new instance one unless `privateNetwork` is set, and an existing one " +
        "keeps what it has. `true` adds it, `false` removes it; updates in place.",
      type: "boolean",
      schema: z.boolean().optional(),
      change: "update",
      whenUnset: "unmanaged",
      output: "boolean",
      readme: {
        default: "unmanaged: a new instance has one unless `privateNetwork` is set",
        change: "update (endpoint added or deleted)",
      },
    },
    cloneFrom: {
      doc: "Create the instance as a clone of this instance (`{region}/{uuid}`). Changing it replaces.",
      type: "string",
      schema: regionalId.optional(),
      change: "replace",
      readme: { input: "`cloneFrom` (`{region}/{uuid}`)", change: "create as a clone; change: **replace**" },
    },
    snapshotId: {
      doc:
        "Create the instance from this snapshot (`{region}/{uuid}`, in the instance's region): it gets the " +
        "snapshot's engine, volume, users, databases and settings, so `engine` and `initSettings` must not be set, " +
        "nor `volumeType` to `lssd`. Changing it replaces.",
      type: "string",
      schema: regionalIdSchema("snapshot").optional(),
      change: "replace",
      readme: {
        input: "`snapshotId` (`{region}/{uuid}`)",
        change: "create from that snapshot; change: **replace**",
      },
    },
    adoptId: {
      doc:
        "Adopt an existing instance (`{region}/{uuid}`) instead of creating one: create takes it over and " +
        "reconciles it to the declared inputs. This is how to import: Pulumi's own import cannot reach dynamic " +
        "providers. Never part of the diff.",
      type: "string",
      schema: regionalId.optional(),
      change: "never",
      readme: {
        input: "`adoptId` (`{region}/{uuid}`)",
        change: "create takes over that instance; never diffs",
      },
    },
    timeouts: {
      doc: "Deadlines for create, update and delete.",
      type: "Timeouts",
      schema: timeoutsSchema.optional(),
      change: "never",
      readme: { input: '`timeouts` `{create, update, delete}` (`"20m"`)', default: "30m each" },
    },
  },
  hidden: { __identity: z.string().optional(), __autoName: z.string().optional() },
  outputs: {
    instanceId: {
      doc: "The instance UUID without the region (the resource id is `{region}/{uuid}`).",
      type: "string",
    },
    status: { doc: "The instance's status (`ready`, `provisioning`, `backuping`…).", type: "string" },
    endpoint: {
      doc: "Where clients connect: the public (load-balancer) endpoint, else the Private Network one, else null.",
      type: "Endpoint | null",
    },
    endpoints: {
      doc: "Every endpoint of the instance, public ones first, each with its `kind`.",
      type: "InstanceEndpoint[]",
    },
    certificate: { doc: "The instance's TLS certificate (PEM).", type: "string" },
    upgradableVersions: {
      doc: "The engine versions the instance can be upgraded to.",
      type: "Array<{ id: string; name: string; version: string }>",
    },
    readReplicas: { doc: "The instance's read replicas, as the API reports them.", type: "unknown[]" },
    maintenances: { doc: "Planned and past maintenances, as the API reports them.", type: "unknown[]" },
    organizationId: { doc: "The organization the project belongs to.", type: "string" },
    createdAt: { doc: "When the instance was created (RFC 3339).", type: "string" },
    connectionString: {
      doc: "Secret: `postgresql://user:password@host:port/rdb?sslmode=require` (or `mysql://…`), through `endpoint`.",
      type: "string",
      secret: true,
    },
  },
});

export const instanceInputSchema = inputSchemaOf(instanceDeclaration);

/** Checked inputs: `password` only when the program declares one (a generated password never becomes an input). */
export type InstanceInputs = z.output<typeof instanceInputSchema> & { region: string; name: string };

/** What create and update apply: the inputs with the password resolved (declared, kept or generated). */
export type DesiredInstance = InstanceInputs & { password: string };

/** Which inputs changed between old outputs (or the live instance) and checked inputs, and which of them replace. */
export function diffInstance(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
): TableDiff {
  return diffByTable(instanceDeclaration, olds, news);
}

/**
 * The inputs with the default volume type filled: `lssd`, except for an instance made from a snapshot, which keeps
 * the snapshot's (its volume type stays unset, so unmanaged).
 */
export function withDefaultVolumeType<T extends { volumeType?: string; snapshotId?: string }>(inputs: T): T {
  if (inputs.volumeType !== undefined || inputs.snapshotId !== undefined) return inputs;
  return { ...inputs, volumeType: "lssd" };
}

/** Rules that span several properties, checked after each property is valid on its own and defaults are filled. */
export function crossFieldFailures(inputs: z.output<typeof instanceInputSchema>) {
  const failures: Array<{ property: string; reason: string }> = [];
  if (inputs.volumeType === "lssd" && typeof inputs.volumeSizeGb === "number") {
    failures.push({
      property: "volumeSizeGb",
      reason: "must not be set for volumeType lssd: local SSD volumes have a fixed size set by the node type",
    });
  }
  if (inputs.cloneFrom !== undefined && inputs.adoptId !== undefined) {
    failures.push({
      property: "adoptId",
      reason: "cannot be combined with cloneFrom: choose one way to create",
    });
  }
  if (inputs.snapshotId !== undefined) failures.push(...snapshotFailures(inputs));
  return failures;
}

/** What an instance made from a snapshot cannot be given: the API takes only a name, a node type and HA. */
function snapshotFailures(inputs: z.output<typeof instanceInputSchema>) {
  const failures: Array<{ property: string; reason: string }> = [];
  const conflicts = (property: string, reason: string) => failures.push({ property, reason });
  if (inputs.cloneFrom !== undefined) {
    conflicts("snapshotId", "cannot be combined with cloneFrom: choose one way to create");
  }
  if (inputs.adoptId !== undefined) {
    conflicts("adoptId", "cannot be combined with snapshotId: choose one way to create");
  }
  if (inputs.volumeType === "lssd") {
    conflicts(
      "volumeType",
      "must not be lssd with snapshotId: snapshots are of block volumes, which the instance keeps",
    );
  }
  if (Object.keys(inputs.initSettings).length > 0) {
    conflicts("initSettings", "must not be set with snapshotId: the instance keeps the snapshot's settings");
  }
  if (inputs.disableBackup) {
    conflicts(
      "disableBackup",
      "has no effect with snapshotId (the API takes no backup policy there): use BackupSchedule enabled: false",
    );
  }
  return failures;
}

/**
 * Where the engine comes from, checked on the raw inputs so that it is reported beside any other bad property: the
 * program names it, unless the instance is made from a snapshot, which brings its own.
 */
export function engineSourceFailures(news: Readonly<Record<string, unknown>>) {
  if (news.snapshotId === undefined && news.engine === undefined) {
    return [{ property: "engine", reason: `is required: ${ENGINE_RULE}` }];
  }
  if (news.snapshotId !== undefined && news.engine !== undefined) {
    return [
      {
        property: "engine",
        reason:
          "must not be set with snapshotId: an instance made from a snapshot runs the snapshot's engine",
      },
    ];
  }
  return [];
}

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SPECIAL = "!#%*+-=?@^_";

/** The default password: 24 characters meeting the service's policy, from a cryptographic source. */
export function generatePassword(): string {
  const all = LOWER + UPPER + DIGITS + SPECIAL;
  const chars = [LOWER, UPPER, DIGITS, SPECIAL].map((set) => set[randomInt(set.length)]);
  while (chars.length < 24) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** The default name, `{resourceName}-{7 random chars}`: the auto-name Pulumi users know from other providers. */
export function autoName(resourceName: string): string {
  const base = resourceName.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 240);
  let suffix = "";
  while (suffix.length < 7) suffix += "abcdefghijklmnopqrstuvwxyz0123456789"[randomInt(36)];
  return `${base}-${suffix}`;
}
