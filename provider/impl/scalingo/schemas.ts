// Validation rules shared by the Scalingo resources' inputs, and their `{app}/{addonId}[/{backupId}]` ids.
import { z } from "zod";

export const appSchema = z
  .string({ message: "is required: the Scalingo application name" })
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must be an application name: lowercase letters, digits and dashes");

export const addonIdSchema = z
  .string({ message: "is required: the database addon id (ad-…)" })
  .min(1, "must not be empty")
  .regex(/^[A-Za-z0-9_-]+$/, "must be an addon id such as ad-0123…: letters, digits, dashes, underscores");

export function formatScalingoId(...parts: string[]): string {
  return parts.join("/");
}

/** Splits `{app}/{addonId}` (2 parts) or `{app}/{addonId}/{backupId}` (3 parts). */
export function parseScalingoId(id: string, parts: 2 | 3): string[] {
  const split = id.split("/");
  if (split.length !== parts || split.some((part) => part === "")) {
    const shape = parts === 2 ? "{app}/{addonId}" : "{app}/{addonId}/{backupId}";
    throw new Error(`"${id}" is not a Scalingo ${shape} identifier`);
  }
  return split;
}
