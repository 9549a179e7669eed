// Test harness for the provider suites: a real emulator on a loopback port, and a Pulumi program folder (declared in
// stack config) run through the local engine, the real @pulumi/pulumi runtime and the dynamic-provider host.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type EmulatorOptions, startEmulator, type TimeProfile } from "../../emulator";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import type { RunningEmulator } from "../../emulator/server";
import { type EngineCommand, type EngineEvent, type EngineResult, runEngine } from "../../engine";
import type { StackState } from "../../engine/state";
import { RdbApi } from "../../sdk";

const REPO = path.resolve(__dirname, "../..");

export interface ResourceSpec {
  type: string;
  name: string;
  args?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export class TestEmulator {
  private constructor(readonly running: RunningEmulator) {}

  static async start(profile: TimeProfile = "instant", options: EmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ profile, dataPlane: "simulated", ...options }));
  }

  get url(): string {
    return this.running.url;
  }

  env(): Record<string, string> {
    return {
      SCW_API_URL: this.url,
      SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
      SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
      SCW_DEFAULT_REGION: "fr-par",
      PULUMI_CONFIG_PASSPHRASE: "provider-tests",
    };
  }

  api(): RdbApi {
    return new RdbApi({
      apiUrl: this.url,
      secretKey: DEFAULT_SECRET_KEY,
      defaultProjectId: DEFAULT_PROJECT_ID,
    });
  }

  /** Requests that change something (anything but GET) served since the emulator started. */
  mutatingRequests(): Array<{ method: string; path: string; status: number }> {
    return this.running.requests().filter((request) => request.method !== "GET");
  }

  async fault(spec: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(spec),
    });
    if (!response.ok) throw new Error(`fault refused: ${response.status} ${await response.text()}`);
  }

  /** The simulated data plane: rows of a table in an instance's logical database. */
  async rows(instanceId: string, database: string, table: string, insert?: object[]): Promise<object[]> {
    const url = `${this.url}/_emulator/scaleway-rdb/instances/${instanceId}/databases/${database}/tables/${table}/rows`;
    const response = insert
      ? await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rows: insert }),
        })
      : await fetch(url);
    if (!response.ok) throw new Error(`data plane answered ${response.status}: ${await response.text()}`);
    return insert ? insert : ((await response.json()) as { rows: object[] }).rows;
  }

  stop(): Promise<void> {
    return this.running.stop();
  }
}

/**
 * A scratch copy of a Pulumi program folder, wired to this repository's node_modules as an installed package is, with
 * what the engine printed while running it.
 */
export class ProgramFolder {
  readonly events: EngineEvent[] = [];
  readonly dir: string;

  constructor(source: string, tmpPrefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    fs.cpSync(source, this.dir, { recursive: true });
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(this.dir, "node_modules"), "dir");
  }

  /** The engine's output lines and diagnostics, one a line. */
  printed(): string {
    return this.events
      .map((event) =>
        event.kind === "output" ? event.line : event.kind === "diagnostic" ? event.message : "",
      )
      .join("\n");
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export class TestProgram extends ProgramFolder {
  private constructor(private readonly emulator: TestEmulator) {
    super(path.join(__dirname, "fixtures", "declarative"), "dbaas-provider-");
  }

  /** A fresh copy of the declarative program. */
  static create(emulator: TestEmulator): TestProgram {
    return new TestProgram(emulator);
  }

  /** Declares the program's resources (and stack outputs, and extra stack config) in Pulumi.dev.yaml. */
  declare(
    resources: ResourceSpec[],
    exports: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): void {
    const config = { "test:resources": resources, "test:exports": exports, ...extra };
    fs.writeFileSync(path.join(this.dir, "Pulumi.dev.yaml"), JSON.stringify({ config }, null, 2));
  }

  run(
    command: EngineCommand,
    options: { expectNoChanges?: boolean; refresh?: boolean; env?: Record<string, string> } = {},
  ) {
    return runEngine({
      command,
      cwd: this.dir,
      expectNoChanges: options.expectNoChanges,
      refresh: options.refresh,
      env: options.env ?? this.emulator.env(),
      onEvent: (event) => this.events.push(event),
    });
  }

  /** Runs and fails the test with the engine's own errors when the run did not succeed. */
  async ok(
    command: EngineCommand,
    options: { expectNoChanges?: boolean; refresh?: boolean; env?: Record<string, string> } = {},
  ): Promise<EngineResult> {
    const result = await this.run(command, options);
    if (!result.ok) throw new Error(`${command} failed:\n${result.errors.join("\n")}`);
    return result;
  }

  state(): StackState {
    return JSON.parse(
      fs.readFileSync(path.join(this.dir, ".pulumi-dbaas/stacks/dev.json"), "utf8"),
    ) as StackState;
  }

  resource(name: string) {
    const found = this.state().resources.find((resource) => resource.urn.endsWith(`::${name}`));
    if (!found) throw new Error(`no resource ${name} in state`);
    return found;
  }
}

/**
 * Jest hooks for a suite: one emulator for the file (started with `options`), a fresh program folder per test. Read
 * `emulator` and `program` from the returned object inside tests (they are set by the hooks).
 */
export function useEmulatorAndProgram(options: EmulatorOptions = {}): {
  emulator: TestEmulator;
  program: TestProgram;
} {
  const context = {} as { emulator: TestEmulator; program: TestProgram };
  beforeAll(async () => {
    context.emulator = await TestEmulator.start("instant", options);
  });
  afterAll(() => context.emulator.stop());
  beforeEach(() => {
    context.program = TestProgram.create(context.emulator);
  });
  afterEach(() => context.program.cleanup());
  return context;
}

/** The smallest valid DatabaseInstance of the declarative test program. */
export const INSTANCE = {
  type: "scaleway.DatabaseInstance",
  name: "db",
  args: { engine: "PostgreSQL-16", nodeType: "db-dev-s" },
};

export function opsOf(result: EngineResult): Record<string, string> {
  return Object.fromEntries(result.steps.filter((step) => step.custom).map((step) => [step.name, step.op]));
}

/**
 * A fault for the next read of any RDB backup: it answers the backup `instanceId` asked for as ended in `error`, as
 * the API reports a failed dump.
 */
export function backupReadInError(instanceId: string, instanceName: string) {
  return {
    method: "GET",
    path: "/rdb/v1/regions/*/backups/*",
    count: 1,
    status: 200,
    body: {
      id: "00000000-0000-4000-8000-000000000000",
      instance_id: instanceId,
      database_name: "rdb",
      name: "dump",
      status: "error",
      size: null,
      expires_at: null,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: null,
      instance_name: instanceName,
      download_url: null,
      download_url_expires_at: null,
      region: "fr-par",
      same_region: false,
    },
  };
}

/** The uuid part of a `{region}/{uuid}` id. */
export function uuidOf(id: string): string {
  return id.slice(id.indexOf("/") + 1);
}
