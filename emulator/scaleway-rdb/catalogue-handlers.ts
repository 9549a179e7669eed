// Handlers of the RDB catalogue routes: the database engines and node types offered in a region.
import { DATABASE_ENGINES_RESPONSE, NODE_TYPES, nodeTypeWire } from "./catalogue";
import { type Handler, ok } from "./requests";
import type { RdbStore } from "./store";

export function catalogueHandlers(store: RdbStore) {
  return {
    databaseEngines: async (req) => {
      const { region } = store.caller(req);
      const engines = DATABASE_ENGINES_RESPONSE.engines.map((engine) => ({ ...engine, region }));
      return ok({ engines, total_count: engines.length });
    },
    nodeTypes: async (req) => {
      const { region } = store.caller(req);
      const nodeTypes = NODE_TYPES.map((spec) => nodeTypeWire(spec, region));
      return ok({ node_types: nodeTypes, total_count: nodeTypes.length });
    },
  } satisfies Record<string, Handler>;
}
