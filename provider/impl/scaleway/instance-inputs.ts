// DatabaseInstance inputs: validation rules, defaults, and the diff table saying what updates in place and what
// replaces. Pure functions, shared by check, diff, read and update.
import { randomInt } from "node:crypto";
import { z } from "zod";
import { type Json, UNKNOWN } from "../support";
import { regionalIdSchema, timeoutsSchema } from "./common-schemas";

export const REGIONS = ["fr-par", "nl-ams", "pl-waw"] as const;
export const VOLUME_TYPES = ["lssd", "bssd", "sbs_5k", "sbs_15k"] as const;

const uuid = z.uuid({ message: "must be a UUID" });
const regionalId = regionalIdSchema("instance");

const PASSWORD_RULE =
  "must be 8–128 characters with at least one digit, one uppercase, one lowercase and one special character";

export const passwordSchema = z
  .string()
  .min(8, PASSWORD_RULE)
  .max(128, PASSWORD_RULE)
  .regex(/[0-9]/, PASSWORD_RULE)
  .regex(/[A-Z]/, PASSWORD_RULE)
  .regex(/[a-z]/, PASSWORD_RULE)
  .regex(/[^A-Za-z0-9]/, PASSWORD_RULE);

const settingValue = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));
const settingsMap = z.record(z.string().min(1, "setting names must not be empty"), settingValue);

export const instanceInputSchema = z.object({
  name: z
    .string()
    .min(1, "must not be empty")
    .max(255, "must be at most 255 characters")
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
      "must start with a letter or digit and use only letters, digits, '-', '_', '.'",
    )
    .optional(),
  engine: z
    .string({ message: 'is required: an engine and major version such as "PostgreSQL-16" or "MySQL-8"' })
    .regex(
      /^(postgresql|mysql)-\d+(\.\d+)?$/i,
      'must be an engine and major version such as "PostgreSQL-16" or "MySQL-8"',
    ),
  nodeType: z
    .string({ message: 'is required: a node type such as "db-dev-s" or "db-play2-pico"' })
    .regex(/^db-[a-z0-9-]+$/i, 'must be a node type such as "db-dev-s" or "db-play2-pico"'),
  userName: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/,
      "must start with a letter or '_' and be at most 63 letters, digits, '-' or '_'",
    )
    .default("admin"),
  password: passwordSchema.optional(),
  isHaCluster: z.boolean().default(false),
  volumeType: z.enum(VOLUME_TYPES, { message: `must be one of ${VOLUME_TYPES.join(", ")}` }).default("lssd"),
  volumeSizeGb: z
    .number()
    .int("must be a whole number of GB")
    .min(5, "must be at least 5 GB")
    .max(10000, "must be at most 10000 GB")
    .refine((gb) => gb % 5 === 0, "must be a multiple of 5 GB")
    .optional(),
  tags: z.array(z.string().min(1, "tags must not be empty")).default([]),
  initSettings: settingsMap.default({}),
  settings: settingsMap.default({}),
  backupSameRegion: z.boolean().optional(),
  disableBackup: z.boolean().default(false),
  encryptionAtRest: z.boolean().default(false),
  logsPolicy: z
    .object({
      maxAgeRetention: z.number().int().min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
      totalDiskRetention: z.number().int().positive("must be a positive number of bytes").optional(),
    })
    .strict()
    .optional(),
  projectId: uuid.optional(),
  region: z.enum(REGIONS, { message: `must be one of ${REGIONS.join(", ")}` }).optional(),
  cloneFrom: regionalId.optional(),
  adoptId: regionalId.optional(),
  timeouts: timeoutsSchema.optional(),
  __identity: z.string().optional(),
  __autoName: z.string().optional(),
});

/** Checked inputs: `password` only when the program declares one (a generated password never becomes an input). */
export type InstanceInputs = z.output<typeof instanceInputSchema> & {
  region: string;
  name: string;
};

/** What create and update apply: the inputs with the password resolved (declared, kept or generated). */
export type DesiredInstance = InstanceInputs & { password: string };

/** Rules that span several properties, checked after each property is valid on its own. */
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
  return failures;
}

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SPECIAL = "!#%*+-=?@^_";

/** A 24-character password meeting the service's policy, from a cryptographic source. */
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

/** `{resourceName}-{7 random chars}`, the auto-name Pulumi users know from other providers. */
export function autoName(resourceName: string): string {
  const base = resourceName.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 240);
  let suffix = "";
  while (suffix.length < 7) suffix += "abcdefghijklmnopqrstuvwxyz0123456789"[randomInt(36)];
  return `${base}-${suffix}`;
}

/** The property names diff reports for each kind of change. */
export interface InstanceDiff {
  changes: boolean;
  replaces: string[];
  updates: string[];
}

type Comparable = Record<string, Json | undefined>;

const sameText = (a: unknown, b: unknown) => a === b;
const sameIgnoringCase = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const sameTags = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) ? sameJson([...a].sort(), [...b].sort()) : sameJson(a, b);

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** How each managed input is compared and applied. `replaceIf` decides, for a change, whether it needs a new instance. */
const INSTANCE_PROPERTIES: Array<{
  name: string;
  same: (a: unknown, b: unknown) => boolean;
  replaceIf: (old: unknown, next: unknown) => boolean;
}> = [
  { name: "name", same: sameText, replaceIf: () => false },
  { name: "engine", same: sameIgnoringCase, replaceIf: () => true },
  { name: "nodeType", same: sameIgnoringCase, replaceIf: () => false },
  { name: "userName", same: sameText, replaceIf: () => true },
  { name: "password", same: sameText, replaceIf: () => false },
  { name: "isHaCluster", same: sameText, replaceIf: (old, next) => old === true && next !== true },
  {
    name: "volumeType",
    same: sameText,
    replaceIf: (old, next) => next === "lssd" && old !== "lssd",
  },
  {
    name: "volumeSizeGb",
    same: sameText,
    replaceIf: (old, next) => typeof old === "number" && (typeof next !== "number" || next < old),
  },
  { name: "tags", same: sameTags, replaceIf: () => false },
  { name: "initSettings", same: sameJson, replaceIf: () => true },
  { name: "settings", same: sameJson, replaceIf: () => false },
  { name: "backupSameRegion", same: sameText, replaceIf: () => false },
  { name: "encryptionAtRest", same: sameText, replaceIf: (old, next) => old === true && next !== true },
  { name: "logsPolicy", same: sameJson, replaceIf: () => false },
  { name: "projectId", same: sameText, replaceIf: () => true },
  { name: "region", same: sameText, replaceIf: () => true },
  { name: "cloneFrom", same: sameText, replaceIf: () => true },
];

/**
 * Compares old outputs (on refresh: the live instance) with new checked inputs (on refresh: the inputs stored
 * before). Only managed inputs are compared: those left unset (projectId, logsPolicy, backupSameRegion,
 * volumeSizeGb, a password the program does not declare) never diff, nor do `timeouts`, `adoptId`, the identity or
 * any output-only field (status, maintenances, certificate…). An unknown value counts as a change, and as a
 * replacement when the property is one that can replace.
 */
export function diffInstance(olds: Comparable, news: Comparable): InstanceDiff {
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const property of INSTANCE_PROPERTIES) {
    const next = news[property.name];
    const old = olds[property.name];
    if (next === undefined && UNMANAGED_WHEN_UNSET.includes(property.name)) continue;
    if (next === UNKNOWN) {
      (property.replaceIf(old, undefined) || isAlwaysReplacing(property.name) ? replaces : updates).push(
        property.name,
      );
      continue;
    }
    if (property.same(old ?? null, next ?? null)) continue;
    (property.replaceIf(old, next) ? replaces : updates).push(property.name);
  }
  return { changes: replaces.length + updates.length > 0, replaces, updates };
}

const UNMANAGED_WHEN_UNSET = ["projectId", "logsPolicy", "backupSameRegion", "volumeSizeGb", "password"];

function isAlwaysReplacing(name: string): boolean {
  return ["engine", "userName", "initSettings", "projectId", "region", "cloneFrom"].includes(name);
}
