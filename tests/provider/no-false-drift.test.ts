// Drift checks in CI (`refresh --expect-no-changes`, `preview --refresh --expect-no-changes`) must fail on real drift
// only: time passing (expired download URLs, maintenances, certificate renewal) is no change, an out-of-band change of
// a managed input is. Download URLs live a few seconds in this file's emulator, so they expire during a test.
import * as path from "node:path";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { configure } from "../../provider/impl/config";
import { databaseBackup } from "../../provider/impl/scaleway/backup";
import { INSTANCE, opsOf, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(180_000);

/** Long enough to outlast the engine runs between an `up` and the checks on its URL, short enough to wait out. */
const URL_TTL_SECONDS = 8;

const suite = useEmulatorAndProgram({ downloadUrlTtlSeconds: URL_TTL_SECONDS });

/**
 * Waits until the emulator's clock (the real one here) has passed `expiresAt`, so that the URL answers 403. A second
 * more: an expiry read back from a presigned URL's `X-Amz-Date` is rounded down to the second.
 */
async function untilExpired(expiresAt: unknown): Promise<void> {
  const waitMs = Date.parse(String(expiresAt)) + 1200 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

/** The drift checks a CI job runs, all expected to pass. */
async function driftChecksPass(): Promise<void> {
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("preview", { expectNoChanges: true, refresh: true });
}

test("an expired RDB backup URL: refresh and preview see no change, the next up renews it", async () => {
  suite.program.declare(
    [
      INSTANCE,
      { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" }, exported: true } },
    ],
    { url: { ref: "dump", output: "downloadUrl" } },
  );
  const first = await suite.program.ok("up");
  const firstUrl = String(first.outputs.url);
  expect((await fetch(firstUrl)).status).toBe(200);
  await suite.program.ok("refresh", { expectNoChanges: true });

  await untilExpired(suite.program.resource("dump").outputs.downloadUrlExpiresAt);
  expect((await fetch(firstUrl)).status).toBe(403);
  await driftChecksPass();
  expect(suite.program.resource("dump").outputs).toMatchObject({ exported: true });

  const renewed = await suite.program.ok("up");
  expect(opsOf(renewed)).toEqual({ db: "same", dump: "update" });
  const secondUrl = String(renewed.outputs.url);
  expect(secondUrl).not.toBe(firstUrl);
  expect((await fetch(secondUrl)).status).toBe(200);
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("an expired Scalingo archive link: refresh and preview see no change, the next up renews it", async () => {
  const env = {
    ...suite.emulator.env(),
    SCALINGO_API_TOKEN: "tk-us-drift-test-0123456789",
    SCALINGO_AUTH_URL: `${suite.emulator.url}/scalingo/auth`,
    SCALINGO_API_URL: `${suite.emulator.url}/scalingo/api`,
    SCALINGO_DB_API_URL: `${suite.emulator.url}/scalingo/db-api`,
    PULUMI_DBAAS_STATE_DIR: path.join(suite.program.dir, ".pending-creates"),
  };
  const created = await fetch(`${suite.emulator.url}/_emulator/scalingo/databases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: "shop", addon_id: "ad-drift", type: "postgresql" }),
  });
  expect(created.status).toBe(201);
  suite.program.declare(
    [
      {
        type: "scalingo.DatabaseBackup",
        name: "dump",
        args: { app: "shop", addonId: "ad-drift", exported: true },
      },
    ],
    { url: { ref: "dump", output: "downloadUrl" } },
  );
  const first = await suite.program.ok("up", { env });
  const firstUrl = String(first.outputs.url);
  expect((await fetch(firstUrl)).status).toBe(200);

  const expiresAt = suite.program.resource("dump").outputs.downloadUrlExpiresAt;
  expect(typeof expiresAt).toBe("string");
  await untilExpired(expiresAt);
  expect((await fetch(firstUrl)).status).toBe(403);
  await suite.program.ok("refresh", { expectNoChanges: true, env });
  await suite.program.ok("preview", { expectNoChanges: true, env });
  await suite.program.ok("preview", { expectNoChanges: true, refresh: true, env });

  const renewed = await suite.program.ok("up", { env });
  expect(opsOf(renewed)).toEqual({ dump: "update" });
  expect((await fetch(String(renewed.outputs.url))).status).toBe(200);
  await suite.program.ok("refresh", { expectNoChanges: true, env });
});

test("a pending maintenance and a renewed certificate are no drift; an out-of-band change still is", async () => {
  suite.program.declare([INSTANCE]);
  await suite.program.ok("up");
  const instanceId = uuidOf(suite.program.resource("db").id ?? "");
  const certificate = suite.program.resource("db").outputs.certificate;
  const maintenance = await fetch(
    `${suite.emulator.url}/_emulator/scaleway-rdb/instances/${instanceId}/maintenances`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    },
  );
  expect(maintenance.status).toBe(201);
  const api = suite.emulator.api();
  await api.renewInstanceCertificate({ region: "fr-par", instanceId });
  await api.waitForInstance({ region: "fr-par", instanceId });

  await driftChecksPass();
  const refreshed = suite.program.resource("db").outputs;
  expect(refreshed.maintenances).toEqual([expect.objectContaining({ status: "pending" })]);
  expect(refreshed.certificate).not.toEqual(certificate);

  await api.updateInstance({ region: "fr-par", instanceId, tags: ["by-hand"] });
  const drifted = await suite.program.run("refresh", { expectNoChanges: true });
  expect(drifted.ok).toBe(false);
  expect(drifted.steps.find((step) => step.name === "db")?.op).toBe("update");
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "update" });
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("a backup renamed or given an expiry out of band is drift, and up puts it back", async () => {
  suite.program.declare([
    INSTANCE,
    {
      type: "scaleway.DatabaseBackup",
      name: "dump",
      args: { instanceId: { ref: "db" }, name: "nightly", expiresAt: "2031-06-01T00:00:00Z" },
    },
  ]);
  await suite.program.ok("up");
  const backupId = uuidOf(suite.program.resource("dump").id ?? "");
  const api = suite.emulator.api();
  await api.updateDatabaseBackup({ region: "fr-par", databaseBackupId: backupId, name: "by-hand" });
  const renamed = await suite.program.run("refresh", { expectNoChanges: true });
  expect(renamed.ok).toBe(false);
  expect(renamed.steps.find((step) => step.name === "dump")?.op).toBe("update");
  expect(opsOf(await suite.program.ok("up"))).toMatchObject({ dump: "update" });
  expect((await api.getDatabaseBackup({ region: "fr-par", databaseBackupId: backupId })).name).toBe(
    "nightly",
  );

  await api.updateDatabaseBackup({
    region: "fr-par",
    databaseBackupId: backupId,
    expiresAt: "2030-01-01T00:00:00Z",
  });
  expect((await suite.program.run("refresh", { expectNoChanges: true })).ok).toBe(false);
  expect(opsOf(await suite.program.ok("up"))).toMatchObject({ dump: "update" });
  const live = await api.getDatabaseBackup({ region: "fr-par", databaseBackupId: backupId });
  expect(Date.parse(String(live.expiresAt))).toBe(Date.parse("2031-06-01T00:00:00Z"));
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("read keeps an exported backup exported, and its last URL, when the API stops reporting an expired URL", async () => {
  const settings: Record<string, string> = {
    "dbaas:apiUrl": suite.emulator.url,
    "dbaas:secretKey": DEFAULT_SECRET_KEY,
    "dbaas:projectId": DEFAULT_PROJECT_ID,
  };
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  await configure({ get: (key) => settings[key] });
  try {
    const api = suite.emulator.api();
    const instance = await api.createInstance({
      region: "fr-par",
      name: "url-dropped",
      engine: "PostgreSQL-16",
      nodeType: "db-dev-s",
      userName: "admin",
      password: "Url-dropped-pass1!",
    });
    await api.waitForInstance({ region: "fr-par", instanceId: instance.id });
    const inputs = {
      instanceId: `fr-par/${instance.id}`,
      databaseName: "rdb",
      name: "dump",
      exported: true,
      __appliedAt: new Date().toISOString(),
    };
    const created = await databaseBackup.create(inputs);
    const backupPath = `/rdb/v1/regions/fr-par/backups/${uuidOf(created.id)}`;
    const live = await fetch(`${suite.emulator.url}${backupPath}`, {
      headers: { "x-auth-token": DEFAULT_SECRET_KEY },
    });
    const withoutUrl = {
      ...((await live.json()) as object),
      download_url: null,
      download_url_expires_at: null,
    };
    await suite.emulator.fault({ method: "GET", path: backupPath, count: 1, status: 200, body: withoutUrl });

    const read = await databaseBackup.read(created.id, created.outs);
    expect(read.props).toMatchObject({
      exported: true,
      downloadUrl: created.outs.downloadUrl,
      downloadUrlExpiresAt: created.outs.downloadUrlExpiresAt,
    });
    expect(read.inputs).toMatchObject({ exported: true });
    expect(await databaseBackup.diff(created.id, read.props ?? {}, inputs)).toEqual({
      changes: false,
      replaces: [],
    });
    await api.deleteInstance({ region: "fr-par", instanceId: instance.id });
  } finally {
    await configure(undefined);
    jest.restoreAllMocks();
  }
});
