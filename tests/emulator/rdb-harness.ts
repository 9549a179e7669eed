// Shared test harness: an emulator on a loopback port with a hand-driven clock, and a tiny JSON client for it.
import type { EmulatorOptions } from "../../emulator/framework";
import { type RunningEmulator, startEmulator } from "../../emulator/server";

export type Json = Record<string, unknown>;

export const PROJECT = "105bdce1-64c0-48ab-899d-868455867ecf";
export const OTHER_PROJECT = "46d61fb3-cfdb-444f-b60c-e7e0eb53525d";
export const START = Date.parse("2026-01-05T10:00:00.000Z");
export const REGION_PATH = "/rdb/v1/regions/fr-par";

export interface Harness {
  emulator: RunningEmulator;
  clock: { now: number };
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const clock = { now: START };
  const emulator = await startEmulator({ profile: "fast", now: () => clock.now, ...options });
  return {
    emulator,
    clock,
    call: async (method, path, body, token = "test-token") => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token !== "") headers["x-auth-token"] = token;
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
    },
    stop: () => emulator.stop(),
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
