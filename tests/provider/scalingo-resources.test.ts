// scalingo.DatabaseBackup and scalingo.BackupSchedule through the local engine against the emulator: lifecycle,
// no-op previews, drift, adoption of an interrupted create, input checks before any API call, and secret masking.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineCommand, EngineResult } from "../../engine";
import { configure } from "../../provider/impl/config";
import { databaseBackup } from "../../provider/impl/scalingo/backup";
import { backupCreatedBy, writePendingCreate } from "../../provider/impl/scalingo/pending-create";
import { backupSchedule } from "../../provider/impl/scalingo/schedule";
import { ScalingoClient } from "../../sdk";
import { opsOf, TestEmulator, TestProgram } from "./harness";

jest.setTimeout(120_000);

const API_TOKEN = "tk-us-provider-test-0123456789";
const APP = "shop";
// Each test gets its own two databases, so backup counts and rotation in one test cannot affect another.
let databases = 0;
let ADDON: string;
let OTHER_ADDON: string;
let DB: { app: string; addonId: string };

let emulator: TestEmulator;
let stateDir: string;
let program: TestProgram;

function env(): Record<string, string> {
  return {
    SCALINGO_API_TOKEN: API_TOKEN,
    SCALINGO_AUTH_URL: `${emulator.url}/scalingo/auth`,
    SCALINGO_API_URL: `${emulator.url}/scalingo/api`,
    SCALINGO_DB_API_URL: `${emulator.url}/scalingo/db-api`,
    PULUMI_DBAAS_STATE_DIR: stateDir,
    PULUMI_CONFIG_PASSPHRASE: "provider-tests",
  };
}

let sdkClient: ScalingoClient | undefined;

/** One client for the whole file, so its cached tokens keep the tests far below the main API's 60 requests a minute. */
function client(): ScalingoClient {
  sdkClient ??= new ScalingoClient({
    apiToken: API_TOKEN,
    authUrl: `${emulator.url}/scalingo/auth`,
    apiUrl: `${emulator.url}/scalingo/api`,
    dbApiUrl: `${emulator.url}/scalingo/db-api`,
    env: {},
  });
  return sdkClient;
}

async function run(
  command: EngineCommand,
  options: { expectNoChanges?: boolean } = {},
): Promise<EngineResult> {
  const result = await program.run(command, { ...options, env: env() });
  if (!result.ok) throw new Error(`${command} failed:\n${result.errors.join("\n")}`);
  return result;
}

async function createDatabase(addonId: string, type: string): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/scalingo/databases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: APP, addon_id: addonId, type }),
  });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  emulator = await TestEmulator.start("instant");
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  databases++;
  ADDON = `ad-shop-postgresql-${databases}`;
  OTHER_ADDON = `ad-shop-mysql-${databases}`;
  DB = { app: APP, addonId: ADDON };
  await createDatabase(ADDON, "postgresql");
  await createDatabase(OTHER_ADDON, "mysql");
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-scalingo-state-"));
  program = TestProgram.create(emulator);
});
afterEach(() => {
  program.cleanup();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const backup = (args: Record<string, unknown>) => ({
  type: "scalingo.DatabaseBackup",
  name: "dump",
  args: { app: APP, addonId: ADDON, ...args },
});

test("a backup: create, secret download link in place, replace on another addon, delete only forgets", async () => {
  const exportsUrl = { url: { ref: "dump", output: "downloadUrl" } };
  program.declare([backup({})], exportsUrl);
  const before = await client().listBackups(DB);
  const first = await run("up");
  expect(opsOf(first)).toEqual({ dump: "create" });
  expect(first.outputs.url).toBeNull();
  const created = program.resource("dump");
  const backupId = String(created.outputs.backupId);
  expect(created.id).toBe(`${APP}/${ADDON}/${backupId}`);
  expect(created.outputs).toMatchObject({ status: "done", method: "manual", exported: false });
  expect(await client().listBackups(DB)).toHaveLength(before.length + 1);
  await run("preview", { expectNoChanges: true });

  program.declare([backup({ exported: true })], exportsUrl);
  const exported = await run("up");
  expect(opsOf(exported)).toEqual({ dump: "update" });
  expect(program.resource("dump").id).toBe(created.id);
  expect(exported.secretOutputs).toContain("url");
  const url = String(exported.outputs.url);
  const file = await fetch(url);
  expect(file.status).toBe(200);
  expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
  expect(Date.parse(String(program.resource("dump").outputs.downloadUrlExpiresAt))).toBeGreaterThan(
    Date.now(),
  );
  const signature = new URL(url).searchParams.get("X-Amz-Signature") as string;
  expect(program.printed()).not.toContain(signature);
  // State keeps the link wrapped as a secret (the secret signature key of the Pulumi wire format).
  expect(program.resource("dump").outputs.downloadUrl).toMatchObject({
    "4dabf18193072939515e22adb298388d": expect.any(String),
  });
  await run("refresh", { expectNoChanges: true });
  await run("preview", { expectNoChanges: true });

  program.declare([backup({ exported: true, addonId: OTHER_ADDON })], exportsUrl);
  expect(opsOf(await run("up"))).toEqual({ dump: "replace" });
  expect(program.resource("dump").id).toMatch(new RegExp(`^${APP}/${OTHER_ADDON}/`));
  expect((await client().listBackups(DB)).map((b) => b.id)).toContain(backupId);
  expect(program.printed()).toContain("cannot delete backups");

  await run("destroy");
  expect(program.state().resources.filter((r) => r.custom)).toEqual([]);
  expect(await client().listBackups({ app: APP, addonId: OTHER_ADDON })).toHaveLength(1);
});

test("a create interrupted after its POST adopts the backup it started instead of making another", async () => {
  const known = await client().listBackups(DB);
  // The marker the provider writes right before its POST, as a run stopped at that point leaves it.
  process.env.PULUMI_DBAAS_STATE_DIR = stateDir;
  try {
    writePendingCreate({
      identity: "dbaas-provider-test/dev/scalingo:DatabaseBackup/dump",
      ...DB,
      startedAt: new Date().toISOString(),
      knownBackupIds: known.map((b) => b.id),
    });
  } finally {
    delete process.env.PULUMI_DBAAS_STATE_DIR;
  }
  const started = await client().createBackup(DB);
  program.declare([backup({})]);
  expect(opsOf(await run("up"))).toEqual({ dump: "create" });
  expect(program.resource("dump").outputs.backupId).toBe(started.id);
  expect(program.printed()).toContain(`adopting backup ${started.id}`);
  expect(await client().listBackups(DB)).toHaveLength(known.length + 1);
  expect(fs.readdirSync(path.join(stateDir, "pending-creates"))).toEqual([]);

  // Starter plans keep the newest 10 manual backups: ten more rotate this one out, and refresh drops it from state.
  for (let i = 0; i < 10; i++) await client().createBackup(DB);
  expect(opsOf(await run("refresh"))).toEqual({ dump: "delete" });
  expect(program.state().resources.filter((r) => r.custom)).toEqual([]);
});

test("adoptId takes over an existing backup instead of starting one", async () => {
  const existing = await client().createBackup(DB);
  const before = (await client().listBackups(DB)).length;
  program.declare([backup({ adoptId: existing.id })]);
  expect(opsOf(await run("up"))).toEqual({ dump: "create" });
  expect(program.resource("dump").id).toBe(`${APP}/${ADDON}/${existing.id}`);
  expect(await client().listBackups(DB)).toHaveLength(before);
  await run("preview", { expectNoChanges: true });
});

test("a schedule: set, updated in place, drift seen on refresh and fixed by up, default restored on delete", async () => {
  const schedule = (args: Record<string, unknown>) => ({
    type: "scalingo.BackupSchedule",
    name: "nightly",
    args: { app: APP, addonId: ADDON, ...args },
  });
  program.declare([schedule({ hour: 3 })]);
  expect(opsOf(await run("up"))).toEqual({ nightly: "create" });
  expect(program.resource("nightly").id).toBe(`${APP}/${ADDON}`);
  expect(await client().getDatabase(DB)).toMatchObject({
    periodicBackupsEnabled: true,
    periodicBackupsScheduledAt: [3],
  });
  await run("preview", { expectNoChanges: true });

  program.declare([schedule({ hour: 5 })]);
  expect(opsOf(await run("up"))).toEqual({ nightly: "update" });
  expect((await client().getDatabase(DB)).periodicBackupsScheduledAt).toEqual([5]);
  await run("refresh", { expectNoChanges: true });

  await client().updatePeriodicBackups({ ...DB, enabled: false, hour: 7 });
  const refreshed = await run("refresh");
  expect(opsOf(refreshed)).toEqual({ nightly: "update" });
  expect(program.resource("nightly").outputs).toMatchObject({ enabled: false, hour: 7 });
  expect(opsOf(await run("preview"))).toEqual({ nightly: "update" });
  expect(opsOf(await run("up"))).toEqual({ nightly: "update" });
  expect(await client().getDatabase(DB)).toMatchObject({
    periodicBackupsEnabled: true,
    periodicBackupsScheduledAt: [5],
  });
  await run("refresh", { expectNoChanges: true });

  await run("destroy");
  expect(await client().getDatabase(DB)).toMatchObject({
    periodicBackupsEnabled: true,
    periodicBackupsScheduledAt: [0],
  });
  expect(program.printed()).toContain("restored Scalingo's default schedule");
});

test("bad inputs are refused per property before any API call", async () => {
  program.declare([
    backup({ app: "Bad_App", addonId: "ad/1", exported: "yes", timeouts: { create: "soon" } }),
    { type: "scalingo.BackupSchedule", name: "nightly", args: { app: APP, hour: 24, enabled: "no" } },
  ]);
  const served = emulator.running.requests().length;
  const result = await program.run("preview", { env: env() });
  expect(result.ok).toBe(false);
  const errors = result.errors.join("\n");
  expect(errors).toMatch(/app: must be an application name/);
  expect(errors).toMatch(/addonId: must be an addon id/);
  expect(errors).toMatch(/exported: /);
  expect(errors).toMatch(/timeouts.create: must be a duration/);
  expect(errors).toMatch(/addonId: is required/);
  expect(errors).toMatch(/hour: must be an hour of the day/);
  expect(errors).toMatch(/enabled: /);
  expect(emulator.running.requests().length).toBe(served);
});

test("the token comes from dbaas:scalingoApiToken or SCALINGO_API_TOKEN; neither is one clear error", async () => {
  const noToken = { ...env(), SCALINGO_API_TOKEN: "" };
  program.declare([backup({})]);
  const missing = await program.run("up", { env: noToken });
  expect(missing.ok).toBe(false);
  expect(missing.errors.join("\n")).toMatch(/SCALINGO_API_TOKEN.*dbaas:scalingoApiToken/s);

  program.declare([backup({})], {}, { "dbaas:scalingoApiToken": API_TOKEN });
  const configured = await program.run("up", { env: noToken });
  expect(configured.errors).toEqual([]);
  expect(opsOf(configured)).toEqual({ dump: "create" });
  expect(program.printed()).not.toContain(API_TOKEN);
});

describe("provider rules, without the engine", () => {
  const olds = {
    app: APP,
    addonId: "ad-unit",
    exported: true,
    status: "done",
    downloadUrl: "https://example.test/archive.tar.gz?X-Amz-Signature=abc",
    downloadUrlExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  };
  const news = { app: APP, addonId: "ad-unit", exported: true };

  test("backup diff: exact, replaces on app/addon or a failed backup, an up renews an expired link", async () => {
    expect(await databaseBackup.diff("id", olds, news)).toEqual({ changes: false, replaces: [] });
    expect(await databaseBackup.diff("id", olds, { ...news, exported: false })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await databaseBackup.diff("id", olds, { ...news, addonId: "ad-other" })).toEqual({
      changes: true,
      replaces: ["addonId"],
    });
    expect(await databaseBackup.diff("id", { ...olds, status: "error" }, news)).toEqual({
      changes: true,
      replaces: ["status"],
    });
    const expired = { ...olds, downloadUrlExpiresAt: new Date(Date.now() - 1000).toISOString() };
    const up = { ...news, __appliedAt: new Date().toISOString() };
    expect(await databaseBackup.diff("id", expired, up)).toEqual({ changes: true, replaces: [] });
    expect(await databaseBackup.diff("id", expired, news)).toEqual({ changes: false, replaces: [] });
  });

  test("schedule diff: an hour left out of the program is not managed", async () => {
    const state = { app: APP, addonId: "ad-unit", enabled: true, hour: 3, scheduledHours: [3] };
    const program = { app: APP, addonId: "ad-unit", enabled: true };
    expect(await backupSchedule.diff("id", state, program)).toEqual({ changes: false, replaces: [] });
    expect(await backupSchedule.diff("id", state, { ...program, hour: 4 })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await backupSchedule.diff("id", { ...state, hour: null }, { ...program, hour: 3 })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  test("check fills the defaults", async () => {
    expect(await databaseBackup.check({}, { app: APP, addonId: "ad-unit" })).toEqual({
      inputs: { app: APP, addonId: "ad-unit", exported: false },
    });
    expect(await backupSchedule.check({}, { app: APP, addonId: "ad-unit" })).toEqual({
      inputs: { app: APP, addonId: "ad-unit", enabled: true },
    });
  });

  test("update renews an expired download link and keeps a valid one", async () => {
    const settings: Record<string, string> = {
      "dbaas:scalingoApiToken": API_TOKEN,
      "dbaas:scalingoAuthUrl": `${emulator.url}/scalingo/auth`,
      "dbaas:scalingoApiUrl": `${emulator.url}/scalingo/api`,
      "dbaas:scalingoDbApiUrl": `${emulator.url}/scalingo/db-api`,
    };
    await configure({ get: (key) => settings[key] });
    try {
      const started = await client().createBackup(DB);
      const id = `${APP}/${ADDON}/${started.id}`;
      const inputs = { ...DB, exported: true };
      const valid = { ...olds, ...DB, backupId: started.id };
      const kept = await databaseBackup.update(id, valid, inputs);
      expect(kept.outs.downloadUrl).toBe(olds.downloadUrl);
      const expired = { ...valid, downloadUrlExpiresAt: new Date(Date.now() - 1000).toISOString() };
      const renewed = await databaseBackup.update(id, expired, inputs);
      expect(renewed.outs.downloadUrl).toMatch(/X-Amz-Signature=/);
      expect(Date.parse(String(renewed.outs.downloadUrlExpiresAt))).toBeGreaterThan(Date.now());
      const unexported = await databaseBackup.update(id, renewed.outs, { ...DB, exported: false });
      expect(unexported.outs).toMatchObject({
        downloadUrl: null,
        downloadUrlExpiresAt: null,
        status: "done",
      });
    } finally {
      await configure(undefined);
    }
  });

  test("an interrupted create's backup is the oldest new manual one that has not failed", () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute)).toISOString();
    const made = (id: string, minute: number, method = "manual", status = "done") => ({
      id,
      createdAt: at(minute),
      name: id,
      status,
      databaseId: ADDON,
      method,
    });
    const marker = { identity: "p/s/k/n", ...DB, startedAt: at(0), knownBackupIds: ["old"] };
    const backups = [
      made("later", 9),
      made("ours", 1),
      made("old", 0),
      made("failed", 0, "manual", "error"),
      made("nightly", 0, "periodic"),
    ];
    expect(backupCreatedBy(marker, backups)?.id).toBe("ours");
    expect(backupCreatedBy(marker, [made("old", 0), made("nightly", 2, "periodic")])).toBeUndefined();
  });
});
