// Where the emulated Scalingo APIs live on the emulator: the path prefix standing for each real host (auth, main API,
// database API), the path of the module's test control, and the one region it emulates.

export const AUTH_PREFIX = "/scalingo/auth";
export const API_PREFIX = "/scalingo/api";
export const DB_API_PREFIX = "/scalingo/db-api";
export const SCALINGO_CONTROL_PATH = "/_emulator/scalingo/databases";

export const REGION_NAME = "osc-fr1";
