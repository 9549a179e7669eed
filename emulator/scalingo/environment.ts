// The shell environment pointing Scalingo clients at the emulator, printed by `pulumi-dbaas emulator` at start.
import type { EmulatorOptions } from "../framework";
import { API_PREFIX, AUTH_PREFIX, DB_API_PREFIX, REGION_NAME } from "./hosts";

/** Printed when no --scalingo-token is declared: any token starting with `tk-us-` is then accepted. */
export const DEFAULT_SCALINGO_API_TOKEN = "tk-us-emulator-00000000000000000000";

export function scalingoEnvironment(url: string, options: EmulatorOptions): Array<[string, string]> {
  return [
    ["SCALINGO_AUTH_URL", `${url}${AUTH_PREFIX}`],
    ["SCALINGO_API_URL", `${url}${API_PREFIX}`],
    ["SCALINGO_DB_API_URL", `${url}${DB_API_PREFIX}`],
    ["SCALINGO_REGION", REGION_NAME],
    ["SCALINGO_API_TOKEN", options.scalingoTokens?.[0] ?? DEFAULT_SCALINGO_API_TOKEN],
  ];
}
