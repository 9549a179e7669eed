// Runs one engine command end to end: loads the project and state, starts the provider host and (for up/preview)
// the monitor and the program through `@pulumi/pulumi/cmd/run`, and returns what happened.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as readline from "node:readline";
import { type EngineEvent, errorMessage, RunContext, type StepOp, type StepRecord } from "./context";
import { Deployment } from "./deployment";
import { type LogSeverity, MonitorServer } from "./monitor";
import { loadProject, loadStackConfig, type PulumiProject } from "./project";
import { type JsonValue, splitSecrets } from "./properties";
import { ProviderHost } from "./provider-host";
import { destroy, refresh } from "./refresh";
import { readState, StateStore, stateFilePath } from "./state";

export type EngineCommand = "up" | "preview" | "refresh" | "destroy";

export interface EngineOptions {
  command: EngineCommand;
  /** Folder holding `Pulumi.yaml` (default: the current directory). */
  cwd?: string;
  /** Default `dev`. */
  stack?: string;
  /** Fail when any step (or, for refresh, any resource) changes something. */
  expectNoChanges?: boolean;
  /** Extra environment for the program and the provider host. */
  env?: Record<string, string | undefined>;
  /** `--parallel` given to the program; default 16. */
  parallel?: number;
  onEvent?: (event: EngineEvent) => void;
}

export interface EngineResult {
  command: EngineCommand;
  stack: string;
  ok: boolean;
  steps: StepRecord[];
  counts: Record<StepOp, number>;
  /** Whether any step was not `same`. */
  changes: boolean;
  /** Stack outputs as plain values; `secretOutputs` names the secret ones (printed as `[secret]`). */
  outputs: Record<string, JsonValue>;
  secretOutputs: string[];
  diagnostics: Array<{ severity: LogSeverity; message: string; urn?: string }>;
  errors: string[];
  stateFile: string;
  durationMs: number;
}

function resolvePulumiModule(programDirectory: string, request: string): string {
  try {
    // The program's own @pulumi/pulumi: cmd/run and the program must share one copy of the SDK runtime.
    return createRequire(path.join(programDirectory, "index.js")).resolve(request);
  } catch {
    return require.resolve(request);
  }
}

function childEnv(options: EngineOptions, project: PulumiProject, stack: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...options.env,
    PULUMI_NODEJS_PROJECT: project.name,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_NODEJS_ORGANIZATION: "organization",
  };
}

function forwardLines(stream: NodeJS.ReadableStream, sink: (line: string) => void): Promise<void> {
  const lines = readline.createInterface({ input: stream });
  lines.on("line", sink);
  return new Promise((resolve) => lines.once("close", () => resolve()));
}

async function runProgram(
  context: RunContext,
  project: PulumiProject,
  options: EngineOptions,
  stack: string,
  monitorAddress: string,
  config: Record<string, string>,
): Promise<number> {
  const runEntry = resolvePulumiModule(project.programDirectory, "@pulumi/pulumi/cmd/run");
  const args = [
    runEntry,
    `--monitor=${monitorAddress}`,
    `--engine=${monitorAddress}`,
    `--organization=organization`,
    `--project=${project.name}`,
    `--stack=${stack}`,
    `--root-directory=${project.rootDirectory}`,
    `--pwd=${project.programDirectory}`,
    ...(context.dryRun ? ["--dry-run=true"] : []),
    `--parallel=${options.parallel ?? 16}`,
    project.entryPoint,
  ];
  const env = childEnv(options, project, stack);
  env.PULUMI_CONFIG = JSON.stringify(config);
  env.PULUMI_CONFIG_SECRET_KEYS = "[]";
  if (project.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  const child = spawn(process.execPath, args, {
    cwd: project.programDirectory,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exitCode = new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  await Promise.all([
    forwardLines(child.stdout, (line) => context.output("program", "stdout", line)),
    forwardLines(child.stderr, (line) => context.output("program", "stderr", line)),
  ]);
  return exitCode;
}

async function upOrPreview(
  context: RunContext,
  project: PulumiProject,
  options: EngineOptions,
  stack: string,
  config: Record<string, string>,
): Promise<void> {
  const deployment = new Deployment(context);
  const monitor = await MonitorServer.start(deployment, {
    project: project.name,
    stack,
    organization: "organization",
    dryRun: context.dryRun,
    config,
  });
  try {
    const exitCode = await runProgram(context, project, options, stack, monitor.address, config);
    await monitor.settle();
    if (exitCode !== 0) {
      if (context.errors.length === 0) {
        const logged = context.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
        for (const diagnostic of logged) context.fail(diagnostic.message);
        if (logged.length === 0) context.fail(`the program exited with code ${exitCode}`);
      }
      return;
    }
    if (context.errors.length === 0) await deployment.finish();
  } finally {
    await monitor.stop();
  }
}

function emptyCounts(): Record<StepOp, number> {
  return { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
}

/** Runs `up`, `preview`, `refresh` or `destroy` on the Pulumi project in `options.cwd`. Never throws for run failures. */
export async function runEngine(options: EngineOptions): Promise<EngineResult> {
  const started = Date.now();
  const stack = options.stack ?? "dev";
  const onEvent = options.onEvent ?? (() => undefined);
  let stateFile = "";
  let context: RunContext | undefined;
  let host: Promise<ProviderHost> | undefined;
  const setupErrors: string[] = [];
  try {
    const project = loadProject(options.cwd ?? process.cwd());
    const config = loadStackConfig(project, stack);
    stateFile = stateFilePath(project.rootDirectory, stack);
    const dryRun = options.command === "preview";
    const store = new StateStore(stateFile, readState(stateFile), !dryRun);
    const startHost = async (): Promise<ProviderHost> => {
      const started = await ProviderHost.start({
        entry: resolvePulumiModule(project.programDirectory, "@pulumi/pulumi/cmd/dynamic-provider"),
        cwd: project.programDirectory,
        env: childEnv(options, project, stack),
        onOutput: (line, stream) => context?.output("provider", stream, line),
      });
      await started.configure(config);
      return started;
    };
    context = new RunContext(
      project.name,
      stack,
      dryRun,
      store,
      () => {
        host ??= startHost();
        return host;
      },
      onEvent,
    );
    if (options.command === "up" || options.command === "preview") {
      await upOrPreview(context, project, options, stack, config);
    } else if (options.command === "refresh") await refresh(context);
    else await destroy(context);
  } catch (error) {
    setupErrors.push(errorMessage(error));
  } finally {
    if (host)
      await host.then(
        (started) => started.stop(),
        () => undefined,
      );
  }

  const steps = context?.steps ?? [];
  const counts = emptyCounts();
  for (const step of steps) counts[step.op]++;
  const changes = steps.some((step) => step.op !== "same");
  const errors = [
    ...(context?.errors ?? []),
    ...setupErrors.map((error) => context?.redactor.scrub(error) ?? error),
  ];
  if (options.expectNoChanges && changes && errors.length === 0) {
    const changed = steps.filter((step) => step.op !== "same").map((step) => `${step.op} ${step.name}`);
    errors.push(`no changes were expected, but found: ${changed.join(", ")}`);
  }
  const split = splitSecrets(context?.state.outputs ?? {});
  return {
    command: options.command,
    stack,
    ok: errors.length === 0,
    steps,
    counts,
    changes,
    outputs: split.plain,
    secretOutputs: [...split.secretKeys],
    diagnostics: context?.diagnostics ?? [],
    errors,
    stateFile,
    durationMs: Date.now() - started,
  };
}
