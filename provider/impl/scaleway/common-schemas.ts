// Validation rules shared by the Scaleway resources' inputs.
import { z } from "zod";

const REGIONAL_UUID = /^([a-z]{2}-[a-z]{3}\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function regionalIdSchema(what: string) {
  return z
    .string({ message: `is required: the ${what} id, {region}/{uuid}` })
    .regex(REGIONAL_UUID, `must be a ${what} id: {region}/{uuid} or a UUID`);
}

const DURATION_RULE = 'must be a duration such as "90s", "20m" or "1h30m"';
const duration = z
  .string()
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, DURATION_RULE)
  .refine((text) => text !== "", DURATION_RULE);

export const timeoutsSchema = z
  .object({ create: duration.optional(), update: duration.optional(), delete: duration.optional() })
  .strict();

export const databaseNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    "must start with a letter or '_' and use only letters, digits, '-' or '_'",
  );

export const userNameSchema = z
  .string({ message: "is required: the user's name" })
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/,
    "must start with a letter or '_' and be at most 63 letters, digits, '-' or '_'",
  )
  .refine((name) => !name.startsWith("_rdb"), "must not start with _rdb (reserved by the service)");

/**
 * The id of something that lives inside an instance and is known by its name(s): `{region}/{instance uuid}/{name}`
 * (a privilege: `/{database}/{user}`), as Terraform's scaleway_rdb_database, _user and _privilege write theirs.
 */
export function instancePartIdSchema(what: string, names: readonly string[]) {
  const shape = `{region}/{instance uuid}/${names.map((name) => `{${name}}`).join("/")}`;
  const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const pattern = new RegExp(`^[a-z]{2}-[a-z]{3}/${uuid}${"/[^/]+".repeat(names.length)}$`, "i");
  return z.string().regex(pattern, `must be a ${what} id: ${shape}`);
}
