// Finds the route of a request among the modules' route tables, runs its handler and renders the typed errors it
// raises; a path no route knows is a 404, a known path with another method a 405.
import { EmulatorError } from "./errors";
import {
  type ApiModule,
  compilePattern,
  type EmulatorRequest,
  type EmulatorResponse,
  MalformedPathError,
  type Route,
} from "./framework";

interface CompiledRoute {
  module: ApiModule;
  route: Route;
  match: (path: string) => Record<string, string> | undefined;
}

const METHOD_NOT_ALLOWED: EmulatorResponse = {
  status: 405,
  body: { message: "method not allowed", type: "invalid_request_error" },
};
const ROUTE_NOT_FOUND: EmulatorResponse = {
  status: 404,
  body: { message: "route not found", type: "not_found" },
};

/** Runs a handler, turning the typed errors it raises into the answer of their API. */
async function runHandler(route: Route, request: EmulatorRequest): Promise<EmulatorResponse> {
  try {
    return await route.handler(request);
  } catch (error) {
    if (error instanceof EmulatorError) return error.response();
    throw error;
  }
}

function malformedPath(module: ApiModule, error: MalformedPathError): EmulatorResponse {
  return (
    module.malformedPathParameter?.(error.parameter) ?? {
      status: 400,
      body: { message: error.message, type: "invalid_request_error" },
    }
  );
}

/**
 * The emulator's route table: its own control routes, which answer only their exact method and path, then every
 * module's routes.
 */
export class Router {
  private readonly controls: Array<{ route: Route; match: (path: string) => boolean }>;
  private readonly routes: CompiledRoute[];

  constructor(controls: Route[], modules: ApiModule[]) {
    this.controls = controls.map((route) => ({ route, match: (path) => path === route.pattern }));
    this.routes = modules.flatMap((module) =>
      module.routes.map((route) => ({ module, route, match: compilePattern(route.pattern) })),
    );
  }

  async dispatch(request: EmulatorRequest): Promise<EmulatorResponse> {
    const control = this.controls.find(
      ({ route, match }) => route.method === request.method && match(request.path),
    );
    if (control) return runHandler(control.route, request);
    let methodMismatch = false;
    for (const { module, route, match } of this.routes) {
      let params: Record<string, string> | undefined;
      try {
        params = match(request.path);
      } catch (error) {
        if (!(error instanceof MalformedPathError)) throw error;
        return malformedPath(module, error);
      }
      if (!params) continue;
      if (route.method !== request.method) {
        methodMismatch = true;
        continue;
      }
      return runHandler(route, { ...request, params });
    }
    return methodMismatch ? METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
  }
}
