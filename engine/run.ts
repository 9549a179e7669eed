// Runs one engine command end to end: loads the project and state, starts the provider host and (for up/preview)
// the monitor and the program through `@pulumi/pulumi/cmd/run`, and returns what happened.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as readline from "node:readline";
import {
  type EngineEvent,
  errorMessage,
  type Phase,
  Redactor,
  RunContext,
  RunReport,
  type StepOp,
  type StepRecord,
} from "./context";
import { Deployment } from "./deployment";
import { type LogSeverity, MonitorServer } from "./monitor";
import { loadProject, loadStackConfig, type PulumiProject, type StackConfig } from "./project";
import { applySecrets, type JsonValue, type PropertyMap, splitSecrets } from "./properties";
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
  /** Fail when any step of the command changes something (for refresh: any resource drifted or vanished). */
  expectNoChanges?: boolean;
  /** `preview`/`up`: refresh the state first (`--refresh`): in memory for a preview, saved for an `up`. */
  refresh?: boolean;
  /** `up`: apply without the preview `pulumi up` runs first (`--skip-preview`). */
  skipPreview?: boolean;
  /** Extra environment for the program and the provider host (and PULUMI_CONFIG_PASSPHRASE[_FILE]). */
  env?: Record<string, string | undefined>;
  /** `--parallel` given to the program; default 16. */
  parallel?: number;
  onEvent?: (event: EngineEvent) => void;
}

export interface EngineResult {
  command: EngineCommand;
  stack: string;
  ok: boolean;
  /** The steps of the command itself (for `up`, of the update; the preview's are in `previewSteps`). */
  steps: StepRecord[];
  /** `up`: the steps of the preview it ran first (unless skipped); when that preview failed, `steps` are the same. */
  previewSteps?: StepRecord[];
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
  config: StackConfig,
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
  env.PULUMI_CONFIG = JSON.stringify(config.values);
  env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(config.secretKeys);
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
  config: StackConfig,
): Promise<void> {
  const deployment = new Deployment(context);
  const monitor = await MonitorServer.start(deployment, {
    project: project.name,
    stack,
    organization: "organization",
    dryRun: context.dryRun,
    config: config.values,
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

/**
 * The stack config as the default provider's inputs: namespaced keys, `secure:` values as secrets (the real engine
 * gives a dynamic provider the whole config, namespaces kept: pkg/resource/deploy/target.go `GetPackageConfig`).
 */
function providerConfigOf(config: StackConfig): PropertyMap {
  return applySecrets({ ...config.values }, config.secretKeys);
}

/** Provider hosts by configuration: one process per distinct config, since each configures its providers once. */
class ProviderHosts {
  private readonly hosts = new Map<string, Promise<ProviderHost>>();

  constructor(private readonly start: (config: PropertyMap) => Promise<ProviderHost>) {}

  for(config: PropertyMap): () => Promise<ProviderHost> {
    return () => {
      const key = JSON.stringify(config);
      let host = this.hosts.get(key);
      if (!host) {
        host = this.start(config);
        this.hosts.set(key, host);
      }
      return host;
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.hosts.values()].map((host) =>
        host.then(
          (started) => started.stop(),
          () => undefined,
        ),
      ),
    );
  }
}

interface Session {
  project: PulumiProject;
  options: EngineOptions;
  stack: string;
  config: StackConfig;
  store: StateStore;
  hosts: ProviderHosts;
  report: RunReport;
}

function phaseContext(session: Session, phase: Phase, store: StateStore, config: PropertyMap): RunContext {
  session.report.emit({ kind: "phase", phase });
  const dryRun = phase === "preview";
  const { project, stack, hosts, report } = session;
  return new RunContext(project.name, stack, dryRun, store, hosts.for(config), report);
}

/**
 * `refresh` and `destroy` run no program, so the provider is the one recorded with the state, configured as the last
 * `up` left it (deployment.go builds the provider registry from the old snapshot); a state without that record
 * falls back to the current stack config.
 */
function storedConfig(session: Session): PropertyMap {
  return session.store.providerConfig ?? providerConfigOf(session.config);
}

/**
 * `pulumi preview [--refresh]`, or the preview `pulumi up` runs first (pkg/backend/apply.go
 * `PreviewThenPromptThenExecute`): on an in-memory copy of the state, the refresh (deployment_executor.go
 * `refresh`, before the program runs) with the stored provider, then the program with the current config.
 */
async function preview(session: Session): Promise<RunContext> {
  const copy = session.store.snapshot();
  if (session.options.refresh) await refresh(phaseContext(session, "refresh", copy, storedConfig(session)));
  const context = phaseContext(session, "preview", copy, providerConfigOf(session.config));
  if (context.errors.length === 0)
    await upOrPreview(context, session.project, session.options, session.stack, session.config);
  return context;
}

async function update(session: Session): Promise<RunContext> {
  const { store } = session;
  if (session.options.refresh) await refresh(phaseContext(session, "refresh", store, storedConfig(session)));
  const config = providerConfigOf(session.config);
  const context = phaseContext(session, "update", store, config);
  if (context.errors.length > 0) return context;
  store.setProviderConfig(config);
  await upOrPreview(context, session.project, session.options, session.stack, session.config);
  return context;
}

async function runCommand(session: Session): Promise<{ main: RunContext; previewed?: RunContext }> {
  switch (session.options.command) {
    case "preview":
      return { main: await preview(session) };
    case "up": {
      if (session.options.skipPreview) return { main: await update(session) };
      const previewed = await preview(session);
      if (previewed.errors.length > 0) return { main: previewed, previewed };
      return { main: await update(session), previewed };
    }
    case "refresh": {
      const context = phaseContext(session, "refresh", session.store, storedConfig(session));
      await refresh(context);
      return { main: context };
    }
    case "destroy": {
      const context = phaseContext(session, "destroy", session.store, storedConfig(session));
      await destroy(context);
      return { main: context };
    }
  }
}

/** Runs `up`, `preview`, `refresh` or `destroy` on the Pulumi project in `options.cwd`. Never throws for run failures. */
export async function runEngine(options: EngineOptions): Promise<EngineResult> {
  const started = Date.now();
  const stack = options.stack ?? "dev";
  const onEvent = options.onEvent ?? (() => undefined);
  let stateFile = "";
  let report: RunReport | undefined;
  let hosts: ProviderHosts | undefined;
  let outcome: { main: RunContext; previewed?: RunContext } | undefined;
  let store: StateStore | undefined;
  const setupErrors: string[] = [];
  try {
    const project = loadProject(options.cwd ?? process.cwd());
    const loaded = loadStackConfig(project, stack, { ...process.env, ...options.env });
    report = new RunReport(
      new Redactor(loaded.config.secretKeys.map((key) => loaded.config.values[key] ?? "")),
      onEvent,
    );
    const redactor = report.redactor;
    stateFile = stateFilePath(project.rootDirectory, stack);
    store = new StateStore(
      stateFile,
      readState(stateFile, loaded.secrets),
      options.command !== "preview",
      loaded.secrets,
    );
    hosts = new ProviderHosts(async (config) => {
      const host = await ProviderHost.start({
        entry: resolvePulumiModule(project.programDirectory, "@pulumi/pulumi/cmd/dynamic-provider"),
        cwd: project.programDirectory,
        env: childEnv(options, project, stack),
        onOutput: (line, stream) =>
          onEvent({ kind: "output", source: "provider", stream, line: redactor.scrub(line) }),
      });
      await host.configure(config);
      return host;
    });
    outcome = await runCommand({ project, options, stack, config: loaded.config, store, hosts, report });
  } catch (error) {
    setupErrors.push(errorMessage(error));
  } finally {
    await hosts?.stopAll();
  }

  const steps = outcome?.main.steps ?? [];
  const counts = emptyCounts();
  for (const step of steps) counts[step.op]++;
  const changes = steps.some((step) => step.op !== "same");
  const errors = [
    ...(report?.errors ?? []),
    ...setupErrors.map((error) => report?.redactor.scrub(error) ?? error),
  ];
  if (options.expectNoChanges && changes && errors.length === 0) {
    const changed = steps
      .filter((step) => step.op !== "same")
      .map((step) => `${step.op} ${step.name}${step.keys?.length ? ` [${step.keys.join(", ")}]` : ""}`);
    errors.push(`no changes were expected, but found: ${changed.join(", ")}`);
  }
  const split = splitSecrets(outcome?.main.state.outputs ?? store?.outputs ?? {});
  return {
    command: options.command,
    stack,
    ok: errors.length === 0,
    steps,
    ...(outcome?.previewed ? { previewSteps: outcome.previewed.steps } : {}),
    counts,
    changes,
    outputs: split.plain,
    secretOutputs: [...split.secretKeys],
    diagnostics: report?.diagnostics ?? [],
    errors,
    stateFile,
    durationMs: Date.now() - started,
  };
}
