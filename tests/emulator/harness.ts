// Shared test harness: an emulator on a loopback port with a hand-driven clock, a tiny JSON client for it, and the
// RDB helpers most emulator tests start from.
import type { EmulatorOptions } from "../../emulator/framework";
import { type RunningEmulator, startEmulator } from "../../emulator/server";

export type Json = Record<string, unknown>;

export const PROJECT = "105bdce1-64c0-48ab-899d-868455867ecf";
export const OTHER_PROJECT = "46d61fb3-cfdb-444f-b60c-e7e0eb53525d";
export const START = Date.parse("2026-01-05T10:00:00.000Z");
export const REGION_PATH = "/rdb/v1/regions/fr-par";

export interface Answer {
  status: number;
  body: Json;
}

export interface Harness {
  emulator: RunningEmulator;
  url: string;
  clock: { now: number };
  /** A request with a JSON body (when given) and these headers. */
  send(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: unknown },
  ): Promise<Answer>;
  /** A Scaleway API request authenticated with `X-Auth-Token: token` (no header when it is empty). */
  call(method: string, path: string, body?: unknown, token?: string): Promise<Answer>;
  stop(): Promise<void>;
}

/** Starts an emulator (profile `fast` unless told) whose clock only moves when the test moves `clock.now`. */
export async function startHarness(
  options: EmulatorOptions = {},
  clock: { now: number } = { now: START },
): Promise<Harness> {
  const emulator = await startEmulator({
    profile: "fast",
    dataPlane: "simulated",
    now: () => clock.now,
    ...options,
  });
  const send: Harness["send"] = async (method, path, init = {}) => {
    const headers = { ...init.headers };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
  return {
    emulator,
    url: emulator.url,
    clock,
    send,
    call: (method, path, body, token = "test-token") =>
      send(method, path, { headers: token === "" ? {} : { "x-auth-token": token }, body }),
    stop: () => emulator.stop(),
  };
}

/**
 * A harness started afresh before each test of the enclosing block (or file) and stopped after it; the object
 * returned stands for the current one.
 */
export function harnessForEachTest(options: EmulatorOptions = {}, start = START): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness(options, { now: start });
  });
  afterEach(async () => {
    await current?.stop();
  });
  const active = (): Harness => {
    if (!current) throw new Error("the harness runs inside tests only");
    return current;
  };
  return {
    get emulator() {
      return active().emulator;
    },
    get url() {
      return active().url;
    },
    get clock() {
      return active().clock;
    },
    send: (...args) => active().send(...args),
    call: (...args) => active().call(...args),
    stop: () => active().stop(),
  };
}

export function instanceBody(overrides: Json = {}): Json {
  return {
    project_id: PROJECT,
    name: "test-instance",
    engine: "PostgreSQL-16",
    user_name: "admin_user",
    password: "thiZ_is_v&ry_s3cret",
    node_type: "db-dev-s",
    is_ha_cluster: false,
    disable_backup: true,
    tags: [],
    volume_type: "lssd",
    volume_size: 0,
    backup_same_region: false,
    encryption: { enabled: false },
    ...overrides,
  };
}

/** Creates an instance and moves the clock past its provisioning. */
export async function readyInstance(harness: Harness, overrides: Json = {}, token?: string): Promise<Json> {
  const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody(overrides), token);
  if (created.status !== 200) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  harness.clock.now += 5_000;
  return created.body;
}

/** Asks for a logical backup of an instance's database (`rdb` and named `dump` unless told otherwise). */
export function createBackup(harness: Harness, instanceId: unknown, overrides: Json = {}): Promise<Answer> {
  return harness.call("POST", `${REGION_PATH}/backups`, {
    instance_id: instanceId,
    database_name: "rdb",
    name: "dump",
    ...overrides,
  });
}
