// Test helpers for the engine suites: copies a fixture program to a temp folder wired to this repository's
// node_modules and a fresh fake cloud, then runs engine commands on it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type EngineCommand, type EngineEvent, type EngineResult, runEngine } from "../../engine";
import type { StackState } from "../../engine/state";

const REPO = path.resolve(__dirname, "../..");
const FIXTURES = path.join(__dirname, "fixtures");

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

  /** Writes Pulumi.dev.yaml (JSON is valid YAML) describing the program's resources and stack outputs. */
  configure(
    resources: ResourceSpec[],
    exports: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): void {
    const config = { "fixture:resources": resources, "fixture:exports": exports, region: "fr-par", ...extra };
    fs.writeFileSync(path.join(this.dir, "Pulumi.dev.yaml"), JSON.stringify({ config }, null, 2));
  }

  run(command: EngineCommand, options: { expectNoChanges?: boolean } = {}): Promise<EngineResult> {
    return runEngine({
      command,
      cwd: this.dir,
      expectNoChanges: options.expectNoChanges,
      env: { FAKE_CLOUD: this.cloudFile, FAKE_CLOUD_IMPL: path.join(FIXTURES, "fake-cloud.js") },
      onEvent: (event) => this.events.push(event),
    });
  }

  cloud(): FakeCloud {
    if (!fs.existsSync(this.cloudFile)) return { nextId: 1, objects: {}, log: [] };
    return JSON.parse(fs.readFileSync(this.cloudFile, "utf8")) as FakeCloud;
  }

  /** The provider calls made since the last call of this method (reads are left out unless asked). */
  takeLog(includeReads = false): CloudLogEntry[] {
    const cloud = this.cloud();
    const log = cloud.log;
    cloud.log = [];
    fs.writeFileSync(this.cloudFile, JSON.stringify(cloud, null, 2));
    return includeReads ? log : log.filter((entry) => entry.op !== "read");
  }

  state(): StackState {
    return JSON.parse(
      fs.readFileSync(path.join(this.dir, ".pulumi-dbaas/stacks/dev.json"), "utf8"),
    ) as StackState;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function opsOf(result: EngineResult): Record<string, string> {
  return Object.fromEntries(result.steps.map((step) => [step.name, step.op]));
}
