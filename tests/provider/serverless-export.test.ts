// serverless.BackupExport through the local engine against the emulator, using examples/serverless-export as the
// program: export, no-op preview and refresh, an expired URL that previews and refreshes ignore and the next up renews,
// backup expiry, remote-free destroy, bad inputs (end to end once; every rule through `check` directly), and direct
// provider calls for the unknown-backup paths.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { type RunningEmulator, startEmulator } from "../../emulator/server";
import { type EngineCommand, type EngineResult, runEngine } from "../../engine";
import { configure } from "../../provider/impl/config";
import { backupExport } from "../../provider/impl/serverless/backup-export";
import { ServerlessSqlApi } from "../../sdk";
import { ProgramFolder, TestEmulator, TestProgram } from "./harness";

const REPO = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(REPO, "examples", "serverless-export");
const DAY = 24 * 60 * 60 * 1000;

interface World {
  emulator: RunningEmulator;
  /** Added to the real clock by the emulator: lets a test age backups and download URLs. */
  clock: { offsetMs: number };
  api: ServerlessSqlApi;
  env: Record<string, string>;
}

async function startWorld(downloadUrlTtlSeconds?: number): Promise<World> {
  const clock = { offsetMs: 0 };
  const emulator = await startEmulator({
    profile: "instant",
    dataPlane: "simulated",
    now: () => Date.now() + clock.offsetMs,
    downloadUrlTtlSeconds,
  });
  const api = new ServerlessSqlApi({
    apiUrl: emulator.url,
    secretKey: DEFAULT_SECRET_KEY,
    defaultProjectId: DEFAULT_PROJECT_ID,
  });
  const env = {
    SCW_API_URL: emulator.url,
    SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
    SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
    SCW_DEFAULT_REGION: "fr-par",
    PULUMI_CONFIG_PASSPHRASE: "provider-tests",
  };
  return { emulator, clock, api, env };
}

/** A database with one backup taken now (emulator time); returns both ids. */
async function databaseWithBackup(world: World): Promise<{ databaseId: string; backupId: string }> {
  const database = await world.api.createDatabase({ name: "shop", cpuMin: 0, cpuMax: 2 });
  const response = await fetch(`${world.emulator.url}/_emulator/serverless/backups`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ database_id: database.id }),
  });
  const backup = (await response.json()) as { id: string };
  return { databaseId: database.id, backupId: backup.id };
}

class ExampleProgram extends ProgramFolder {
  constructor(
    private readonly world: World,
    config: Record<string, string>,
  ) {
    super(EXAMPLE, "dbaas-serverless-");
    fs.writeFileSync(path.join(this.dir, "Pulumi.dev.yaml"), JSON.stringify({ config }));
  }

  run(command: EngineCommand, expectNoChanges = false): Promise<EngineResult> {
    return runEngine({
      command,
      cwd: this.dir,
      expectNoChanges,
      env: this.world.env,
      onEvent: (event) => this.events.push(event),
    });
  }

  async ok(command: EngineCommand, expectNoChanges = false): Promise<EngineResult> {
    const result = await this.run(command, expectNoChanges);
    if (!result.ok) throw new Error(`${command} failed:\n${result.errors.join("\n")}`);
    return result;
  }

  exportOps(result: EngineResult): string[] {
    return result.steps.filter((step) => step.name === "latest").map((step) => step.op);
  }

  exportsInState(): number {
    const file = path.join(this.dir, ".pulumi-dbaas/stacks/dev.json");
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as { resources: Array<{ type: string }> };
    return state.resources.filter((resource) => resource.type.endsWith("serverless:BackupExport")).length;
  }
}

/** Short enough for a test to see URLs expire, long enough to outlast the engine runs between two checks. */
const URL_TTL_SECONDS = 8;

/** Waits until the emulator's clock (the real one here) has passed `expiresAt`, so that the URL answers 403. */
async function untilExpired(expiresAt: unknown): Promise<void> {
  const waitMs = Date.parse(text(expiresAt)) + 200 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

function text(value: unknown): string {
  if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value;
}

describe("serverless.BackupExport through the engine", () => {
  let world: World;
  const programs: ExampleProgram[] = [];

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    for (const program of programs.splice(0)) program.cleanup();
    await world.emulator.stop();
  });

  function program(config: Record<string, string>): ExampleProgram {
    const created = new ExampleProgram(world, config);
    programs.push(created);
    return created;
  }

  test("exports the latest backup; preview and refresh change nothing; destroy calls no API that writes", async () => {
    const { databaseId, backupId } = await databaseWithBackup(world);
    const example = program({ "dbaas-serverless-export:databaseId": databaseId });

    const up = await example.ok("up");
    expect(example.exportOps(up)).toEqual(["create"]);
    expect(up.outputs.exportedBackupId).toBe(`fr-par/${backupId}`);
    expect(up.secretOutputs).toContain("downloadUrl");
    const url = text(up.outputs.downloadUrl);
    expect(Date.parse(text(up.outputs.downloadUrlExpiresAt))).toBeGreaterThan(Date.now());
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain(`-- Backup: ${backupId}`);
    expect(example.printed()).not.toContain(new URL(url).search);

    const preview = await example.ok("preview", true);
    expect(example.exportOps(preview)).toEqual(["same"]);
    await example.ok("refresh", true);

    const writesBefore = world.emulator.requests().filter((request) => request.method !== "GET").length;
    const destroy = await example.ok("destroy");
    expect(example.exportOps(destroy)).toEqual(["delete"]);
    expect(world.emulator.requests().filter((request) => request.method !== "GET")).toHaveLength(
      writesBefore,
    );
    expect(example.printed()).toContain("nothing deleted remotely");
    expect(example.exportsInState()).toBe(0);
    expect((await world.api.getBackup({ backupId })).downloadUrl).toBe(url);
  });

  // Seven engine runs and a URL lifetime waited out: about 50 s alone, more on a loaded machine.
  test("an expired URL is no change for preview and refresh, the next up renews it; an expired backup leaves state", async () => {
    await world.emulator.stop();
    world = await startWorld(URL_TTL_SECONDS);
    const { backupId } = await databaseWithBackup(world);
    const example = program({ "dbaas-serverless-export:backupId": `fr-par/${backupId}` });
    const first = await example.ok("up");
    const firstUrl = text(first.outputs.downloadUrl);
    await example.ok("refresh", true);

    await untilExpired(first.outputs.downloadUrlExpiresAt);
    expect((await fetch(firstUrl)).status).toBe(403);
    expect(example.exportOps(await example.ok("preview", true))).toEqual(["same"]);
    expect(example.exportOps(await example.ok("refresh", true))).toEqual(["same"]);

    const renewed = await example.ok("up");
    expect(example.exportOps(renewed)).toEqual(["update"]);
    const secondUrl = text(renewed.outputs.downloadUrl);
    expect(secondUrl).not.toBe(firstUrl);
    expect((await fetch(secondUrl)).status).toBe(200);
    await example.ok("refresh", true);

    // Seven days after it was taken the service deletes the backup (and answers 403 for it).
    world.clock.offsetMs = 7 * DAY + 60_000;
    const refresh = await example.ok("refresh");
    expect(refresh.changes).toBe(true);
    expect(example.exportsInState()).toBe(0);
  }, 150_000);

  // A failing TypeScript program spends 30–60 s in the Pulumi runtime formatting its error (source maps through the
  // vendored ts-node), hence the longer timeout; the JavaScript program below shows the same rule in seconds.
  test("getLatestBackup explains a database without backups", async () => {
    const database = await world.api.createDatabase({ name: "fresh", cpuMin: 0, cpuMax: 1 });
    const example = program({ "dbaas-serverless-export:databaseId": database.id });
    const result = await example.run("up");
    expect(result.ok).toBe(false);
    expect(result.errors.join("\n")).toContain("has no ready backup");
  }, 180_000);
});

describe("serverless.BackupExport bad input through the engine", () => {
  test("a bad backupId is rejected by check, before any API call", async () => {
    const emulator = await TestEmulator.start();
    const jsProgram = TestProgram.create(emulator);
    try {
      jsProgram.declare([
        { type: "serverless.BackupExport", name: "latest", args: { backupId: "not-a-uuid" } },
      ]);
      const result = await jsProgram.run("up");
      expect(result.ok).toBe(false);
      expect(result.errors.join("\n")).toContain("backupId: must be a backup id");
      expect(emulator.running.requests()).toEqual([]);
    } finally {
      jsProgram.cleanup();
      await emulator.stop();
    }
  });
});

describe("BackupExport provider calls against the emulator", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    await configure({
      get: (key) => ({ "dbaas:apiUrl": world.emulator.url, "dbaas:secretKey": DEFAULT_SECRET_KEY })[key],
    });
  });

  afterEach(async () => {
    await configure(undefined);
    jest.restoreAllMocks();
    await world.emulator.stop();
  });

  test.each([
    [
      { backupId: "nl-ams/5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f" },
      "backupId",
      "region where Serverless SQL exists",
    ],
    [{ backupId: "fr-par/5f0e8c4e" }, "backupId", "must be a backup id"],
    [{}, "backupId", "is required"],
    [
      { backupId: "5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f", timeouts: { create: "soon" } },
      "timeouts.create",
      "duration",
    ],
    [{ backupId: "5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f", exported: true }, "(inputs)", "exported"],
  ])("check rejects %j naming %s, with no API call", async (inputs, property, reason) => {
    const result = await backupExport.check({}, inputs);
    expect(result.failures).toEqual([{ property, reason: expect.stringContaining(reason) }]);
    expect(world.emulator.requests()).toEqual([]);
  });

  test("check places a bare UUID in the default region", async () => {
    const result = await backupExport.check({}, { backupId: "5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f" });
    expect(result.inputs).toEqual({ backupId: "fr-par/5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f" });
  });

  test("create of an unknown backup says backups expire; read of one leaves state", async () => {
    const id = "fr-par/5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f";
    await expect(backupExport.create({ backupId: id })).rejects.toThrow("deleted automatically after 7 days");
    expect(await backupExport.read(id, { backupId: id })).toEqual({});
  });

  test("create reuses a still valid URL instead of exporting again", async () => {
    const { backupId } = await databaseWithBackup(world);
    const first = await backupExport.create({ backupId: `fr-par/${backupId}` });
    const exportsBefore = world.emulator
      .requests()
      .filter((request) => request.path.endsWith("/export")).length;
    const second = await backupExport.create({ backupId: `fr-par/${backupId}` });
    expect(second.outs.downloadUrl).toBe(first.outs.downloadUrl);
    expect(world.emulator.requests().filter((request) => request.path.endsWith("/export"))).toHaveLength(
      exportsBefore,
    );
  });
});

describe("BackupExport diff", () => {
  const id = "fr-par/5f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f";
  const future = new Date(Date.now() + DAY).toISOString();
  const past = new Date(Date.now() - 1000).toISOString();
  const up = { backupId: id, __appliedAt: new Date().toISOString() };
  const olds = {
    backupId: id,
    downloadUrl: "https://s3.example/file?X-Amz-Signature=abc",
    downloadUrlExpiresAt: future,
  };

  test("no change while the URL is valid", async () => {
    expect(await backupExport.diff(id, olds, up)).toEqual({ changes: false, replaces: [] });
  });

  test("an up renews an expired or missing URL in place; a preview does not", async () => {
    for (const stale of [
      { ...olds, downloadUrlExpiresAt: past },
      { ...olds, downloadUrl: null },
    ]) {
      expect(await backupExport.diff(id, stale, up)).toEqual({ changes: true, replaces: [] });
      expect(await backupExport.diff(id, stale, { backupId: id })).toEqual({ changes: false, replaces: [] });
    }
  });

  test("another backup replaces", async () => {
    const other = "fr-par/6f0e8c4e-7a2b-4c1d-9e3f-0a1b2c3d4e5f";
    expect(await backupExport.diff(id, olds, { backupId: other })).toEqual({
      changes: true,
      replaces: ["backupId"],
    });
  });
});
