// Exercises the emulated Scaleway Serverless SQL API over HTTP: database lifecycle, daily backups, exports, scoping,
// and a replay of the recorded real traffic (status codes, keys, value types, status transitions).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorOptions } from "../../emulator/framework";
import { RECORDINGS_DIR } from "../recordings";
import { type Harness, type Json, startHarness } from "./harness";

const START = Date.parse("2025-01-24T14:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const PROJECT = "105bdce1-64c0-48ab-899d-868455867ecf";
const OTHER_PROJECT = "2a9c34b8-1f55-4f0e-9a3b-0c1f6f3c9d41";
const BASE = "/serverless-sqldb/v1alpha1/regions/fr-par";
const FIXTURE = join(RECORDINGS_DIR, "serverless-sqldb-database-basic.jsonl");

function startServerless(options: EmulatorOptions = {}): Promise<Harness> {
  return startHarness(options, { now: START });
}

/** A Serverless SQL request, with the secret key of an unscoped token unless told otherwise. */
function call(harness: Harness, method: string, path: string, body?: unknown, token = "scw-secret") {
  return harness.call(method, path, body, token);
}

async function createDatabase(harness: Harness, overrides: Json = {}): Promise<Json> {
  const created = await call(harness, "POST", `${BASE}/databases`, {
    project_id: PROJECT,
    name: "my-db",
    cpu_min: 0,
    cpu_max: 4,
    ...overrides,
  });
  expect(created.status).toBe(200);
  return created.body;
}

async function listBackups(harness: Harness, query: string): Promise<Json[]> {
  const listed = await call(harness, "GET", `${BASE}/backups?${query}`);
  expect(listed.status).toBe(200);
  expect(listed.body.total_count).toBe((listed.body.backups as Json[]).length);
  return listed.body.backups as Json[];
}

const PERMISSIONS_DENIED = {
  status: 403,
  body: { details: [], message: "insufficient permissions", type: "permissions_denied" },
};

describe("Serverless SQL emulator", () => {
  let harness: Harness;

  afterEach(async () => {
    await harness.stop();
  });

  describe("databases", () => {
    beforeEach(async () => {
      harness = await startServerless();
    });

    it("creates, updates and deletes a database through its statuses", async () => {
      const created = await createDatabase(harness);
      expect(created).toMatchObject({
        status: "creating",
        cpu_min: 0,
        cpu_max: 4,
        started: false,
        region: "fr-par",
      });
      expect(created.endpoint).toBe(
        `postgres://${created.id}.pg.sdb.fr-par.scw.cloud:5432/my-db?sslmode=require`,
      );
      const path = `${BASE}/databases/${created.id}`;
      expect((await call(harness, "PATCH", path, { cpu_min: 1 })).status).toBe(409);
      harness.clock.now += 1000;
      expect((await call(harness, "GET", path)).body.status).toBe("ready");
      const patched = await call(harness, "PATCH", path, { cpu_min: 2, cpu_max: 6 });
      expect(patched.body).toMatchObject({ cpu_min: 2, cpu_max: 6, status: "ready" });
      const deleted = await call(harness, "DELETE", path);
      expect(deleted.body.status).toBe("ready");
      expect((await call(harness, "GET", path)).body.status).toBe("deleting");
      harness.clock.now += 500;
      expect(await call(harness, "GET", path)).toEqual(PERMISSIONS_DENIED);
      expect(await call(harness, "DELETE", path)).toEqual(PERMISSIONS_DENIED);
      const listed = await call(harness, "GET", `${BASE}/databases`);
      expect(listed.body).toEqual({ databases: [], total_count: 0 });
    });

    it.each([
      [{ name: "" }, "name"],
      [{ name: "x".repeat(64) }, "name"],
      [{ cpu_min: 16 }, "cpu_min"],
      [{ cpu_max: 0 }, "cpu_max"],
      [{ cpu_min: 5, cpu_max: 4 }, "cpu_min"],
      [{ project_id: "not-a-uuid" }, "project_id"],
    ])("refuses %j with invalid_arguments", async (overrides, argument) => {
      const refused = await call(harness, "POST", `${BASE}/databases`, {
        project_id: PROJECT,
        name: "my-db",
        cpu_min: 0,
        cpu_max: 4,
        ...overrides,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.type).toBe("invalid_arguments");
      expect((refused.body.details as Json[]).map((detail) => detail.argument_name)).toEqual([argument]);
    });

    it("refuses PATCH bounds outside 0–15 / 1–15", async () => {
      const created = await createDatabase(harness);
      harness.clock.now += 1000;
      const refused = await call(harness, "PATCH", `${BASE}/databases/${created.id}`, { cpu_max: 16 });
      expect(refused.status).toBe(400);
      expect(refused.body.type).toBe("invalid_arguments");
    });

    it("lists with filters, ordering and paging", async () => {
      await createDatabase(harness, { name: "bravo" });
      harness.clock.now += 1;
      await createDatabase(harness, { name: "alpha" });
      harness.clock.now += 1;
      await createDatabase(harness, { name: "charlie", project_id: OTHER_PROJECT });
      const names = async (query: string) =>
        ((await call(harness, "GET", `${BASE}/databases?${query}`)).body.databases as Json[]).map(
          (db) => db.name,
        );
      expect(await names("")).toEqual(["bravo", "alpha", "charlie"]);
      expect(await names("order_by=name_asc")).toEqual(["alpha", "bravo", "charlie"]);
      expect(await names("order_by=created_at_desc")).toEqual(["charlie", "alpha", "bravo"]);
      expect(await names(`project_id=${PROJECT}`)).toEqual(["bravo", "alpha"]);
      expect(await names("name=ar")).toEqual(["charlie"]);
      const page = await call(harness, "GET", `${BASE}/databases?page=2&page_size=2`);
      expect(page.body.total_count).toBe(3);
      expect((page.body.databases as Json[]).map((db) => db.name)).toEqual(["charlie"]);
      expect((await call(harness, "GET", `${BASE}/databases?order_by=size`)).status).toBe(400);
    });

    it("answers 401 without a token and refuses other regions", async () => {
      expect((await call(harness, "GET", `${BASE}/databases`, undefined, "")).status).toBe(401);
      const region = await call(harness, "GET", "/serverless-sqldb/v1alpha1/regions/nl-ams/databases");
      expect(region.status).toBe(400);
    });
  });

  describe("project scoping", () => {
    beforeEach(async () => {
      harness = await startServerless({
        tokens: [
          { token: "key-a", projectId: PROJECT },
          { token: "key-b", projectId: OTHER_PROJECT },
        ],
      });
    });

    it("hides a project's databases and backups from another project's key", async () => {
      const created = await call(
        harness,
        "POST",
        `${BASE}/databases`,
        { name: "db", cpu_min: 0, cpu_max: 1 },
        "key-a",
      );
      expect(created.status).toBe(200);
      expect(created.body.project_id).toBe(PROJECT);
      const id = created.body.id as string;
      expect(await call(harness, "GET", `${BASE}/databases/${id}`, undefined, "key-b")).toEqual(
        PERMISSIONS_DENIED,
      );
      const listed = await call(harness, "GET", `${BASE}/databases`, undefined, "key-b");
      expect(listed.body.total_count).toBe(0);
      harness.clock.now += DAY + 1;
      expect(
        (await call(harness, "GET", `${BASE}/backups?database_id=${id}`, undefined, "key-a")).body
          .total_count,
      ).toBe(1);
      expect(
        (await call(harness, "GET", `${BASE}/backups?database_id=${id}`, undefined, "key-b")).body
          .total_count,
      ).toBe(0);
      const foreign = await call(
        harness,
        "POST",
        `${BASE}/databases`,
        { project_id: PROJECT, name: "x", cpu_min: 0, cpu_max: 1 },
        "key-b",
      );
      expect(foreign).toEqual(PERMISSIONS_DENIED);
    });
  });

  describe("backups", () => {
    beforeEach(async () => {
      harness = await startServerless();
    });

    it("takes one backup a day and expires each after seven days", async () => {
      const created = await createDatabase(harness);
      const query = `database_id=${created.id}`;
      expect(await listBackups(harness, query)).toEqual([]);
      harness.clock.now = START + DAY - 1;
      expect(await listBackups(harness, query)).toEqual([]);
      harness.clock.now = START + DAY;
      const [first] = await listBackups(harness, query);
      expect(first).toMatchObject({
        database_id: created.id,
        status: "ready",
        download_url: null,
        download_url_expires_at: null,
        project_id: PROJECT,
        region: "fr-par",
      });
      expect(Date.parse(first.created_at as string)).toBe(START + DAY);
      expect(Date.parse(first.expires_at as string)).toBe(START + 8 * DAY);
      harness.clock.now = START + 3.5 * DAY;
      const three = await listBackups(harness, query);
      expect(three.map((backup) => Date.parse(backup.created_at as string))).toEqual([
        START + 3 * DAY,
        START + 2 * DAY,
        START + DAY,
      ]);
      expect(three[2].id).toBe(first.id);
      const ascending = await listBackups(harness, `${query}&order_by=created_at_asc`);
      expect(ascending.map((backup) => backup.id)).toEqual(three.map((backup) => backup.id).reverse());
      harness.clock.now = START + 8 * DAY;
      const week = await listBackups(harness, query);
      expect(week).toHaveLength(7);
      expect(week.map((backup) => backup.id)).not.toContain(first.id);
      expect(await call(harness, "GET", `${BASE}/backups/${first.id}`)).toEqual(PERMISSIONS_DENIED);
      const fetched = await call(harness, "GET", `${BASE}/backups/${week[0].id}`);
      expect(fetched.body).toEqual(week[0]);
    });

    it("takes a backup on demand through the control route", async () => {
      const created = await createDatabase(harness);
      harness.clock.now += 5000;
      const taken = await call(harness, "POST", "/_emulator/serverless/backups", { database_id: created.id });
      expect(taken.status).toBe(200);
      expect(Date.parse(taken.body.created_at as string)).toBe(START + 5000);
      const listed = await listBackups(harness, `database_id=${created.id}`);
      expect(listed.map((backup) => backup.id)).toEqual([taken.body.id]);
      const unknown = await call(harness, "POST", "/_emulator/serverless/backups", {
        database_id: "00000000-0000-4000-8000-000000000000",
      });
      expect(unknown.status).toBe(404);
    });

    it("exports a backup, then serves the dump at its download URL until it expires", async () => {
      const created = await createDatabase(harness);
      const taken = await call(harness, "POST", "/_emulator/serverless/backups", { database_id: created.id });
      const path = `${BASE}/backups/${taken.body.id}`;
      const exported = await call(harness, "POST", `${path}/export`, {});
      expect(exported.status).toBe(200);
      expect(exported.body.download_url).toBeNull();
      harness.clock.now += 499;
      expect((await call(harness, "GET", path)).body.download_url).toBeNull();
      harness.clock.now += 1;
      const ready = await call(harness, "GET", path);
      const url = ready.body.download_url as string;
      expect(url.startsWith(harness.url)).toBe(true);
      expect(Date.parse(ready.body.download_url_expires_at as string)).toBe(harness.clock.now + DAY);
      const file = await fetch(url);
      expect(file.status).toBe(200);
      const dump = await file.text();
      expect(dump).toContain("PostgreSQL database dump");
      expect(dump).toContain(String(taken.body.id));
      expect(Buffer.byteLength(dump)).toBe(ready.body.size);
      harness.clock.now += DAY;
      expect((await fetch(url)).status).toBe(403);
    });

    it("restores a database from one of its backups", async () => {
      const created = await createDatabase(harness);
      harness.clock.now += 1000;
      const taken = await call(harness, "POST", "/_emulator/serverless/backups", { database_id: created.id });
      const path = `${BASE}/databases/${created.id}/restore`;
      const restoring = await call(harness, "POST", path, { backup_id: taken.body.id });
      expect(restoring.body.status).toBe("restoring");
      expect((await call(harness, "POST", path, { backup_id: taken.body.id })).status).toBe(409);
      harness.clock.now += 1000;
      expect((await call(harness, "GET", `${BASE}/databases/${created.id}`)).body.status).toBe("ready");
      const unknown = await call(harness, "POST", path, {
        backup_id: "00000000-0000-4000-8000-000000000000",
      });
      expect(unknown).toEqual(PERMISSIONS_DENIED);
      expect((await call(harness, "POST", path, {})).status).toBe(400);
    });

    it("creates a database from a backup", async () => {
      const source = await createDatabase(harness);
      const taken = await call(harness, "POST", "/_emulator/serverless/backups", { database_id: source.id });
      const copy = await createDatabase(harness, { name: "copy", from_backup_id: taken.body.id });
      expect(copy.status).toBe("creating");
      const refused = await call(harness, "POST", `${BASE}/databases`, {
        project_id: PROJECT,
        name: "copy",
        cpu_min: 0,
        cpu_max: 1,
        from_backup_id: "00000000-0000-4000-8000-000000000000",
      });
      expect(refused).toEqual(PERMISSIONS_DENIED);
    });
  });

  describe("state", () => {
    it("keeps databases, on-demand backups and exports across a restart with a data directory", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "serverless-emulator-"));
      const clock = { now: START };
      try {
        harness = await startHarness({ profile: "instant", dataDir }, clock);
        const created = await createDatabase(harness);
        const taken = await call(harness, "POST", "/_emulator/serverless/backups", {
          database_id: created.id,
        });
        const exported = await call(harness, "POST", `${BASE}/backups/${taken.body.id}/export`, {});
        expect(typeof exported.body.download_url).toBe("string");
        await harness.stop();
        harness = await startHarness({ profile: "instant", dataDir }, clock);
        const backup = await call(harness, "GET", `${BASE}/backups/${taken.body.id}`);
        expect({ ...backup.body, download_url: null }).toEqual({ ...exported.body, download_url: null });
        expect((backup.body.download_url as string).startsWith(harness.url)).toBe(true);
        expect((await fetch(backup.body.download_url as string)).status).toBe(200);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("forgets every database on reset", async () => {
      harness = await startServerless();
      const created = await createDatabase(harness);
      expect((await call(harness, "POST", "/_emulator/reset")).status).toBe(204);
      expect(await call(harness, "GET", `${BASE}/databases/${created.id}`)).toEqual(PERMISSIONS_DENIED);
    });
  });

  describe("replay of recorded traffic", () => {
    interface Interaction {
      method: string;
      url: string;
      request_body: unknown;
      code: number;
      response_body: Json | null;
      date: string;
    }

    const shapeOf = (body: Json | null): Record<string, string> =>
      Object.fromEntries(
        Object.entries(body ?? {}).map(([key, value]) => [
          key,
          value === null ? "null" : Array.isArray(value) ? "array" : typeof value,
        ]),
      );

    it("answers every recorded request with the recorded status, keys, types and transitions", async () => {
      harness = await startServerless({ profile: "realistic" });
      const interactions = readFileSync(FIXTURE, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Interaction);
      expect(interactions.length).toBeGreaterThan(30);
      const emulatedIds = new Map<string, string>();
      for (const recorded of interactions) {
        // The Date header is truncated to the second: half a second in is when the request most likely happened.
        harness.clock.now = Date.parse(recorded.date) + 500;
        let path = new URL(recorded.url).pathname;
        for (const [recordedId, emulatedId] of emulatedIds) path = path.replace(recordedId, emulatedId);
        const answer = await call(harness, recorded.method, path, recorded.request_body ?? undefined);
        const context = `${recorded.method} ${recorded.url} at ${recorded.date}`;
        expect({ context, status: answer.status }).toEqual({ context, status: recorded.code });
        expect({ context, shape: shapeOf(answer.body) }).toEqual({
          context,
          shape: shapeOf(recorded.response_body),
        });
        const recordedBody = recorded.response_body ?? {};
        if (recorded.method === "POST" && typeof recordedBody.id === "string") {
          emulatedIds.set(recordedBody.id, answer.body.id as string);
        }
        for (const key of [
          "status",
          "name",
          "cpu_min",
          "cpu_max",
          "engine_major_version",
          "region",
          "type",
        ]) {
          expect({ context, key, value: answer.body[key] }).toEqual({
            context,
            key,
            value: recordedBody[key],
          });
        }
        if (typeof recordedBody.endpoint === "string" && typeof recordedBody.id === "string") {
          expect(answer.body.endpoint).toBe(
            recordedBody.endpoint.replace(recordedBody.id, answer.body.id as string),
          );
        }
      }
    });
  });
});
