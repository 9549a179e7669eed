// The emulator server's own duties over real HTTP: auth and project isolation, faults, request log, reset,
// presigned downloads, persistence across restarts and the command line.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEmulatorCli } from "../../emulator/cli";
import type { RunningEmulator } from "../../emulator/server";
import { apiError } from "../faults";
import {
  createBackup,
  type Harness,
  instanceBody,
  type Json,
  OTHER_PROJECT,
  PROJECT,
  REGION_PATH,
  readyInstance,
  startHarness,
} from "./harness";

let harness: Harness;
afterEach(async () => {
  await harness?.stop();
});

describe("authentication and project isolation", () => {
  test("a missing token is denied with the real 401 body", async () => {
    harness = await startHarness();
    const answer = await harness.call("GET", `${REGION_PATH}/instances`, undefined, "");
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      message: "authentication is denied",
      method: "api_key",
      reason: "invalid_argument",
      type: "denied_authentication",
    });
  });

  test("with declared tokens, unknown ones are denied and bound ones only see their project", async () => {
    harness = await startHarness({
      tokens: [{ token: "admin" }, { token: "scoped", projectId: OTHER_PROJECT }],
    });
    expect((await harness.call("GET", `${REGION_PATH}/instances`, undefined, "nope")).status).toBe(401);
    const foreign = await readyInstance(harness, { project_id: PROJECT }, "admin");
    const own = await readyInstance(harness, { project_id: OTHER_PROJECT, name: "own" }, "scoped");

    const listed = await harness.call("GET", `${REGION_PATH}/instances`, undefined, "scoped");
    expect((listed.body.instances as Json[]).map((instance) => instance.id)).toEqual([own.id]);
    const hidden = await harness.call("GET", `${REGION_PATH}/instances/${foreign.id}`, undefined, "scoped");
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ type: "not_found", resource: "instance", resource_id: foreign.id });
    expect(
      (await harness.call("DELETE", `${REGION_PATH}/instances/${foreign.id}`, undefined, "scoped")).status,
    ).toBe(404);
    const intrusion = await harness.call(
      "POST",
      `${REGION_PATH}/instances`,
      instanceBody({ project_id: PROJECT }),
      "scoped",
    );
    expect(intrusion.status).toBe(403);
    expect(intrusion.body.type).toBe("permissions_denied");

    const adminList = await harness.call("GET", `${REGION_PATH}/instances`, undefined, "admin");
    expect(adminList.body.total_count).toBe(2);
  });
});

describe("faults and request log", () => {
  test("a status fault answers the next matching requests, then the real handler answers again", async () => {
    harness = await startHarness();
    const added = await harness.call("POST", "/_emulator/faults", {
      method: "GET",
      path: "/rdb/v1/regions/*/instances",
      count: 2,
      ...apiError(503, "service_unavailable", "busy", { "Retry-After": "1" }),
    });
    expect(added.status).toBe(201);
    const response = await fetch(`${harness.emulator.url}${REGION_PATH}/instances`, {
      headers: { "x-auth-token": "t" },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ message: "busy", type: "service_unavailable" });
    expect((await harness.call("POST", `${REGION_PATH}/instances`, instanceBody())).status).toBe(200);
    expect((await harness.call("GET", `${REGION_PATH}/instances`)).status).toBe(503);
    expect((await harness.call("GET", `${REGION_PATH}/instances`)).status).toBe(200);
    expect((await harness.call("GET", "/_emulator/faults")).body.faults).toEqual([]);

    const log = await harness.call("GET", "/_emulator/requests");
    expect(log.body.requests).toEqual([
      { method: "GET", path: `${REGION_PATH}/instances`, status: 503, at: expect.any(String) },
      { method: "POST", path: `${REGION_PATH}/instances`, status: 200, at: expect.any(String) },
      { method: "GET", path: `${REGION_PATH}/instances`, status: 503, at: expect.any(String) },
      { method: "GET", path: `${REGION_PATH}/instances`, status: 200, at: expect.any(String) },
    ]);
    expect(harness.emulator.requests()).toHaveLength(4);
  });

  test("`*` matches one segment and `**` any number", async () => {
    harness = await startHarness();
    await harness.call("POST", "/_emulator/faults", {
      path: "/rdb/v1/regions/*/backups",
      count: 5,
      status: 500,
    });
    await harness.call("POST", "/_emulator/faults", { path: "/rdb/**/certificate", count: 1, status: 502 });
    // Not matched by `*/backups`: the API's own answer for a backup id that is not a UUID.
    expect((await harness.call("GET", `${REGION_PATH}/backups/x`)).status).toBe(400);
    expect((await harness.call("GET", `${REGION_PATH}/backups`)).status).toBe(500);
    expect((await harness.call("GET", `${REGION_PATH}/instances/abc/certificate`)).status).toBe(502);
    const listed = await harness.call("GET", "/_emulator/faults");
    expect(listed.body.faults).toEqual([
      expect.objectContaining({ path: "/rdb/v1/regions/*/backups", remaining: 4 }),
    ]);
    expect((await harness.call("DELETE", "/_emulator/faults")).status).toBe(204);
    expect((await harness.call("GET", `${REGION_PATH}/backups`)).status).toBe(200);
  });

  test("a delay fault slows the real answer; a drop fault closes the connection unanswered", async () => {
    harness = await startHarness();
    await harness.call("POST", "/_emulator/faults", { path: "/rdb/**", delay_ms: 300 });
    const started = performance.now();
    expect((await harness.call("GET", `${REGION_PATH}/instances`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);

    await harness.call("POST", "/_emulator/faults", { path: "/rdb/**", drop_connection: true });
    await expect(harness.call("GET", `${REGION_PATH}/instances`)).rejects.toThrow();
    expect((await harness.call("GET", `${REGION_PATH}/instances`)).status).toBe(200);
    const statuses = harness.emulator.requests().map((entry) => entry.status);
    expect(statuses).toEqual([200, 0, 200]);
  });

  test("invalid faults are refused and reset clears state, faults and log", async () => {
    harness = await startHarness();
    expect((await harness.call("POST", "/_emulator/faults", { path: "no-slash", count: 0 })).status).toBe(
      400,
    );
    await readyInstance(harness);
    await harness.call("POST", "/_emulator/faults", { path: "/**", status: 500 });
    expect((await harness.call("POST", "/_emulator/reset")).status).toBe(204);
    expect((await harness.call("GET", "/_emulator/faults")).body.faults).toEqual([]);
    expect((await harness.call("GET", "/_emulator/requests")).body.requests).toEqual([]);
    expect((await harness.call("GET", `${REGION_PATH}/instances`)).body.total_count).toBe(0);
  });
});

describe("presigned downloads", () => {
  test("an exported backup downloads with its signature, not with another, and not after expiry", async () => {
    harness = await startHarness();
    const instance = await readyInstance(harness);
    await harness.call(
      "POST",
      `/_emulator/scaleway-rdb/instances/${instance.id}/databases/rdb/tables/items/rows`,
      {
        rows: [{ id: 1, label: "first" }],
      },
    );
    const backup = await createBackup(harness, instance.id, { name: "b1" });
    harness.clock.now += 1_000;
    const exporting = await harness.call("POST", `${REGION_PATH}/backups/${backup.body.id}/export`, {});
    expect(exporting.body).toMatchObject({ status: "exporting", download_url: null });
    harness.clock.now += 1_000;
    const ready = await harness.call("GET", `${REGION_PATH}/backups/${backup.body.id}`);
    expect(ready.body.status).toBe("ready");
    const url = String(ready.body.download_url);
    expect(url).toContain("X-Amz-Signature=");
    expect(Date.parse(String(ready.body.download_url_expires_at)) - harness.clock.now).toBeGreaterThan(
      23 * 3600_000,
    );

    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('"label":"first"');
    const forged = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${"0".repeat(64)}`));
    expect(forged.status).toBe(403);
    harness.clock.now += 25 * 3600_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("Request has expired");
  });
});

describe("persistence", () => {
  test("state written to --data-dir survives a restart, statuses keep advancing on the clock", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emulator-state-"));
    try {
      harness = await startHarness({ dataDir });
      const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
      await harness.stop();
      expect(readdirSync(dataDir)).toEqual(["state.json"]);

      harness = await startHarness({ dataDir });
      const provisioning = await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`);
      expect(provisioning.body.status).toBe("provisioning");
      harness.clock.now += 5_000;
      const ready = await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`);
      expect(ready.body.status).toBe("ready");
      const databases = await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}/databases`);
      expect((databases.body.databases as Json[]).map((database) => database.name)).toEqual(["rdb"]);
    } finally {
      await harness.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("command line", () => {
  test("prints the listening line first, then the client environment, and stops on abort", async () => {
    const output: string[] = [];
    const abort = new AbortController();
    let running: RunningEmulator | undefined;
    const finished = runEmulatorCli(["--port", "0", "--profile", "instant", "--token", `secret:${PROJECT}`], {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      signal: abort.signal,
      onStarted: (emulator) => {
        running = emulator;
      },
    });
    while (!running) await new Promise((resolve) => setTimeout(resolve, 10));
    const lines = output.join("").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^pulumi-dbaas emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = lines[0].slice("pulumi-dbaas emulator listening on ".length);
    expect(lines.slice(1, 7)).toEqual([
      `export SCW_API_URL=${url}`,
      "export SCW_SECRET_KEY=secret",
      expect.stringMatching(/^export SCW_ACCESS_KEY=SCW[A-Z0-9]{17}$/),
      `export SCW_DEFAULT_PROJECT_ID=${PROJECT}`,
      `export SCW_DEFAULT_ORGANIZATION_ID=${PROJECT}`,
      "export SCW_DEFAULT_REGION=fr-par",
    ]);
    for (const line of lines.slice(7)) expect(line).toMatch(/^export [A-Z_]+=\S+$/);
    const answer = await fetch(`${url}${REGION_PATH}/instances`, { headers: { "x-auth-token": "secret" } });
    expect(answer.status).toBe(200);
    abort.abort();
    await finished;
    await expect(fetch(`${url}${REGION_PATH}/instances`)).rejects.toThrow();
  });

  test.each([
    [["--port", "http"], "--port must be 0-65535"],
    [["--profile", "slow"], "--profile must be one of instant, fast, realistic"],
    [["--token", "abc:not-a-uuid"], "needs a project id in UUID form"],
    [["--frobnicate"], 'unknown option "--frobnicate"'],
    [["--data-dir"], "--data-dir needs a value"],
  ])("refuses %j with a clear message and exit code 2", async (argv, message) => {
    const errors: string[] = [];
    const previousExitCode = process.exitCode;
    try {
      await runEmulatorCli(argv, { stdout: () => undefined, stderr: (text) => errors.push(text) });
      expect(process.exitCode).toBe(2);
      expect(errors.join("")).toContain(message);
    } finally {
      process.exitCode = previousExitCode;
    }
  });
});
