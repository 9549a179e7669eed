// Starts `@pulumi/pulumi/cmd/dynamic-provider` in the program folder and calls it over gRPC as the real engine does;
// provider failures come back as errors, Create/Update failures of objects that exist carry their id and outputs.
import { type ChildProcess, spawn } from "node:child_process";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { type PropertyMap, splitSecrets } from "./properties";

export interface ProviderHostOptions {
  /** Absolute path of `cmd/dynamic-provider` (from the program's own `@pulumi/pulumi`). */
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every line the providers print after the port line. */
  onOutput: (line: string, stream: "stdout" | "stderr") => void;
}

/** A Create or Update failure where the object exists: the resource must be recorded with these values. */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: PropertyMap,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface CheckResult {
  inputs: PropertyMap;
  failures: Array<{ property: string; reason: string }>;
}

function toStruct(props: PropertyMap): Struct {
  return Struct.fromJavaScript(props);
}

function fromStruct(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

function initFailure(error: grpc.ServiceError): ResourceInitError | undefined {
  const raw = error.metadata?.get("grpc-status-details-bin")[0];
  if (raw === undefined) return undefined;
  const status = statusproto.Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw) : raw);
  for (const detail of status.getDetailsList()) {
    const failed = detail.unpack(
      provproto.ErrorResourceInitFailed.deserializeBinary,
      "pulumirpc.ErrorResourceInitFailed",
    );
    if (failed) {
      return new ResourceInitError(
        status.getMessage() || error.details,
        failed.getId(),
        fromStruct(failed.getProperties()),
        failed.getReasonsList(),
      );
    }
  }
  return undefined;
}

function providerError(error: grpc.ServiceError): Error {
  return initFailure(error) ?? new Error(error.details || error.message);
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

function call<Res>(invoke: (callback: Callback<Res>) => grpc.ClientUnaryCall): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((error, response) => (error ? reject(providerError(error)) : resolve(response)));
  });
}

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
  ) {}

  static async start(options: ProviderHostOptions): Promise<ProviderHost> {
    const child = spawn(process.execPath, [options.entry, "127.0.0.1:0"], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr = readline.createInterface({ input: child.stderr! });
    stderr.on("line", (line) => options.onOutput(line, "stderr"));
    const stdout = readline.createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      let first = true;
      stdout.on("line", (line) => {
        if (!first) return options.onOutput(line, "stdout");
        first = false;
        const parsed = Number(line.trim());
        if (Number.isInteger(parsed) && parsed > 0) resolve(parsed);
        else reject(new Error(`dynamic provider host printed "${line}" instead of its port`));
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`dynamic provider host exited (${code}) before listening`)),
      );
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client);
  }

  /**
   * Gives the providers the stack config (`namespace:key` → value, secure values as secrets, which the host unwraps);
   * their `configure()` runs lazily on the first call for each provider text. Calls are sent as steps come, together,
   * once this has answered (the real engine's calls wait for Configure alone: pkg/resource/plugin/provider_plugin.go
   * `getPluginConfig`), although the host caches a provider before its `configure()` resolves
   * (sdk/nodejs/cmd/dynamic-provider/index.ts `getProvider`): a provider must be configured by the time that first
   * awaits, or its other first calls run unconfigured, as they would under the real CLI.
   */
  async configure(config: PropertyMap): Promise<void> {
    const request = new provproto.ConfigureRequest();
    const variables = request.getVariablesMap();
    for (const [key, value] of Object.entries(splitSecrets(config).plain)) {
      variables.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    request.setArgs(Struct.fromJavaScript(config));
    request.setAcceptsecrets(true);
    await call((callback: Callback<provproto.ConfigureResponse>) => this.client.configure(request, callback));
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const request = new provproto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await call((callback: Callback<provproto.CheckResponse>) =>
      this.client.check(request, callback),
    );
    return {
      inputs: fromStruct(response.getInputs()),
      failures: response.getFailuresList().map((failure) => ({
        property: failure.getProperty(),
        reason: failure.getReason(),
      })),
    };
  }

  async diff(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<DiffResult> {
    const request = new provproto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    request.setOldInputs(toStruct(oldInputs));
    const response = await call((callback: Callback<provproto.DiffResponse>) =>
      this.client.diff(request, callback),
    );
    const changes = response.getChanges();
    const { DIFF_NONE, DIFF_SOME } = provproto.DiffResponse.DiffChanges;
    return {
      changes: changes === DIFF_SOME ? "some" : changes === DIFF_NONE ? "none" : "unknown",
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  async create(urn: string, inputs: PropertyMap): Promise<{ id: string; outputs: PropertyMap }> {
    const request = new provproto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(toStruct(inputs));
    const response = await call((callback: Callback<provproto.CreateResponse>) =>
      this.client.create(request, callback),
    );
    return { id: response.getId(), outputs: fromStruct(response.getProperties()) };
  }

  async update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<PropertyMap> {
    const request = new provproto.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    request.setOldInputs(toStruct(oldInputs));
    const response = await call((callback: Callback<provproto.UpdateResponse>) =>
      this.client.update(request, callback),
    );
    return fromStruct(response.getProperties());
  }

  async read(
    urn: string,
    id: string,
    outputs: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; outputs: PropertyMap; inputs?: PropertyMap }> {
    const request = new provproto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(outputs));
    request.setInputs(toStruct(inputs));
    const response = await call((callback: Callback<provproto.ReadResponse>) =>
      this.client.read(request, callback),
    );
    const returnedInputs = response.getInputs();
    return {
      id: response.getId(),
      outputs: fromStruct(response.getProperties()),
      inputs: returnedInputs ? fromStruct(returnedInputs) : undefined,
    };
  }

  async delete(urn: string, id: string, outputs: PropertyMap, inputs: PropertyMap): Promise<void> {
    const request = new provproto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(outputs));
    request.setOldInputs(toStruct(inputs));
    await call((callback: Callback<Empty>) => this.client.delete(request, callback));
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }
}
