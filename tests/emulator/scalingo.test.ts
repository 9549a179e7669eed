// Exercises the emulated Scalingo APIs over HTTP: token chain, addon scoping, backups, archives, schedule, limits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { environmentExports } from "../../emulator/cli";
import { type Harness, harnessForEachTest, type Json, startHarness } from "./harness";

const START = Date.parse("2025-03-01T10:00:00.000Z");
const API_TOKEN = "tk-us-emulated-user-token";

/** A Scalingo request: `token` goes in a Bearer header, `basic` is the password of a Basic one. */
function call(
  harness: Harness,
  method: string,
  path: string,
  init: { token?: string; basic?: string; body?: unknown } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.basic !== undefined)
    headers.authorization = `Basic ${Buffer.from(`:${init.basic}`).toString("base64")}`;
  return harness.send(method, path, { headers, body: init.body });
}

function jwtPayload(token: string): Json {
  const parts = token.split(".");
  expect(parts).toHaveLength(3);
  return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Json;
}

async function createDatabase(harness: Harness, body: Json): Promise<Json> {
  const created = await call(harness, "POST", "/_emulator/scalingo/databases", { body });
  expect(created.status).toBe(201);
  return created.body;
}

async function userToken(harness: Harness, apiToken = API_TOKEN): Promise<string> {
  const exchanged = await call(harness, "POST", "/scalingo/auth/v1/tokens/exchange", { basic: apiToken });
  expect(exchanged.status).toBe(200);
  return exchanged.body.token as string;
}

async function addonToken(harness: Harness, app: string, addonId: string): Promise<string> {
  const minted = await call(harness, "POST", `/scalingo/api/v1/apps/${app}/addons/${addonId}/token`, {
    token: await userToken(harness),
  });
  expect(minted.status).toBe(200);
  return (minted.body.addon as Json).token as string;
}

const dbPath = (addonId: string) => `/scalingo/db-api/api/databases/${addonId}`;

/** Reads the single regular file of an uncompressed ustar archive. */
function firstTarEntry(tar: Buffer): { name: string; content: string } {
  const name = tar.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
  const size = Number.parseInt(tar.subarray(124, 136).toString("utf8").replace(/\0.*$/s, ""), 8);
  return { name, content: tar.subarray(512, 512 + size).toString("utf8") };
}

describe("Scalingo emulator", () => {
  const harness = harnessForEachTest({}, START);

  describe("auth API", () => {
    it("exchanges a user API token for a JWT valid one hour", async () => {
      const token = await userToken(harness);
      const payload = jwtPayload(token);
      expect(payload.exp).toBe(Math.floor(START / 1000) + 3600);
      expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
    });

    it("refuses missing and unknown API tokens with 401 {error}", async () => {
      const missing = await call(harness, "POST", "/scalingo/auth/v1/tokens/exchange");
      expect(missing.status).toBe(401);
      expect(typeof missing.body.error).toBe("string");
      const unknown = await call(harness, "POST", "/scalingo/auth/v1/tokens/exchange", {
        basic: "not-a-token",
      });
      expect(unknown.status).toBe(401);
    });

    it("accepts only the configured tokens when some are given", async () => {
      const strict = await startHarness({ scalingoTokens: ["tk-us-allowed"] }, { now: START });
      try {
        const allowed = await call(strict, "POST", "/scalingo/auth/v1/tokens/exchange", {
          basic: "tk-us-allowed",
        });
        expect(allowed.status).toBe(200);
        const other = await call(strict, "POST", "/scalingo/auth/v1/tokens/exchange", { basic: API_TOKEN });
        expect(other.status).toBe(401);
      } finally {
        await strict.stop();
      }
    });

    it("lists regions whose API URLs point at this emulator", async () => {
      const regions = await call(harness, "GET", "/scalingo/auth/v1/regions");
      expect(regions.status).toBe(200);
      const [region] = regions.body.regions as Json[];
      expect(region).toMatchObject({
        name: "osc-fr1",
        api: `${harness.url}/scalingo/api`,
        database_api: `${harness.url}/scalingo/db-api`,
      });
    });
  });

  describe("main API", () => {
    it("lists an app's database addons as the real API shapes them", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123", type: "postgresql" });
      const listed = await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", {
        token: await userToken(harness),
      });
      expect(listed.status).toBe(200);
      const [addon] = listed.body.addons as Json[];
      expect(addon).toMatchObject({
        id: "ad-123",
        status: "running",
        addon_provider: { id: "scalingo-postgresql" },
        plan: { name: "postgresql-starter-512" },
      });
      expect(typeof addon.resource_id).toBe("string");
      expect(typeof addon.app_id).toBe("string");
    });

    it("answers 404 {resource, error} for unknown apps and addons", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await userToken(harness);
      const app = await call(harness, "GET", "/scalingo/api/v1/apps/other/addons", { token });
      expect(app).toEqual({ status: 404, body: { resource: "app", error: "not found" } });
      const addon = await call(harness, "POST", "/scalingo/api/v1/apps/my-app/addons/ad-nope/token", {
        token,
      });
      expect(addon).toEqual({ status: 404, body: { resource: "addon", error: "not found" } });
    });

    it("rejects user JWTs once expired", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await userToken(harness);
      harness.clock.now += 3600 * 1000 - 1;
      expect((await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token })).status).toBe(200);
      harness.clock.now += 1;
      const expired = await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token });
      expect(expired.status).toBe(401);
      expect(expired.body.error).toBe("token has expired");
    });

    it("rejects tampered and wrong-kind tokens", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await userToken(harness);
      const [header, payload] = token.split(".");
      const forged = `${header}.${payload}.${"A".repeat(43)}`;
      expect(
        (await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token: forged })).status,
      ).toBe(401);
      const dbToken = await addonToken(harness, "my-app", "ad-123");
      expect(
        (await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token: dbToken })).status,
      ).toBe(401);
      expect((await call(harness, "GET", dbPath("ad-123"), { token })).status).toBe(401);
    });

    it("answers 429 past 60 requests a minute per user, then recovers", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await userToken(harness);
      for (let i = 0; i < 60; i++) {
        harness.clock.now += 500;
        expect((await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token })).status).toBe(
          200,
        );
      }
      const limited = await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token });
      expect(limited.status).toBe(429);
      expect(typeof limited.body.error).toBe("string");
      const otherUser = await userToken(harness, "tk-us-someone-else");
      expect(
        (await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token: otherUser })).status,
      ).toBe(200);
      harness.clock.now = START + 500 + 60_000 - 1;
      expect((await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token })).status).toBe(429);
      harness.clock.now += 1;
      expect((await call(harness, "GET", "/scalingo/api/v1/apps/my-app/addons", { token })).status).toBe(200);
    });
  });

  describe("database API", () => {
    it("scopes addon tokens to their database and expires them after one hour", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-one" });
      await createDatabase(harness, { app: "my-app", addon_id: "ad-two" });
      const token = await addonToken(harness, "my-app", "ad-one");
      expect((await call(harness, "GET", dbPath("ad-one"), { token })).status).toBe(200);
      const other = await call(harness, "GET", dbPath("ad-two"), { token });
      expect(other.status).toBe(403);
      expect(typeof other.body.error).toBe("string");
      harness.clock.now += 3600 * 1000;
      expect((await call(harness, "GET", dbPath("ad-one"), { token })).status).toBe(401);
    });

    it("shows the database with the default schedule: enabled at hour 0", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const shown = await call(harness, "GET", dbPath("ad-123"), { token });
      expect(shown.status).toBe(200);
      expect(shown.body.database).toMatchObject({
        id: "ad-123",
        type_name: "postgresql",
        plan: "postgresql-starter-512",
        status: "running",
        periodic_backups_enabled: true,
        periodic_backups_scheduled_at: [0],
      });
      expect(Array.isArray((shown.body.database as Json).features)).toBe(true);
    });

    it("updates the schedule from one hour or a list, and reads back an array", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const patched = await call(harness, "PATCH", dbPath("ad-123"), {
        token,
        body: { database: { periodic_backups_enabled: true, periodic_backups_scheduled_at: 3 } },
      });
      expect(patched.status).toBe(200);
      expect((patched.body.database as Json).periodic_backups_scheduled_at).toEqual([3]);
      await call(harness, "PATCH", dbPath("ad-123"), {
        token,
        body: { database: { periodic_backups_scheduled_at: [13, 1] } },
      });
      const disabled = await call(harness, "PATCH", dbPath("ad-123"), {
        token,
        body: { database: { periodic_backups_enabled: false } },
      });
      expect(disabled.body.database).toMatchObject({
        periodic_backups_enabled: false,
        periodic_backups_scheduled_at: [1, 13],
      });
      const shown = await call(harness, "GET", dbPath("ad-123"), { token });
      expect(shown.body.database).toMatchObject({ periodic_backups_enabled: false });
    });

    it.each([
      [{ periodic_backups_scheduled_at: 24 }, "periodic_backups_scheduled_at"],
      [{ periodic_backups_scheduled_at: -1 }, "periodic_backups_scheduled_at"],
      [{ periodic_backups_scheduled_at: "3" }, "periodic_backups_scheduled_at"],
      [{ periodic_backups_scheduled_at: 2.5 }, "periodic_backups_scheduled_at"],
      [{ periodic_backups_enabled: "yes" }, "periodic_backups_enabled"],
    ])("answers 422 {errors} for %j", async (update, field) => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const refused = await call(harness, "PATCH", dbPath("ad-123"), { token, body: { database: update } });
      expect(refused.status).toBe(422);
      const errors = refused.body.errors as Record<string, string[]>;
      expect(Object.keys(errors)).toEqual([field]);
      expect(errors[field][0]).toEqual(expect.any(String));
      const shown = await call(harness, "GET", dbPath("ad-123"), { token });
      expect((shown.body.database as Json).periodic_backups_scheduled_at).toEqual([0]);
    });

    it("answers 422 when the database key is missing", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const refused = await call(harness, "PATCH", dbPath("ad-123"), { token, body: { periodic: 1 } });
      expect(refused).toEqual({ status: 422, body: { errors: { database: ["is missing"] } } });
    });

    it("runs a manual backup through scheduled, pending, running and done", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const created = await call(harness, "POST", `${dbPath("ad-123")}/backups`, { token });
      expect(created.status).toBe(201);
      const backup = created.body.database_backup as Json;
      expect(backup).toMatchObject({
        status: "scheduled",
        started_at: null,
        size: null,
        method: "manual",
        database_id: "ad-123",
      });
      expect(backup.id).toMatch(/^[0-9a-f]{24}$/);
      const statusAfter = async (ms: number) => {
        harness.clock.now = START + ms;
        const shown = await call(harness, "GET", `${dbPath("ad-123")}/backups/${backup.id}`, { token });
        return shown.body.database_backup as Json;
      };
      expect((await statusAfter(100)).status).toBe("scheduled");
      expect((await statusAfter(200)).status).toBe("pending");
      const running = await statusAfter(500);
      expect(running.status).toBe("running");
      expect(typeof running.started_at).toBe("string");
      const done = await statusAfter(1500);
      expect(done.status).toBe("done");
      expect(done.size).toBeGreaterThan(0);
      const viaGoClientPath = await call(harness, "GET", `/scalingo/db-api/api/backups/${backup.id}`, {
        token,
      });
      expect(viaGoClientPath.body.database_backup).toEqual(done);
    });

    it("lists backups newest first and rotates out old manual ones", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        harness.clock.now += 60_000;
        const created = await call(harness, "POST", `${dbPath("ad-123")}/backups`, { token });
        ids.push((created.body.database_backup as Json).id as string);
      }
      const listed = await call(harness, "GET", `${dbPath("ad-123")}/backups`, { token });
      const listedIds = (listed.body.database_backups as Json[]).map((backup) => backup.id);
      expect(listedIds).toEqual(ids.slice(2).reverse());
    });

    it("serves a done backup's archive as a real .tar.gz at a presigned URL", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      const created = await call(harness, "POST", `${dbPath("ad-123")}/backups`, { token });
      const backupId = (created.body.database_backup as Json).id as string;
      const early = await call(harness, "GET", `${dbPath("ad-123")}/backups/${backupId}/archive`, { token });
      expect(early.status).toBe(400);
      expect(typeof early.body.error).toBe("string");
      harness.clock.now += 1500;
      const archive = await call(harness, "GET", `${dbPath("ad-123")}/backups/${backupId}/archive`, {
        token,
      });
      expect(archive.status).toBe(200);
      const downloadUrl = archive.body.download_url as string;
      expect(downloadUrl.startsWith(harness.url)).toBe(true);
      const file = await fetch(downloadUrl);
      expect(file.status).toBe(200);
      const tarGz = Buffer.from(await file.arrayBuffer());
      const entry = firstTarEntry(gunzipSync(tarGz));
      const shown = await call(harness, "GET", `${dbPath("ad-123")}/backups/${backupId}`, { token });
      const backup = shown.body.database_backup as Json;
      expect(entry.name).toBe(`${backup.name}.pgsql`);
      expect(entry.content).toContain("PostgreSQL database dump");
      expect(backup.size).toBe(tarGz.length);
      const unknown = await call(
        harness,
        "GET",
        `${dbPath("ad-123")}/backups/0123456789abcdef01234567/archive`,
        {
          token,
        },
      );
      expect(unknown).toEqual({ status: 404, body: { resource: "backup", error: "not found" } });
    });

    it("refuses backups and schedules on sandbox plans", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-free", plan: "postgresql-sandbox" });
      const token = await addonToken(harness, "my-app", "ad-free");
      const shown = await call(harness, "GET", dbPath("ad-free"), { token });
      expect(shown.body.database).toMatchObject({
        periodic_backups_enabled: false,
        periodic_backups_scheduled_at: [],
      });
      const backup = await call(harness, "POST", `${dbPath("ad-free")}/backups`, { token });
      expect(backup.status).toBe(403);
      expect(backup.body).toEqual({ error: expect.any(String), code: expect.any(String) });
      const schedule = await call(harness, "PATCH", dbPath("ad-free"), {
        token,
        body: { database: { periodic_backups_enabled: true } },
      });
      expect(schedule.status).toBe(403);
      const listed = await call(harness, "GET", `${dbPath("ad-free")}/backups`, { token });
      expect(listed).toEqual({ status: 200, body: { database_backups: [] } });
    });
  });

  describe("printed environment", () => {
    it("gives URLs and a token that complete the whole token chain", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const env = Object.fromEntries(environmentExports(harness.url, {}));
      expect(env.SCALINGO_REGION).toBe("osc-fr1");
      const exchange = await fetch(`${env.SCALINGO_AUTH_URL}/v1/tokens/exchange`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`:${env.SCALINGO_API_TOKEN}`).toString("base64")}` },
      });
      const { token } = (await exchange.json()) as { token: string };
      const minted = await fetch(`${env.SCALINGO_API_URL}/v1/apps/my-app/addons/ad-123/token`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      const { addon } = (await minted.json()) as { addon: { token: string } };
      const database = await fetch(`${env.SCALINGO_DB_API_URL}/api/databases/ad-123`, {
        headers: { authorization: `Bearer ${addon.token}` },
      });
      expect(database.status).toBe(200);
    });

    it("prints the first declared Scalingo token", () => {
      const env = Object.fromEntries(
        environmentExports("http://127.0.0.1:1", { scalingoTokens: ["tk-us-mine"] }),
      );
      expect(env.SCALINGO_API_TOKEN).toBe("tk-us-mine");
    });
  });

  describe("state", () => {
    it("keeps databases, backups and issued tokens across a restart with a data directory", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "scalingo-emulator-"));
      const clock = { now: START };
      try {
        const firstHarness = await startHarness({ dataDir }, clock);
        await createDatabase(firstHarness, { app: "my-app", addon_id: "ad-123" });
        const token = await addonToken(firstHarness, "my-app", "ad-123");
        await call(firstHarness, "POST", `${dbPath("ad-123")}/backups`, { token });
        await firstHarness.stop();
        const secondHarness = await startHarness({ dataDir }, clock);
        try {
          const listed = await call(secondHarness, "GET", `${dbPath("ad-123")}/backups`, { token });
          expect(listed.status).toBe(200);
          expect(listed.body.database_backups).toHaveLength(1);
        } finally {
          await secondHarness.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("forgets every database on reset", async () => {
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const token = await addonToken(harness, "my-app", "ad-123");
      expect((await call(harness, "POST", "/_emulator/reset")).status).toBe(204);
      expect(await call(harness, "GET", dbPath("ad-123"), { token })).toEqual({
        status: 404,
        body: { resource: "database", error: "not found" },
      });
    });
  });

  describe("test control", () => {
    it("validates the database it is asked to create", async () => {
      const badType = await call(harness, "POST", "/_emulator/scalingo/databases", {
        body: { app: "my-app", type: "oracle" },
      });
      expect(badType.status).toBe(400);
      const noApp = await call(harness, "POST", "/_emulator/scalingo/databases", { body: {} });
      expect(noApp.status).toBe(400);
      await createDatabase(harness, { app: "my-app", addon_id: "ad-123" });
      const duplicate = await call(harness, "POST", "/_emulator/scalingo/databases", {
        body: { app: "my-app", addon_id: "ad-123" },
      });
      expect(duplicate.status).toBe(409);
    });

    it("generates addon ids shaped like Scalingo's", async () => {
      const created = await createDatabase(harness, { app: "my-app", type: "mysql" });
      expect((created.addon as Json).id).toMatch(/^ad-[0-9a-f-]{36}$/);
      expect(created.database).toMatchObject({ type_name: "mysql", periodic_backups_scheduled_at: [0] });
    });
  });
});
