// The real data plane of the RDB module: every PostgreSQL instance is a real server (TLS, SCRAM logins), its users
// and settings are real, backups are pg_dump archives that restore, clones copy rows, and a delete leaves nothing.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { connectionString as connectionStringOutput } from "../../provider/impl/scaleway/instance";
import { RdbApi, ScalewayClient } from "../../sdk";
import {
  ADMIN,
  connectionString,
  describeWithPostgres,
  type Json,
  PROJECT,
  pgRestoreIntoScratch,
  psql,
  psqlUrl,
  RealEmulator,
  serversUnder,
} from "./real-plane-helpers";

jest.setTimeout(90_000);

/** Answers the first column of the first row of `sql`, run with node-postgres given a connection URL as it is. */
async function pgQuery(url: string, sql: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return Object.values((await client.query(sql)).rows[0] ?? {})[0];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describeWithPostgres("the real data plane", () => {
  let world: RealEmulator;
  let instance: Json;
  const scratch = mkdtempSync(join(tmpdir(), "real-plane-test-"));

  beforeAll(async () => {
    world = await RealEmulator.start();
    instance = await world.readyInstance("source");
    await psql(
      instance,
      "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'book'), (2, 'pen');",
    );
  });

  afterAll(async () => {
    await world?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("serves the instance over TLS with the admin login, presenting the certificate GET /certificate returns", async () => {
    expect(await psql(instance, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).toBe("t\n");
    const certificate = await world.ok("GET", `/instances/${String(instance.id)}/certificate`);
    const certificateFile = join(scratch, "server.crt");
    writeFileSync(certificateFile, Buffer.from(String(certificate.content), "base64"));
    const verified = `${connectionString(instance).replace("sslmode=require", "sslmode=verify-full")}&sslrootcert=${certificateFile}`;
    expect(verified).toContain("127.0.0.1");
    expect(await psqlUrl(verified, "SELECT current_user")).toBe(`${ADMIN.name}\n`);
  });

  it("takes the connectionString output as it is with psql; node-postgres needs uselibpqcompat or the certificate", async () => {
    const rdb = new RdbApi(new ScalewayClient({ secretKey: "test-token", apiUrl: world.emulator.url }));
    const live = await rdb.getInstance({ region: "fr-par", instanceId: String(instance.id) });
    const url = connectionStringOutput(live, ADMIN.name, ADMIN.password);
    expect(url).toBe(connectionString(instance));
    const encrypted = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    expect(await psqlUrl(url, encrypted)).toBe("t\n");
    // node-postgres 8 reads sslmode=require as verify-full, which a self-signed certificate fails; libpq rejects
    // the parameter that turns libpq's meaning on, so no single URL serves both (see the README).
    await expect(pgQuery(url, encrypted)).rejects.toThrow(/self-signed certificate/);
    expect(await pgQuery(`${url}&uselibpqcompat=true`, encrypted)).toBe(true);
    await expect(psqlUrl(`${url}&uselibpqcompat=true`, "SELECT 1")).rejects.toThrow(
      /invalid URI query parameter/,
    );
    const certificate = await world.ok("GET", `/instances/${String(instance.id)}/certificate`);
    const certificateFile = join(scratch, "trusted.crt");
    writeFileSync(certificateFile, Buffer.from(String(certificate.content), "base64"));
    expect(await pgQuery(`${url}&sslrootcert=${certificateFile}`, encrypted)).toBe(true);
    expect(await psqlUrl(`${url}&sslrootcert=${certificateFile}`, encrypted)).toBe("t\n");
  });

  it("gives a Serverless SQL database the endpoint of its real server, with the project and secret key as login", async () => {
    const databases = `${world.emulator.url}/serverless-sqldb/v1alpha1/regions/fr-par/databases`;
    const headers = { "x-auth-token": "test-token", "content-type": "application/json" };
    const created = (await (
      await fetch(databases, {
        method: "POST",
        headers,
        body: JSON.stringify({ project_id: PROJECT, name: "app", cpu_min: 0, cpu_max: 1 }),
      })
    ).json()) as Json;
    const endpoint = new URL(String(created.endpoint));
    expect(endpoint.hostname).toBe("127.0.0.1");
    expect(endpoint.pathname).toBe("/app");
    const login = new URL(endpoint.href);
    login.username = PROJECT;
    login.password = "test-token";
    await psqlUrl(login.href, "CREATE TABLE visits (n int); INSERT INTO visits VALUES (42);");
    const rows = await fetch(
      `${world.emulator.url}/_emulator/serverless/databases/${String(created.id)}/tables/visits/rows`,
    );
    expect(((await rows.json()) as Json).rows).toEqual([{ n: 42 }]);
    login.password = "wrong-token";
    await expect(psqlUrl(login.href, "SELECT 1")).rejects.toThrow(/password authentication failed/);
    await fetch(`${databases}/${String(created.id)}`, { method: "DELETE", headers });
    expect(await serversUnder(String(created.id))).toEqual([]);
    await expect(psqlUrl(endpoint.href, "SELECT 1")).rejects.toThrow(/connection refused|could not connect/i);
  });

  it("creates databases and users for real; a password change is a real one; settings show from SQL", async () => {
    const id = String(instance.id);
    await world.ok("POST", `/instances/${id}/databases`, { name: "shop" });
    const user = { name: "reader", password: "First-Passw0rd!" };
    await world.ok("POST", `/instances/${id}/users`, { ...user, is_admin: false });
    expect(await psql(instance, "SELECT current_database()", { user, database: "shop" })).toBe("shop\n");
    const changed = { ...user, password: "Second-Passw0rd!" };
    await world.ok("PATCH", `/instances/${id}/users/reader`, { password: changed.password });
    await expect(psql(instance, "SELECT 1", { user })).rejects.toThrow(/password authentication failed/);
    expect(await psql(instance, "SELECT 1", { user: changed })).toBe("1\n");
    await world.ok("POST", `/instances/${id}/settings`, {
      settings: [
        { name: "work_mem", value: "8" },
        { name: "max_connections", value: "60" },
      ],
    });
    await world.until(`/instances/${id}`, "ready");
    expect(await psql(instance, "SHOW work_mem")).toBe("8MB\n");
    expect(await psql(instance, "SHOW max_connections")).toBe("60\n");
    const databases = (await world.ok("GET", `/instances/${id}/databases`)).databases as Json[];
    expect(databases.map((database) => database.name)).toEqual(["rdb", "shop"]);
  });

  it("restarts the server on restart", async () => {
    const startTime = "SELECT pg_postmaster_start_time()";
    const before = await psql(instance, startTime);
    await world.ok("POST", `/instances/${String(instance.id)}/restart`);
    await world.until(`/instances/${String(instance.id)}`, "ready");
    expect(await psql(instance, startTime)).not.toBe(before);
  });

  it("backs up with pg_dump; the export loads with pg_restore and a restore brings the rows to another instance", async () => {
    const backup = await world.ok("POST", "/backups", {
      instance_id: instance.id,
      database_name: "rdb",
      name: "before-migration",
    });
    const ready = await world.until(`/backups/${String(backup.id)}`, "ready");
    await world.ok("POST", `/backups/${String(backup.id)}/export`);
    const exported = await world.until(`/backups/${String(backup.id)}`, "ready");
    const file = Buffer.from(await (await fetch(String(exported.download_url))).arrayBuffer());
    expect(file.subarray(0, 5).toString()).toBe("PGDMP");
    expect(ready.size).toBe(file.length);
    const dumpFile = join(scratch, "rdb.custom");
    writeFileSync(dumpFile, file);
    const target = await world.readyInstance("target");
    await pgRestoreIntoScratch(target, dumpFile);
    expect(await psql(target, "SELECT item FROM orders ORDER BY id", { database: "scratch" })).toBe(
      "book\npen\n",
    );
    await world.ok("POST", `/backups/${String(backup.id)}/restore`, {
      instance_id: target.id,
      database_name: "restored",
    });
    await world.until(`/instances/${String(target.id)}`, "ready");
    expect(await psql(target, "SELECT item FROM orders ORDER BY id", { database: "restored" })).toBe(
      "book\npen\n",
    );
  });

  it("clones the rows; a delete stops the server and removes its files", async () => {
    const clone = await world.ok("POST", `/instances/${String(instance.id)}/clone`, { name: "copy" });
    const cloned = await world.until(`/instances/${String(clone.id)}`, "ready");
    expect(await psql(cloned, "SELECT count(*) FROM orders")).toBe("2\n");
    const rows = await world.ok(
      "GET",
      `/_emulator/scaleway-rdb/instances/${String(clone.id)}/databases/rdb/tables/orders/rows`,
    );
    expect(rows.rows).toEqual([
      { id: 1, item: "book" },
      { id: 2, item: "pen" },
    ]);
    const runDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("pulumi-dbaas-pg-"));
    expect(runDirs().length).toBeGreaterThan(0);
    await world.ok("DELETE", `/instances/${String(clone.id)}`);
    await expect(world.until(`/instances/${String(clone.id)}`, "gone", 20_000)).rejects.toThrow(/404/);
    expect(await serversUnder(String(clone.id))).toEqual([]);
    const leftovers = runDirs().flatMap((run) => {
      try {
        return readdirSync(join(tmpdir(), run, "instances")).filter((name) => name === clone.id);
      } catch {
        return [];
      }
    });
    expect(leftovers).toEqual([]);
  });
  it("a major upgrade with_endpoints copies the data, and the endpoint then leads to the upgraded server", async () => {
    const id = String(instance.id);
    const versions = (await world.ok("GET", `/instances/${id}`)).upgradable_version as Json[];
    const upgraded = await world.ok("POST", `/instances/${id}/upgrade`, {
      major_upgrade_workflow: { upgradable_version_id: versions[0].id, with_endpoints: true },
    });
    await world.until(`/instances/${String(upgraded.id)}`, "ready");
    await psql(instance, "INSERT INTO orders VALUES (3, 'ink')");
    const rows = (instanceId: unknown) =>
      world.ok(
        "GET",
        `/_emulator/scaleway-rdb/instances/${String(instanceId)}/databases/rdb/tables/orders/rows`,
      );
    expect(((await rows(upgraded.id)).rows as Json[]).map((row) => row.item)).toEqual(["book", "pen", "ink"]);
    expect(((await rows(id)).rows as Json[]).map((row) => row.item)).toEqual(["book", "pen"]);
  });
});
