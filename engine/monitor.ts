// The gRPC endpoints a Pulumi Node.js program talks to (ResourceMonitor and Engine) on 127.0.0.1, delegating the
// work to a deployment; it advertises only the monitor features this engine really handles.
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./properties";

export interface RegistrationResult {
  urn: string;
  /** Empty when unknown (a resource still to be created, in preview). */
  id: string;
  object: PropertyMap;
}

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface MonitorHandlers {
  registerResource(request: resproto.RegisterResourceRequest): Promise<RegistrationResult>;
  registerResourceOutputs(urn: string, outputs: PropertyMap): void;
  log(severity: LogSeverity, message: string, urn: string): void;
}

export interface DeploymentInfo {
  project: string;
  stack: string;
  organization: string;
  dryRun: boolean;
  config: Record<string, string>;
}

const { ResourceMonitorFeature } = resproto;
/**
 * Secrets are tracked end to end. DeletedWith and ReplaceWith are advertised only so that the request reaches this
 * engine, which then refuses them naming the resource (the SDK's own refusal does not say which resource it was).
 */
const SUPPORTED_FEATURES = [
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
];

const SEVERITIES: Record<number, LogSeverity> = {
  [engineproto.LogSeverity.DEBUG]: "debug",
  [engineproto.LogSeverity.INFO]: "info",
  [engineproto.LogSeverity.WARNING]: "warning",
  [engineproto.LogSeverity.ERROR]: "error",
};

function failure(message: string, code = grpc.status.UNKNOWN): Partial<grpc.StatusObject> {
  return { code, details: message };
}

/** What the two services share with the server object: registrations under way and the stack's root resource. */
interface MonitorState {
  inFlight: Set<Promise<unknown>>;
  rootUrn: string;
}

/** A handler for a monitor or engine method this engine does not serve: the program gets `message` back. */
function unsupported(message: string) {
  return (_call: unknown, callback: (error: Partial<grpc.StatusObject>) => void) =>
    callback(failure(message, grpc.status.UNIMPLEMENTED));
}

function deploymentInfoOf(info: DeploymentInfo): resproto.DeploymentInfo {
  const response = new resproto.DeploymentInfo();
  response.setProject(info.project);
  response.setStack(info.stack);
  response.setOrganization(info.organization);
  response.setDryrun(info.dryRun);
  for (const [key, value] of Object.entries(info.config)) response.getConfigMap().set(key, value);
  response.setSupportedfeaturesList(SUPPORTED_FEATURES);
  return response;
}

function resourceMonitorService(
  handlers: MonitorHandlers,
  info: DeploymentInfo,
  state: MonitorState,
): resrpc.IResourceMonitorServer {
  const track = <T>(work: Promise<T>): Promise<T> => {
    state.inFlight.add(work);
    return work.finally(() => state.inFlight.delete(work));
  };
  return {
    getDeploymentInfo: (_call, callback) => callback(null, deploymentInfoOf(info)),
    supportsFeature: (call, callback) => {
      const response = new resproto.SupportsFeatureResponse();
      const feature = call.request.getId() as keyof typeof featureNames;
      response.setHassupport(featureNames[feature] ?? false);
      callback(null, response);
    },
    registerResource: (call, callback) => {
      track(handlers.registerResource(call.request)).then(
        (result) => {
          const response = new resproto.RegisterResourceResponse();
          response.setUrn(result.urn);
          response.setId(result.id);
          response.setObject(Struct.fromJavaScript(result.object));
          callback(null, response);
        },
        (error: Error) => callback(failure(error.message)),
      );
    },
    registerResourceOutputs: (call, callback) => {
      handlers.registerResourceOutputs(
        call.request.getUrn(),
        (call.request.getOutputs()?.toJavaScript() ?? {}) as PropertyMap,
      );
      callback(null, new Empty());
    },
    readResource: (call, callback) =>
      callback(
        failure(
          `reading existing resources (the "id" option / .get()) is not supported by this engine: ` +
            `${call.request.getType()} "${call.request.getName()}"`,
          grpc.status.UNIMPLEMENTED,
        ),
      ),
    invoke: (call, callback) =>
      callback(failure(`unknown function ${call.request.getTok()}: this engine serves no invokes`)),
    call: (call, callback) =>
      callback(
        failure(`method calls are not supported: ${call.request.getTok()}`, grpc.status.UNIMPLEMENTED),
      ),
    existsResource: unsupported("ExistsResource is not supported"),
    registerStackTransform: unsupported("stack transforms are not supported"),
    registerStackInvokeTransform: unsupported("invoke transforms are not supported"),
    registerResourceHook: unsupported("resource hooks are not supported"),
    registerErrorHook: unsupported("error hooks are not supported"),
    registerPackage: unsupported("packages (parameterized providers) are not supported"),
    // Nothing runs on the program's behalf (no hooks, no transforms), so there is nothing to wait for.
    signalAndWaitForShutdown: (_call, callback) => callback(null, new Empty()),
  };
}

function engineService(handlers: MonitorHandlers, state: MonitorState): enginerpc.IEngineServer {
  return {
    log: (call, callback) => {
      const request = call.request;
      handlers.log(SEVERITIES[request.getSeverity()] ?? "info", request.getMessage(), request.getUrn());
      callback(null, new Empty());
    },
    getRootResource: (_call, callback) => {
      const response = new engineproto.GetRootResourceResponse();
      response.setUrn(state.rootUrn);
      callback(null, response);
    },
    setRootResource: (call, callback) => {
      state.rootUrn = call.request.getUrn();
      callback(null, new engineproto.SetRootResourceResponse());
    },
    startDebugging: unsupported("debugging is not supported"),
    requirePulumiVersion: (_call, callback) => callback(null, new engineproto.RequirePulumiVersionResponse()),
  };
}

export class MonitorServer {
  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    private readonly state: MonitorState,
  ) {}

  static async start(handlers: MonitorHandlers, info: DeploymentInfo): Promise<MonitorServer> {
    const server = new grpc.Server();
    const state: MonitorState = { inFlight: new Set(), rootUrn: "" };
    server.addService(resrpc.ResourceMonitorService, resourceMonitorService(handlers, info, state));
    server.addService(enginerpc.EngineService, engineService(handlers, state));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    return new MonitorServer(server, `127.0.0.1:${port}`, state);
  }

  /** Waits for registrations still being processed (a crashing program does not wait for them). */
  async settle(): Promise<void> {
    while (this.state.inFlight.size > 0) await Promise.allSettled([...this.state.inFlight]);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

const featureNames = {
  secrets: true,
  deletedWith: true,
  replaceWith: true,
} as const;
