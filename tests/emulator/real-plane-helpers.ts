// Helpers of the real data plane's tests: a real-clock emulator with the real plane, RDB calls that wait for
// `ready`, and psql / pg_restore run as child processes (passwords through PGPASSWORD, never on a command line).
import { execFile } from "node:child_process";
import type { EmulatorOptions } from "../../emulator/framework";
import { findBinaries } from "../../emulator/postgres/binaries";
import { type RunningEmulator, startEmulator } from "../../emulator/server";

export const PROJECT = "105bdce1-64c0-48ab-899d-868455867ecf";
export const ADMIN = { name: "admin", password: "Emulated-Passw0rd!" };
const REGION = "/rdb/v1/regions/fr-par";

const found = findBinaries();
/** The suites skip (with a visible reason) on a machine without PostgreSQL; CI installs it. */
export const postgres = "missing" in found ? undefined : found;
export const describeWithPostgres = postgres ? describe : describe.skip;

export type Json = Record<string, unknown>;

export class RealEmulator {
  constructor(readonly emulator: RunningEmulator) {}

  static async start(options: EmulatorOptions = {}): Promise<RealEmulator> {
    return new RealEmulator(await startEmulator({ profile: "instant", dataPlane: "real", ...options }));
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.emulator.url}${path.startsWith("/_") ? "" : REGION}${path}`, {
      method,
      headers: { "x-auth-token": "test-token", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  }

  async ok(method: string, path: string, body?: unknown): Promise<Json> {
    const answer = await this.call(method, path, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Polls until the resource at `path` reports `status`. */
  async until(path: string, status: string, timeoutMs = 30_000): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const body = await this.ok("GET", path);
      if (body.status === status) return body;
      if (Date.now() > deadline) throw new Error(`${path} still ${String(body.status)}, expected ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Creates a PostgreSQL instance with the ADMIN user (and `extra` fields) and waits until it is ready. */
  async readyInstance(name: string, extra: Json = {}): Promise<Json> {
    const created = await this.ok("POST", "/instances", {
      project_id: PROJECT,
      name,
      engine: "PostgreSQL-15",
      node_type: "DB-DEV-S",
      user_name: ADMIN.name,
      password: ADMIN.password,
      encryption: { enabled: false },
      ...extra,
    });
    return this.until(`/instances/${String(created.id)}`, "ready");
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

export function portOf(instance: Json): number {
  return (instance.endpoint as { port: number }).port;
}

/** The instance's connection string as the provider's `connectionString` output builds it. */
export function connectionString(instance: Json, user = ADMIN, database = "rdb"): string {
  const credentials = `${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}`;
  return `postgresql://${credentials}@127.0.0.1:${portOf(instance)}/${database}?sslmode=require`;
}

function runTool(program: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program.split("/").pop()}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Runs SQL through `psql` against the instance's endpoint; answers the unaligned, tuples-only output. */
export function psql(instance: Json, sql: string, options: { user?: typeof ADMIN; database?: string } = {}) {
  const user = options.user ?? ADMIN;
  const conninfo = `host=127.0.0.1 port=${portOf(instance)} user=${user.name} dbname=${options.database ?? "rdb"} sslmode=require`;
  return runTool(
    postgres?.psql ?? "psql",
    ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql],
    {
      PGPASSWORD: user.password,
    },
  );
}

/** Runs SQL through `psql` given a connection URL as it is. */
export function psqlUrl(url: string, sql: string): Promise<string> {
  return runTool(postgres?.psql ?? "psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]);
}

/** Loads a custom-format dump into a new database `scratch` of the instance, through its endpoint. */
export async function pgRestoreIntoScratch(instance: Json, dumpFile: string): Promise<void> {
  await psql(instance, "CREATE DATABASE scratch");
  const conninfo = `host=127.0.0.1 port=${portOf(instance)} user=${ADMIN.name} dbname=scratch sslmode=require`;
  await runTool(postgres?.pg_restore ?? "pg_restore", ["--no-owner", "-d", conninfo, dumpFile], {
    PGPASSWORD: ADMIN.password,
  });
}

/** The postgres processes whose command line names `directory`. */
export async function serversUnder(directory: string): Promise<string[]> {
  const output = await runTool("ps", ["-eo", "pid,args"]);
  return output.split("\n").filter((line) => line.includes(directory) && /postgres/.test(line));
}
