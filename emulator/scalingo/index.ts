// The emulated Scalingo APIs (auth, main API, database API) as one emulator module.
import type { ApiModule, ModuleFactory } from "../framework";
import { scalingoRoutes } from "./routes";
import { ScalingoStore } from "./store";

export { DEFAULT_SCALINGO_API_TOKEN, scalingoEnvironment } from "./environment";
export { API_PREFIX, AUTH_PREFIX, DB_API_PREFIX, REGION_NAME, SCALINGO_CONTROL_PATH } from "./hosts";
export { ARCHIVE_URL_TTL_MS } from "./model";
export { DEFAULT_PERIODIC_BACKUP_HOURS, MANUAL_BACKUPS_KEPT } from "./records";
export { MAIN_API_RATE_LIMIT } from "./store";

export const createScalingoModule: ModuleFactory = (ctx, options): ApiModule => {
  const store = new ScalingoStore(ctx);
  return {
    name: "scalingo",
    routes: scalingoRoutes(store, options),
    reset: () => store.reset(),
    exportState: () => store.state,
    importState: (state) => store.importState(state),
  };
};
