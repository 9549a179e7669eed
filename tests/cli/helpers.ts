// Shared by the CLI suites: captured stdout/stderr, the emulator's Scaleway environment, an in-process run of a
// command that checks the secret key never reaches its output, and a ready RDB instance to act on.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { CommandIo } from "../../cli/command";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { type RunningEmulator, startEmulator } from "../../emulator/server";
import { fixedPollPolicy, type Instance, RdbApi } from "../../sdk";
import { smallInstanceRequest } from "../sdk/helpers";

export const UNKNOWN_UUID = "5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f";
export const FAST_POLLS = fixedPollPolicy(20);

export class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return this.buffer().toString("utf8");
  }
}

export function scalewayEnv(apiUrl: string): Record<string, string> {
  return {
    SCW_API_URL: apiUrl,
    SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
    SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
    SCW_DEFAULT_REGION: "fr-par",
  };
}

export interface CommandResult {
  code: number;
  stdout: Capture;
  stderr: string;
}

/** Runs a command in-process with fast polls; fails the test if the secret key shows anywhere in its output. */
export async function runCommand(
  command: (args: string[], io: CommandIo) => Promise<number>,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CommandResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await command(args, { stdout, stderr, env, cwd, pollPolicy: FAST_POLLS });
  expect(`${stdout.text()}${stderr.text()}`).not.toContain(DEFAULT_SECRET_KEY);
  return { code, stdout, stderr: stderr.text() };
}

export async function readyInstance(apiUrl: string, name: string): Promise<Instance> {
  const api = new RdbApi({ env: scalewayEnv(apiUrl) });
  const instance = await api.createInstance(smallInstanceRequest(name));
  return api.waitForInstance({ instanceId: instance.id }, { pollPolicy: FAST_POLLS });
}

/** Runs the installed `pulumi-dbaas` asynchronously, so that an in-process emulator keeps answering meanwhile. */
export function runBin(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.resolve(__dirname, "../../bin/pulumi-dbaas.js"), ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** An emulator, a ready instance and a scratch directory per test, with `run` bound to one command group. */
export interface CliSuite {
  emulator: RunningEmulator;
  instance: Instance;
  workDir: string;
  run(args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Runs with --json, expects success, and parses the one document on stdout. */
  runJson<T>(args: string[]): Promise<T>;
  /** Expects exit 2 with `message` on the first line and the usage after it, and no request sent. */
  expectUsageError(args: string[], message: string): Promise<void>;
}

export function cliSuite(
  command: (args: string[], io: CommandIo) => Promise<number>,
  instanceName: string,
): CliSuite {
  const suite = {
    run: (args: string[], env?: Record<string, string>) =>
      runCommand(command, args, env ?? scalewayEnv(suite.emulator.url), suite.workDir),
    async runJson<T>(args: string[]): Promise<T> {
      const result = await suite.run([...args, "--json"]);
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout.text()) as T;
    },
    async expectUsageError(args: string[], message: string): Promise<void> {
      const before = suite.emulator.requests().length;
      const result = await suite.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr.split("\n")[0]).toContain(message);
      expect(result.stderr).toMatch(/\n\nusage:/);
      expect(suite.emulator.requests()).toHaveLength(before);
    },
  } as CliSuite;
  beforeAll(async () => {
    suite.emulator = await startEmulator({ profile: "instant", dataPlane: "simulated" });
    suite.instance = await readyInstance(suite.emulator.url, instanceName);
  });
  afterAll(() => suite.emulator.stop());
  beforeEach(() => {
    suite.workDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-cli-"));
  });
  afterEach(() => fs.rmSync(suite.workDir, { recursive: true, force: true }));
  return suite;
}
