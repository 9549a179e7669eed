// Request checks of the RDB API, collected as per-field problems so one 400 names every bad argument at once.
import type { ArgumentProblem } from "../scaleway-wire";
import {
  findEngineVersion,
  findNodeType,
  type NodeTypeSpec,
  type SettingSpec,
  VOLUME_CHUNK_BYTES,
  VOLUME_MAX_BYTES,
  VOLUME_TYPES,
  type VolumeType,
} from "./catalogue";
import type { Setting } from "./records";

/** A plain JSON object body (an absent body counts as empty). */
export function objectBody(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined || body === null) return {};
  return typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

export class Problems {
  readonly list: ArgumentProblem[] = [];

  add(argument: string, reason: ArgumentProblem["reason"], help: string): void {
    this.list.push({ argument_name: argument, reason, help_message: help });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Reads an optional field of one JSON type, noting a `format` problem when present with another. */
  private optional<T>(
    body: Record<string, unknown>,
    key: string,
    hasType: (value: unknown) => value is T,
    help: string,
  ): T | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (hasType(value)) return value;
    this.add(key, "format", help);
    return undefined;
  }

  optionalString(body: Record<string, unknown>, key: string): string | undefined {
    return this.optional(body, key, (value) => typeof value === "string", "must be a string");
  }

  optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
    return this.optional(body, key, (value) => typeof value === "boolean", "must be a boolean");
  }

  optionalInteger(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
    const isInteger = (value: unknown): value is number => Number.isInteger(value);
    const value = this.optional(body, key, isInteger, "must be an integer");
    if (value === undefined || (value >= min && value <= max)) return value;
    this.add(key, "constraint", `must be between ${min} and ${max}`);
    return undefined;
  }

  optionalStringList(body: Record<string, unknown>, key: string): string[] | undefined {
    const isStringList = (value: unknown): value is string[] =>
      Array.isArray(value) && value.every((item) => typeof item === "string");
    return this.optional(body, key, isStringList, "must be a list of strings");
  }

  /** An RFC 3339 date in the future, or undefined. */
  optionalFutureDate(body: Record<string, unknown>, key: string, now: number): number | undefined {
    const value = this.optionalString(body, key);
    if (value === undefined) return undefined;
    const parsed = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(parsed)) {
      this.add(key, "format", "must be an RFC 3339 date");
      return undefined;
    }
    if (parsed <= now) {
      this.add(key, "constraint", "must be in the future");
      return undefined;
    }
    return parsed;
  }
}

/** The longest name the API accepts for an instance or a backup. */
export const MAX_NAME_LENGTH = 255;

/**
 * The `name` of an instance or backup: required on create (an absent name counts as empty), optional on update but
 * never empty, at most 255 characters either way.
 */
export function checkName(problems: Problems, name: string | undefined, required: boolean): void {
  if (name === undefined && !required) return;
  if (name === undefined || name === "") {
    if (required) problems.add("name", "required", "name is required");
    else problems.add("name", "constraint", "name cannot be empty");
  } else if (name.length > MAX_NAME_LENGTH) {
    problems.add("name", "constraint", `must be at most ${MAX_NAME_LENGTH} characters`);
  }
}

/** 8–128 characters with at least one digit, one uppercase, one lowercase and one special character. */
export function checkPassword(problems: Problems, argument: string, password: string): void {
  const rules: Array<[boolean, string]> = [
    [password.length >= 8 && password.length <= 128, "must be between 8 and 128 characters"],
    [/[0-9]/.test(password), "must contain at least one digit"],
    [/[A-Z]/.test(password), "must contain at least one uppercase character"],
    [/[a-z]/.test(password), "must contain at least one lowercase character"],
    [/[^A-Za-z0-9]/.test(password), "must contain at least one special character"],
  ];
  for (const [ok, help] of rules) {
    if (!ok) problems.add(argument, "constraint", `password ${help}`);
  }
}

const USER_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

export function checkUserName(problems: Problems, argument: string, name: string): void {
  if (!USER_NAME.test(name) || name.startsWith("_rdb")) {
    problems.add(
      argument,
      "format",
      "must start with a letter or underscore and contain at most 63 letters, digits, - or _",
    );
  }
}

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

export function checkDatabaseName(problems: Problems, argument: string, name: string): void {
  if (!DATABASE_NAME.test(name) || ["template0", "template1", "postgres"].includes(name)) {
    problems.add(argument, "format", "must be a valid database name (letters, digits, - or _, at most 63)");
  }
}

export function resolveEngine(
  problems: Problems,
  engine: unknown,
): { name: string; family: string } | undefined {
  if (typeof engine !== "string" || engine === "") {
    problems.add("engine", "required", "engine is required (for example PostgreSQL-16)");
    return undefined;
  }
  const found = findEngineVersion(engine);
  if (!found) {
    problems.add("engine", "constraint", `unknown engine ${engine}`);
    return undefined;
  }
  if (found.version.disabled) {
    problems.add("engine", "constraint", `engine ${found.version.name} is disabled`);
    return undefined;
  }
  return { name: found.version.name, family: found.family };
}

export function resolveNodeType(
  problems: Problems,
  argument: string,
  nodeType: unknown,
): NodeTypeSpec | undefined {
  if (typeof nodeType !== "string" || nodeType === "") {
    problems.add(argument, "required", "node_type is required");
    return undefined;
  }
  const found = findNodeType(nodeType);
  if (!found) problems.add(argument, "constraint", `unknown node type ${nodeType}`);
  return found;
}

export function resolveVolumeType(
  problems: Problems,
  argument: string,
  volumeType: unknown,
): VolumeType | undefined {
  if (typeof volumeType !== "string" || !(VOLUME_TYPES as readonly string[]).includes(volumeType)) {
    problems.add(argument, "constraint", `must be one of ${VOLUME_TYPES.join(", ")}`);
    return undefined;
  }
  return volumeType as VolumeType;
}

/** Block volume sizes: multiples of 5 GB between 5 GB and 10 TB. */
export function checkBlockVolumeSize(
  problems: Problems,
  argument: string,
  size: unknown,
): number | undefined {
  if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) {
    problems.add(argument, "required", "volume_size (bytes) is required for block volumes");
    return undefined;
  }
  if (size % VOLUME_CHUNK_BYTES !== 0 || size > VOLUME_MAX_BYTES) {
    problems.add(argument, "constraint", "must be a multiple of 5 GB (5000000000 bytes), at most 10 TB");
    return undefined;
  }
  return size;
}

function checkSettingValue(spec: SettingSpec, value: string): string | undefined {
  switch (spec.property_type) {
    case "INT": {
      if (!/^-?\d+$/.test(value)) return "must be an integer";
      const number = Number(value);
      if (spec.int_min !== null && number < spec.int_min) return `must be at least ${spec.int_min}`;
      if (spec.int_max !== null && number > spec.int_max) return `must be at most ${spec.int_max}`;
      return undefined;
    }
    case "FLOAT": {
      const number = Number(value);
      if (value.trim() === "" || Number.isNaN(number)) return "must be a number";
      if (spec.float_min !== null && number < spec.float_min) return `must be at least ${spec.float_min}`;
      if (spec.float_max !== null && number > spec.float_max) return `must be at most ${spec.float_max}`;
      return undefined;
    }
    case "BOOLEAN":
      return /^(on|off|true|false|0|1)$/i.test(value) ? undefined : "must be a boolean (ON or OFF)";
    case "STRING":
      return spec.string_constraint && !new RegExp(spec.string_constraint).test(value)
        ? `must match ${spec.string_constraint}`
        : undefined;
  }
}

/** Checks a list of `{name, value}` against the engine's catalogue; returns the settings when all are valid. */
export function checkSettings(
  problems: Problems,
  argument: string,
  raw: unknown,
  available: SettingSpec[],
): Setting[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(argument, "format", "must be a list of {name, value}");
    return undefined;
  }
  const before = problems.list.length;
  const settings: Setting[] = [];
  raw.forEach((item: unknown, index) => {
    const entry = item as { name?: unknown; value?: unknown } | null;
    if (typeof entry?.name !== "string" || typeof entry.value !== "string") {
      problems.add(`${argument}.${index}`, "format", "must be {name: string, value: string}");
      return;
    }
    const spec = available.find((candidate) => candidate.name === entry.name);
    if (!spec) {
      problems.add(`${argument}.${index}.name`, "constraint", `setting ${entry.name} is not available`);
      return;
    }
    const problem = checkSettingValue(spec, entry.value);
    if (problem) {
      problems.add(`${argument}.${index}.value`, "constraint", `${entry.name} ${problem}`);
      return;
    }
    settings.push({ name: entry.name, value: entry.value });
  });
  return problems.list.length === before ? settings : undefined;
}
