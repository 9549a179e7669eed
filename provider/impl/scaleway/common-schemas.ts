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
