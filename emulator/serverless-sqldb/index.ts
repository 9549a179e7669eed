// The emulated Scaleway Serverless SQL Database API (v1alpha1) as one emulator module: databases, their automatic
// daily backups and backup exports.
import type { ApiModule, ModuleFactory } from "../framework";
import { malformedPathArgument } from "../scaleway-wire";
import { serverlessRoutes } from "./routes";
import { ServerlessStore } from "./store";

export { SERVERLESS_CONTROL_PATH, SERVERLESS_PREFIX } from "./routes";

export const createServerlessSqlModule: ModuleFactory = (ctx): ApiModule => {
  const store = new ServerlessStore(ctx);
  return {
    name: "serverless-sqldb",
    routes: serverlessRoutes(store),
    reset: () => store.reset(),
    exportState: () => store.state,
    importState: (state) => store.importState(state),
    // Route parameters are the API's own names in camelCase (`databaseId` → `database_id`).
    malformedPathParameter: (name) =>
      malformedPathArgument(name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)),
  };
};
