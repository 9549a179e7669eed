// The Scaleway RDB v1 module of the emulator: its state in an RdbStore, its routes in the route table of routes.ts.
import type { ApiModule, ModuleFactory } from "../framework";
import { malformedPathArgument } from "../scaleway-wire";
import { rdbRoutes } from "./routes";
import { pathArgumentName, RdbStore } from "./store";

export const scalewayRdbModule: ModuleFactory = (ctx): ApiModule => {
  const store = new RdbStore(ctx, ctx.dataPlane);
  return {
    name: "scaleway-rdb",
    routes: rdbRoutes(store),
    reset: () => store.reset(),
    exportState: () => store.exportState(),
    importState: (state) => store.importState(state),
    malformedPathParameter: (name) => malformedPathArgument(pathArgumentName(name)),
  };
};
