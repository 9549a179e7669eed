// How a client reads its settings: the explicit option first, then the environment variable; blank counts as unset.
import { ConfigurationError } from "./errors";

export type Environment = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

/** Reads a setting from its option, else from the environment variable `variable`, trimmed; blank is unset. */
export function settingReader(
  env: Environment,
): (option: string | undefined, variable: string) => string | undefined {
  return (option, variable) => nonEmpty(option) ?? nonEmpty(env[variable]);
}

/** The setting, or a ConfigurationError whose `missing` message names where to set it. */
export function requiredSetting(value: string | undefined, missing: string): string {
  if (!value) throw new ConfigurationError(missing);
  return value;
}
