// Test helpers for the engine suites: copies a fixture program to a temp folder wired to this repository's
// node_modules and a fresh fake cloud, then runs engine commands on it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type EngineCommand, type EngineEvent, type EngineResult, runEngine } from "../../engine";
import type { ResourceState, StackState } from "../../engine/state";

const REPO = path.resolve(__dirname, "../..");
const FIXTURES = path.join(__dirname, "fixtures");
/** The passphrase the engine encrypts the test stacks' secrets with, as PULUMI_CONFIG_PASSPHRASE. */
export const TEST_PASSPHRASE = "engine-tests";

export interface ResourceSpec {
  name: string;
  props?: Record<string, unknown>;
  options?: Record<string, unknown>;
  parent?: string;
  dependsOn?: string[];
  component?: boolean;
}

export interface CloudLogEntry {
  op: "create" | "update" | "read" | "delete";
  name: string;
  id: string;
  /** The region the provider was configured with (`fixture:region` of the config it was given). */
  region?: string;
}

export interface RunOptions {
  expectNoChanges?: boolean;
  /** `--refresh` (preview/up). */
  refresh?: boolean;
  /** `--skip-preview` (up). */
  skipPreview?: boolean;
  /** Environment overrides (undefined removes a variable, e.g. PULUMI_CONFIG_PASSPHRASE). */
  env?: Record<string, string | undefined>;
}

export interface FakeCloud {
  nextId: number;
  objects: Record<string, Record<string, unknown>>;
  log: CloudLogEntry[];
}

export class FixtureProject {
  readonly cloudFile: string;
  readonly events: EngineEvent[] = [];

  private constructor(readonly dir: string) {
    this.cloudFile = path.join(dir, "cloud.json");
  }

  static create(fixture: string): FixtureProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-test-"));
    fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
    // The program and the provider host resolve @pulumi/pulumi from their folder upward, as with a real install.
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    return new FixtureProject(dir);
  }

  get stackConfigFile(): string {
    return path.join(this.dir, "Pulumi.dev.yaml");
  }

  /**
   * Writes Pulumi.dev.yaml (JSON is valid YAML) describing the program's resources and stack outputs, keeping the
   * `encryptionsalt` the engine may have added; `extra` adds or overrides config keys (e.g. `region`).
   */
  configure(
    resources: ResourceSpec[],
    exports: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): void {
    const previous = fs.existsSync(this.stackConfigFile)
      ? (JSON.parse(fs.readFileSync(this.stackConfigFile, "utf8")) as { encryptionsalt?: string })
      : {};
    const config = { "fixture:resources": resources, "fixture:exports": exports, region: "fr-par", ...extra };
    const salt = previous.encryptionsalt ? { encryptionsalt: previous.encryptionsalt } : {};
    fs.writeFileSync(this.stackConfigFile, JSON.stringify({ config, ...salt }, null, 2));
  }

  run(command: EngineCommand, options: RunOptions = {}): Promise<EngineResult> {
    return runEngine({
      command,
      cwd: this.dir,
      expectNoChanges: options.expectNoChanges,
      refresh: options.refresh,
      skipPreview: options.skipPreview,
      env: {
        FAKE_CLOUD: this.cloudFile,
        FAKE_CLOUD_IMPL: path.join(FIXTURES, "fake-cloud.js"),
        PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
        ...options.env,
      },
      onEvent: (event) => this.events.push(event),
    });
  }

  cloud(): FakeCloud {
    if (!fs.existsSync(this.cloudFile)) return { nextId: 1, objects: {}, log: [] };
    return JSON.parse(fs.readFileSync(this.cloudFile, "utf8")) as FakeCloud;
  }

  /** Writes the fake cloud back after a test changed it out of band. */
  saveCloud(cloud: FakeCloud): void {
    fs.writeFileSync(this.cloudFile, JSON.stringify(cloud, null, 2));
  }

  /** The id of the live object the fake cloud holds for a resource name. */
  objectId(name: string): string {
    const cloud = this.cloud();
    const id = Object.keys(cloud.objects).find((key) => cloud.objects[key]?.name === name);
    if (id === undefined) throw new Error(`no object named ${name} in the fake cloud`);
    return id;
  }

  /** The provider calls made since the last take (reads are left out unless asked), without their region. */
  takeLog(includeReads = false): CloudLogEntry[] {
    return this.takeEntries()
      .filter((entry) => includeReads || entry.op !== "read")
      .map(({ op, name, id }) => ({ op, name, id }));
  }

  /** The provider calls made since the last take, reads included, as `op name @region`. */
  takeCalls(): string[] {
    return this.takeEntries().map((entry) => `${entry.op} ${entry.name} @${entry.region}`);
  }

  private takeEntries(): CloudLogEntry[] {
    const cloud = this.cloud();
    const log = cloud.log;
    cloud.log = [];
    this.saveCloud(cloud);
    return log;
  }

  get stateFile(): string {
    return path.join(this.dir, ".pulumi-dbaas/stacks/dev.json");
  }

  /** The state file as written: secrets appear encrypted (`ciphertext`). */
  state(): StackState {
    return JSON.parse(fs.readFileSync(this.stateFile, "utf8")) as StackState;
  }

  /** The state entry of the resource with this name, as written. */
  resource(name: string): ResourceState | undefined {
    return this.state().resources.find((resource) => resource.urn.endsWith(`::${name}`));
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Each resource's step, by name: of the command itself, or of the preview an `up` ran first. */
export function opsOf(result: EngineResult, preview = false): Record<string, string> {
  const steps = preview ? (result.previewSteps ?? []) : result.steps;
  return Object.fromEntries(steps.map((step) => [step.name, step.op]));
}

/** The log as `op name` lines. */
export function callsOf(log: CloudLogEntry[]): string[] {
  return log.map((entry) => `${entry.op} ${entry.name}`);
}

/** Jest hooks for a suite: `fixture()` makes a fresh declarative project, and every one is removed after the file. */
export function useDeclarativeFixtures(): () => FixtureProject {
  const projects: FixtureProject[] = [];
  afterAll(() => {
    for (const project of projects) project.cleanup();
  });
  return () => {
    const project = FixtureProject.create("declarative");
    projects.push(project);
    return project;
  };
}
