// The Scalingo client against the real emulator over loopback: auth chain and token caching, expiry and re-mint,
// error mapping, rate limiting, backup waiter, schedule round trip, endpoint resolution and redaction.
import { startEmulator } from "../../emulator/server";
import {
  ApiError,
  ConfigurationError,
  fixedPollPolicy,
  parseScalingoError,
  presignedUrlExpiry,
  REDACTED,
  redactText,
  SCALINGO_RATE_LIMIT,
  ScalingoBadRequestError,
  ScalingoClient,
  type ScalingoClientOptions,
  ScalingoConflictError,
  ScalingoForbiddenError,
  ScalingoNotFoundError,
  ScalingoPaymentRequiredError,
  ScalingoTooManyRequestsError,
  ScalingoUnauthorizedError,
  ScalingoValidationError,
  TokenBucket,
  WaitFailedError,
} from "../../sdk";
import { recordingSleep } from "./helpers";

const START = Date.parse("2025-03-01T10:00:00.000Z");
const API_TOKEN = "tk-us-sdk-test-token-0123456789";
const APP = "backup-app";
const ADDON = "ad-0123456789abcdef";
const DB = { app: APP, addonId: ADDON };

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

interface Harness {
  url: string;
  /** The emulator's clock. */
  server: { now: number };
  /** The client's clock: the same as the server's unless a test lets them drift apart. */
  client: { now: number };
  logs: string[];
  stop(): Promise<void>;
  newClient(options?: ScalingoClientOptions): ScalingoClient;
  requests(): Promise<LoggedRequest[]>;
  count(method: string, pathEnd: string): Promise<number>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
}

async function startHarness(): Promise<Harness> {
  const server = { now: START };
  const client = { now: START };
  const emulator = await startEmulator({ profile: "fast", dataPlane: "simulated", now: () => server.now });
  const logs: string[] = [];
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const requests = async () =>
    ((await control("GET", "/_emulator/requests")) as { requests: LoggedRequest[] }).requests;
  await control("POST", "/_emulator/scalingo/databases", { app: APP, addon_id: ADDON, type: "postgresql" });
  return {
    url: emulator.url,
    server,
    client,
    logs,
    stop: () => emulator.stop(),
    requests,
    control,
    async count(method, pathEnd) {
      return (await requests()).filter((r) => r.method === method && r.path.endsWith(pathEnd)).length;
    },
    newClient: (options = {}) =>
      new ScalingoClient({
        apiToken: API_TOKEN,
        authUrl: `${emulator.url}/scalingo/auth`,
        apiUrl: `${emulator.url}/scalingo/api`,
        dbApiUrl: `${emulator.url}/scalingo/db-api`,
        env: {},
        now: () => client.now,
        rateLimit: new TokenBucket({ ratePerSecond: 1000, burst: 1000 }),
        sleep: recordingSleep().sleep,
        log: (line) => logs.push(line),
        ...options,
      }),
  };
}

const EXCHANGE = "/tokens/exchange";
const MINT = `/addons/${ADDON}/token`;

describe("Scalingo client", () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    await harness.stop();
  });

  describe("auth chain", () => {
    it("exchanges the API token once and mints one database token for many calls", async () => {
      const client = harness.newClient();
      await client.getDatabase(DB);
      await client.listBackups(DB);
      await client.createBackup(DB);
      await client.listAddons({ app: APP });
      expect(await harness.count("POST", EXCHANGE)).toBe(1);
      expect(await harness.count("POST", MINT)).toBe(1);
    });

    it("shares one mint between concurrent calls", async () => {
      const client = harness.newClient();
      await Promise.all([client.getDatabase(DB), client.listBackups(DB), client.getDatabase(DB)]);
      expect(await harness.count("POST", EXCHANGE)).toBe(1);
      expect(await harness.count("POST", MINT)).toBe(1);
    });

    it("keeps tokens with more than 5 minutes left and renews them once fewer are left", async () => {
      const client = harness.newClient();
      await client.getDatabase(DB);
      harness.server.now = harness.client.now = START + 54 * 60_000;
      await client.getDatabase(DB);
      expect(await harness.count("POST", EXCHANGE)).toBe(1);
      expect(await harness.count("POST", MINT)).toBe(1);
      harness.server.now = harness.client.now = START + 56 * 60_000;
      await client.getDatabase(DB);
      expect(await harness.count("POST", EXCHANGE)).toBe(2);
      expect(await harness.count("POST", MINT)).toBe(2);
    });

    it("re-mints once when the server refuses a token the client thought valid", async () => {
      const client = harness.newClient();
      await client.getDatabase(DB);
      // Only the server's clock moves: both cached tokens are expired for it, not for the client.
      harness.server.now = START + 2 * 3600_000;
      const database = await client.getDatabase(DB);
      expect(database.id).toBe(ADDON);
      const statuses = (await harness.requests()).slice(3).map((r) => `${r.method} ${r.status}`);
      // database 401 → mint 401 → exchange → mint → database
      expect(statuses).toEqual(["GET 401", "POST 401", "POST 200", "POST 200", "GET 200"]);
    });

    it("re-mints only once: a second 401 reaches the caller as ScalingoUnauthorizedError", async () => {
      const client = harness.newClient();
      await harness.control("POST", "/_emulator/faults", {
        path: `/scalingo/db-api/api/databases/${ADDON}`,
        status: 401,
        count: 2,
        body: { error: "token has expired" },
      });
      const failure = await client.getDatabase(DB).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ScalingoUnauthorizedError);
      expect((failure as ApiError).status).toBe(401);
      expect(await harness.count("POST", MINT)).toBe(2);
    });

    it("reports a refused API token as ScalingoUnauthorizedError without retrying", async () => {
      const client = harness.newClient({ apiToken: "not-a-scalingo-token" });
      const failure = await client.getDatabase(DB).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ScalingoUnauthorizedError);
      expect((failure as Error).message).toContain("invalid credentials");
      expect(await harness.count("POST", EXCHANGE)).toBe(1);
    });

    it("names SCALINGO_API_TOKEN and the apiToken option when no token is configured", () => {
      expect(() => new ScalingoClient({ env: {} })).toThrow(ConfigurationError);
      expect(() => new ScalingoClient({ env: {} })).toThrow(/SCALINGO_API_TOKEN.*apiToken/s);
    });
  });

  describe("endpoints", () => {
    it("resolves the API URLs of a region through the auth host's region list", async () => {
      const client = harness.newClient({ apiUrl: undefined, dbApiUrl: undefined, region: "osc-fr1" });
      expect((await client.getDatabase(DB)).id).toBe(ADDON);
      expect(await harness.count("GET", "/v1/regions")).toBe(1);
      await client.listBackups(DB);
      expect(await harness.count("GET", "/v1/regions")).toBe(1);
    });

    it("refuses a region the auth host does not know, naming the known ones", async () => {
      const client = harness.newClient({ apiUrl: undefined, dbApiUrl: undefined, region: "mars-1" });
      const failure = await client.getDatabase(DB).catch((e) => e);
      expect(failure).toBeInstanceOf(ConfigurationError);
      expect((failure as Error).message).toMatch(/"mars-1".*known: osc-fr1/);
    });

    it("keeps the default bucket under 60 main-API requests in any 60-second window", async () => {
      const clock = { now: 0 };
      const bucket = new TokenBucket(SCALINGO_RATE_LIMIT, () => clock.now, recordingSleep(clock).sleep);
      const sentAt: number[] = [];
      // A caller sending as fast as the bucket lets it, for three minutes.
      while (clock.now < 180_000) {
        await bucket.acquire();
        sentAt.push(clock.now);
      }
      const busiest = Math.max(
        ...sentAt.map((start) => sentAt.filter((t) => t >= start && t < start + 60_000).length),
      );
      expect(busiest).toBeLessThanOrEqual(60);
      expect(busiest).toBeGreaterThanOrEqual(55);
    });

    it("reads endpoints and token from SCALINGO_* variables; real hosts by default", () => {
      const fromEnv = new ScalingoClient({
        env: { SCALINGO_API_TOKEN: API_TOKEN, SCALINGO_DB_API_URL: "http://127.0.0.1:1/db/api/" },
      });
      expect(fromEnv.config).toMatchObject({
        apiToken: API_TOKEN,
        authUrl: "https://auth.scalingo.com",
        apiUrl: "https://api.osc-fr1.scalingo.com",
        dbApiUrl: "http://127.0.0.1:1/db",
        region: "osc-fr1",
      });
    });
  });

  describe("errors", () => {
    it("maps a 404 to ScalingoNotFoundError naming the resource", async () => {
      const client = harness.newClient();
      const backup = await client.getBackup({ ...DB, backupId: "000000000000000000000000" }).catch((e) => e);
      expect(backup).toBeInstanceOf(ScalingoNotFoundError);
      expect((backup as ApiError).resource).toBe("backup");
      const app = await client.listAddons({ app: "no-such-app" }).catch((e) => e);
      expect(app).toBeInstanceOf(ScalingoNotFoundError);
      expect((app as ApiError).resource).toBe("app");
    });

    it("maps a 422 to ScalingoValidationError with per-field messages", async () => {
      const client = harness.newClient();
      await harness.control("POST", "/_emulator/faults", {
        method: "PATCH",
        path: `/scalingo/db-api/api/databases/${ADDON}`,
        status: 422,
        body: { errors: { periodic_backups_scheduled_at: ["must be an hour of the day, between 0 and 23"] } },
      });
      const failure = await client.updatePeriodicBackups({ ...DB, hour: 4 }).catch((e) => e);
      expect(failure).toBeInstanceOf(ScalingoValidationError);
      expect((failure as ScalingoValidationError).fields).toEqual({
        periodic_backups_scheduled_at: ["must be an hour of the day, between 0 and 23"],
      });
      expect((failure as Error).message).toContain("periodic_backups_scheduled_at must be an hour");
    });

    it("refuses invalid requests before sending anything", async () => {
      const client = harness.newClient();
      await expect(client.updatePeriodicBackups({ ...DB, hour: 24 })).rejects.toThrow("hour: must be 0–23");
      await expect(client.getDatabase({ app: "Bad/App", addonId: ADDON })).rejects.toThrow(/^app: /);
      expect(await harness.requests()).toEqual([]);
    });

    it("retries a 429 from the main API, then gives up with ScalingoTooManyRequestsError", async () => {
      const { delays, sleep } = recordingSleep();
      const client = harness.newClient({ sleep, retry: { maxAttempts: 3 } });
      // The emulator's own quota: 60 main-API requests a minute per user.
      for (let i = 0; i < 60; i++) await client.listAddons({ app: APP });
      const failure = await client.listAddons({ app: APP }).catch((e) => e);
      expect(failure).toBeInstanceOf(ScalingoTooManyRequestsError);
      expect(delays).toHaveLength(2);
      harness.server.now += 61_000;
      harness.client.now += 61_000;
      await harness.control("POST", "/_emulator/faults", {
        path: `/scalingo/api/v1/apps/${APP}/addons`,
        status: 429,
        body: { error: "too many requests" },
        headers: { "retry-after": "2" },
      });
      expect(await client.listAddons({ app: APP })).toHaveLength(1);
      expect(delays[2]).toBe(2000);
    });

    it.each([
      [400, { error: "backup is not finished", code: "backup_not_done" }, ScalingoBadRequestError],
      [401, { error: "invalid token" }, ScalingoUnauthorizedError],
      [
        402,
        { error: "payment required", url: "https://dashboard.scalingo.com/billing" },
        ScalingoPaymentRequiredError,
      ],
      [403, { error: "no backups on sandbox", code: "plan_without_backups" }, ScalingoForbiddenError],
      [404, { resource: "backup", error: "not found" }, ScalingoNotFoundError],
      [409, { error: "an operation is running" }, ScalingoConflictError],
      [422, { errors: { hour: ["is invalid"] } }, ScalingoValidationError],
      [429, { error: "slow down" }, ScalingoTooManyRequestsError],
    ])("parses a documented %i body into its class", (status, body, errorClass) => {
      const error = parseScalingoError({ status, body, headers: {}, request: { method: "GET", url: "/x" } });
      expect(error).toBeInstanceOf(errorClass);
    });

    it.each([
      [400, { message: "no error field" }],
      [404, { message: "route not found", type: "not_found" }],
      [422, { errors: "not a map" }],
      [500, { error: "boom" }],
    ])("keeps a %i body of another shape as a plain ApiError", (status, body) => {
      const error = parseScalingoError({ status, body, headers: {}, request: { method: "GET", url: "/x" } });
      expect(error.constructor).toBe(ApiError);
      expect(error.type).toBe(`http_${status}`);
      expect(error.details).toEqual(body);
    });

    it("keeps the code of 400/403 answers and the billing URL of 402 answers", () => {
      const request = { method: "GET", url: "/x" };
      const forbidden = parseScalingoError({
        status: 403,
        body: { error: "no", code: "plan_without_backups" },
        headers: {},
        request,
      });
      expect((forbidden as ScalingoForbiddenError).code).toBe("plan_without_backups");
      const payment = parseScalingoError({
        status: 402,
        body: { error: "pay", url: "https://dashboard.scalingo.com/billing" },
        headers: {},
        request,
      });
      expect((payment as ScalingoPaymentRequiredError).url).toBe("https://dashboard.scalingo.com/billing");
    });
  });

  describe("backups and schedule", () => {
    it("creates a backup (scheduled) and waits until it is done", async () => {
      const client = harness.newClient();
      const created = await client.createBackup(DB);
      expect(created).toMatchObject({
        status: "scheduled",
        method: "manual",
        databaseId: ADDON,
        startedAt: null,
      });
      const seen: string[] = [];
      const done = await client.waitForBackup(
        { ...DB, backupId: created.id },
        {
          pollPolicy: fixedPollPolicy(400),
          sleep: async (ms) => {
            harness.server.now += ms;
            harness.client.now += ms;
          },
          now: () => harness.client.now,
          onProgress: (progress) => seen.push(progress.status),
        },
      );
      expect(done.status).toBe("done");
      expect(seen).toEqual(["scheduled", "pending", "running", "running", "done"]);
      expect((await client.listBackups(DB)).map((b) => b.id)).toContain(created.id);
    });

    it("sends a change refused with 409 (another operation running) again after a pause", async () => {
      const client = harness.newClient();
      await harness.control("POST", "/_emulator/faults", {
        method: "POST",
        path: `/scalingo/db-api/api/databases/${ADDON}/backups`,
        status: 409,
        body: { error: "an operation is running" },
      });
      const posts = await harness.count("POST", `/databases/${ADDON}/backups`);
      const created = await client.createBackup(DB);
      expect(created.status).toBe("scheduled");
      expect(await harness.count("POST", `/databases/${ADDON}/backups`)).toBe(posts + 2);
    });

    it("serves the waiters of one database with one list of its backups per tick", async () => {
      const client = harness.newClient();
      const created = [await client.createBackup(DB), await client.createBackup(DB)];
      const before = (await harness.requests()).length;
      const settings = {
        pollPolicy: fixedPollPolicy(400),
        sleep: async (ms: number) => {
          harness.server.now += ms;
          harness.client.now += ms;
        },
        now: () => harness.client.now,
      };
      const done = await Promise.all(
        created.map((backup) => client.waitForBackup({ ...DB, backupId: backup.id }, settings)),
      );
      expect(done.map((backup) => backup.status)).toEqual(["done", "done"]);
      const polls = (await harness.requests()).slice(before).filter((r) => r.method === "GET");
      const lists = polls.filter((r) => r.path.endsWith(`/databases/${ADDON}/backups`)).length;
      const gets = polls.length - lists;
      // Alone, each waiter GETs its backup on every look; together one list per tick serves both.
      expect(lists).toBeGreaterThanOrEqual(3);
      expect(gets).toBeLessThanOrEqual(2);
    });

    it("turns error and cancelled backups into WaitFailedError", async () => {
      const client = harness.newClient();
      const created = await client.createBackup(DB);
      await harness.control("POST", "/_emulator/faults", {
        path: `/scalingo/db-api/api/databases/${ADDON}/backups/${created.id}`,
        status: 200,
        body: {
          database_backup: { ...created, created_at: created.createdAt, database_id: ADDON, status: "error" },
        },
      });
      await expect(
        client.waitForBackup({ ...DB, backupId: created.id }, { sleep: async () => {} }),
      ).rejects.toBeInstanceOf(WaitFailedError);
    });

    it("reports a Sandbox plan's refusal as ScalingoForbiddenError with its code", async () => {
      await harness.control("POST", "/_emulator/scalingo/databases", {
        app: APP,
        addon_id: "ad-sandbox",
        plan: "postgresql-sandbox",
      });
      const failure = await harness
        .newClient()
        .createBackup({ app: APP, addonId: "ad-sandbox" })
        .catch((e) => e);
      expect(failure).toBeInstanceOf(ScalingoForbiddenError);
      expect((failure as ScalingoForbiddenError).code).toBe("plan_without_backups");
    });

    it("sends one hour and reads back the list of scheduled hours", async () => {
      const client = harness.newClient();
      expect(await client.getDatabase(DB)).toMatchObject({
        periodicBackupsEnabled: true,
        periodicBackupsScheduledAt: [0],
      });
      const updated = await client.updatePeriodicBackups({ ...DB, enabled: true, hour: 3 });
      expect(updated.periodicBackupsScheduledAt).toEqual([3]);
      const disabled = await client.updatePeriodicBackups({ ...DB, enabled: false });
      expect(disabled).toMatchObject({ periodicBackupsEnabled: false, periodicBackupsScheduledAt: [3] });
      expect(await client.getDatabase(DB)).toMatchObject({ periodicBackupsEnabled: false });
    });

    it("gives a download link with its expiry for a finished backup, and a 400 before", async () => {
      const client = harness.newClient();
      const created = await client.createBackup(DB);
      const early = await client.getBackupArchive({ ...DB, backupId: created.id }).catch((e) => e);
      expect(early).toBeInstanceOf(ScalingoBadRequestError);
      expect((early as ScalingoBadRequestError).code).toBe("backup_not_done");
      harness.server.now += 2_000;
      const archive = await client.getBackupArchive({ ...DB, backupId: created.id });
      expect(archive.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/);
      expect(archive.expiresAt).toBe(
        new Date(harness.server.now + 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, ".000Z"),
      );
      const download = await fetch(archive.downloadUrl);
      expect(download.status).toBe(200);
      expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it("reads the expiry of v4 and v2 presigned URLs, and none from an opaque token link", () => {
      expect(
        presignedUrlExpiry(
          "https://s3.example/x?X-Amz-Date=20250301T100000Z&X-Amz-Expires=900&X-Amz-Signature=ab",
        ),
      ).toEqual(new Date("2025-03-01T10:15:00Z"));
      expect(presignedUrlExpiry("https://s3.example/x?Expires=1740823200&Signature=ab")).toEqual(
        new Date(1740823200 * 1000),
      );
      expect(presignedUrlExpiry("https://db-api.example/download?token=token1234")).toBeUndefined();
    });
  });

  describe("redaction", () => {
    it("keeps tokens and download links out of logs and errors", async () => {
      const client = harness.newClient();
      const created = await client.createBackup(DB);
      harness.server.now += 2_000;
      const archive = await client.getBackupArchive({ ...DB, backupId: created.id });
      await harness.control("POST", "/_emulator/faults", {
        path: `/scalingo/db-api/api/databases/${ADDON}`,
        status: 401,
        count: 2,
        body: { error: `token ${API_TOKEN} refused, see ${archive.downloadUrl}` },
      });
      const failure = (await client.getDatabase(DB).catch((e) => e)) as ApiError;
      const signature = new URL(archive.downloadUrl).searchParams.get("X-Amz-Signature") as string;
      const rendered = [failure.message, JSON.stringify(failure), ...harness.logs].join("\n");
      expect(harness.logs.length).toBeGreaterThan(5);
      expect(rendered).not.toContain(API_TOKEN);
      expect(rendered).not.toContain(signature);
      expect(rendered).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
      expect(rendered).toContain(REDACTED);
      expect(redactText(`download from ${archive.downloadUrl}`)).not.toContain(signature);
    });
  });
});
