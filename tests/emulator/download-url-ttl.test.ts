// The download URL lifetime option (`--download-url-ttl`, `startEmulator({ downloadUrlTtlSeconds })`): RDB backup
// exports, Serverless SQL exports and Scalingo archive links all expire after it, so tests can see URLs expire.
import { parseEmulatorArgs, runEmulatorCli } from "../../emulator/cli";
import { createBackup, type Harness, type Json, REGION_PATH, readyInstance, startHarness } from "./harness";

const TTL_SECONDS = 30;
const SERVERLESS = "/serverless-sqldb/v1alpha1/regions/fr-par";

let harness: Harness;
afterEach(async () => {
  await harness?.stop();
});

/** Fetches a download URL at the harness clock's current time: the status S3 would answer. */
async function downloadStatus(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** The link's lifetime as its presigned query states it (`X-Amz-Expires`, seconds). */
function statedLifetime(url: string): number {
  return Number(new URL(url).searchParams.get("X-Amz-Expires"));
}

/** Checks a URL published at the harness clock's `publishedAt` works until the TTL ends and is refused after. */
async function expectExpiresAfterTtl(url: string, publishedAt: number): Promise<void> {
  expect(statedLifetime(url)).toBe(TTL_SECONDS);
  harness.clock.now = publishedAt + TTL_SECONDS * 1000 - 1;
  expect(await downloadStatus(url)).toBe(200);
  harness.clock.now = publishedAt + TTL_SECONDS * 1000;
  expect(await downloadStatus(url)).toBe(403);
}

/** Exports the Scaleway backup at `backupPath` and checks its download URL says, and keeps, the TTL. */
async function expectExportExpiresAfterTtl(backupPath: string): Promise<void> {
  await harness.call("POST", `${backupPath}/export`, {});
  const exportedAt = harness.clock.now;
  const ready = await harness.call("GET", backupPath);
  expect(Date.parse(String(ready.body.download_url_expires_at))).toBe(exportedAt + TTL_SECONDS * 1000);
  await expectExpiresAfterTtl(String(ready.body.download_url), exportedAt);
}

test("RDB backup exports expire after the configured TTL, and say so", async () => {
  harness = await startHarness({ profile: "instant", downloadUrlTtlSeconds: TTL_SECONDS });
  const instance = await readyInstance(harness);
  const backup = await createBackup(harness, instance.id, { name: "short-lived" });
  await expectExportExpiresAfterTtl(`${REGION_PATH}/backups/${backup.body.id}`);
});

test("Serverless SQL exports expire after the configured TTL", async () => {
  harness = await startHarness({ profile: "instant", downloadUrlTtlSeconds: TTL_SECONDS });
  const database = await harness.call("POST", `${SERVERLESS}/databases`, {
    project_id: "105bdce1-64c0-48ab-899d-868455867ecf",
    name: "shop",
    cpu_min: 0,
    cpu_max: 2,
  });
  const taken = await harness.call("POST", "/_emulator/serverless/backups", {
    database_id: database.body.id,
  });
  await expectExportExpiresAfterTtl(`${SERVERLESS}/backups/${taken.body.id}`);
});

test("Scalingo archive links expire after the configured TTL; without it they live 15 minutes", async () => {
  const archiveUrl = async (): Promise<string> => {
    const json = async (method: string, path: string, authorization: string) => {
      const response = await fetch(`${harness.emulator.url}${path}`, { method, headers: { authorization } });
      return (await response.json()) as Json;
    };
    const basic = `Basic ${Buffer.from(":tk-us-ttl-test").toString("base64")}`;
    const user = await json("POST", "/scalingo/auth/v1/tokens/exchange", basic);
    const addon = await json(
      "POST",
      "/scalingo/api/v1/apps/shop/addons/ad-ttl/token",
      `Bearer ${user.token}`,
    );
    const bearer = `Bearer ${(addon.addon as Json).token}`;
    const created = await json("POST", "/scalingo/db-api/api/databases/ad-ttl/backups", bearer);
    const backupId = (created.database_backup as Json).id;
    const archive = await json(
      "GET",
      `/scalingo/db-api/api/databases/ad-ttl/backups/${backupId}/archive`,
      bearer,
    );
    return String(archive.download_url);
  };
  const addDatabase = () =>
    harness.call("POST", "/_emulator/scalingo/databases", { app: "shop", addon_id: "ad-ttl" });

  harness = await startHarness({ profile: "instant", downloadUrlTtlSeconds: TTL_SECONDS });
  await addDatabase();
  await expectExpiresAfterTtl(await archiveUrl(), harness.clock.now);
  await harness.stop();

  harness = await startHarness({ profile: "instant" });
  await addDatabase();
  expect(statedLifetime(await archiveUrl())).toBe(15 * 60);
});

test("the option is validated: a positive whole number of seconds on the command line, positive in-process", async () => {
  expect(parseEmulatorArgs(["--download-url-ttl", "5"])).toEqual({ downloadUrlTtlSeconds: 5 });
  expect(parseEmulatorArgs(["--download-url-ttl=86400"])).toEqual({ downloadUrlTtlSeconds: 86400 });
  for (const bad of ["0", "-3", "1.5", "soon"]) {
    expect(() => parseEmulatorArgs(["--download-url-ttl", bad])).toThrow(
      "--download-url-ttl must be a positive whole number of seconds",
    );
  }
  const errors: string[] = [];
  const previousExitCode = process.exitCode;
  try {
    await runEmulatorCli(["--download-url-ttl"], {
      stdout: () => undefined,
      stderr: (text) => errors.push(text),
    });
    expect(process.exitCode).toBe(2);
    expect(errors.join("")).toContain("--download-url-ttl needs a value");
  } finally {
    process.exitCode = previousExitCode;
  }
  await expect(startHarness({ downloadUrlTtlSeconds: 0 })).rejects.toThrow(
    "downloadUrlTtlSeconds must be a positive number of seconds",
  );
});
