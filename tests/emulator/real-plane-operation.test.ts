// Running the real data plane: MySQL instances stay simulated, --data-dir brings servers and rows back after a
// restart, the cap on running servers stops idle ones and starts them again on demand, stop leaves no server, and a
// killed emulator's servers are stopped by the next one.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scalingoEnvironment } from "../../emulator/scalingo";
import { describeWithPostgres, PROJECT, psql, RealEmulator, serversUnder } from "./real-plane-helpers";

jest.setTimeout(90_000);

describeWithPostgres("operating the real data plane", () => {
  const scratch = mkdtempSync(join(tmpdir(), "real-plane-operation-"));

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("keeps MySQL instances simulated", async () => {
    const world = await RealEmulator.start();
    try {
      const created = await world.ok("POST", "/instances", {
        project_id: PROJECT,
        name: "mysql",
        engine: "MySQL-8",
        node_type: "DB-DEV-S",
        encryption: { enabled: false },
      });
      await world.until(`/instances/${String(created.id)}`, "ready");
      const rows = `/_emulator/scaleway-rdb/instances/${String(created.id)}/databases/rdb/tables/t/rows`;
      await world.ok("POST", rows, { rows: [{ id: 1 }] });
      expect((await world.ok("GET", rows)).rows).toEqual([{ id: 1 }]);
      expect(await serversUnder(String(created.id))).toEqual([]);
    } finally {
      await world.stop();
    }
  });

  it("brings servers, rows and backups back after a restart with --data-dir, with no archive or password in state.json", async () => {
    const dataDir = join(scratch, "state");
    const first = await RealEmulator.start({ dataDir });
    const instance = await first.readyInstance("kept");
    await psql(
      instance,
      "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept across restarts');",
    );
    const backup = await first.ok("POST", "/backups", {
      instance_id: instance.id,
      database_name: "rdb",
      name: "kept",
    });
    const created = await fetch(`${first.emulator.url}/_emulator/scalingo/databases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app: "shop", addon_id: "ad-kept" }),
    });
    expect(created.status).toBe(201);
    const url = await scalingoPostgresUrl(first);
    await first.stop();
    expect(await serversUnder(dataDir)).toEqual([]);
    const state = readFileSync(join(dataDir, "state.json"), "utf8");
    expect(state).not.toContain(decodeURIComponent(url.password));
    expect(state).not.toContain(Buffer.from("PGDMP").toString("base64").slice(0, 6));
    const files = readdirSync(join(dataDir, "files"));
    expect(files).toEqual(
      expect.arrayContaining([`rdb-backup-${String(backup.id)}.custom`, "scalingo-addon-ad-kept.password"]),
    );
    for (const file of files) expect(statSync(join(dataDir, "files", file)).mode & 0o777).toBe(0o600);

    const second = await RealEmulator.start({ dataDir });
    try {
      const again = await second.until(`/instances/${String(instance.id)}`, "ready");
      expect(again.endpoint).toEqual(instance.endpoint);
      expect(await psql(again, "SELECT body FROM notes")).toBe("kept across restarts\n");
      expect((await scalingoPostgresUrl(second)).href).toBe(url.href);
      await psql(again, "DELETE FROM notes");
      await second.ok("POST", `/backups/${String(backup.id)}/restore`, {
        instance_id: instance.id,
        database_name: "rdb",
      });
      await second.until(`/instances/${String(instance.id)}`, "ready");
      expect(await psql(again, "SELECT body FROM notes")).toBe("kept across restarts\n");
      await second.ok("DELETE", `/backups/${String(backup.id)}`);
      await second.ok("POST", "/_emulator/reset");
    } finally {
      await second.stop();
    }
    expect(await serversUnder(dataDir)).toEqual([]);
    expect(readdirSync(join(dataDir, "files"))).toEqual([]);
  });

  it("stops the least recently used idle server at the cap and starts it again on demand", async () => {
    const world = await RealEmulator.start({ maxServers: 1 });
    try {
      const one = await world.readyInstance("one");
      const two = await world.readyInstance("two");
      expect(await serversUnder(String(one.id))).toEqual([]);
      await psql(one, "CREATE TABLE t (n int); INSERT INTO t VALUES (1);");
      expect(await serversUnder(String(two.id))).toEqual([]);
      expect(await psql(two, "SELECT 2")).toBe("2\n");
      expect(await psql(one, "SELECT n FROM t")).toBe("1\n");
    } finally {
      await world.stop();
    }
  });
});

/** The app's SCALINGO_POSTGRESQL_URL, read as a client would (token exchange, then the app's variables). */
async function scalingoPostgresUrl(world: RealEmulator): Promise<URL> {
  const env = Object.fromEntries(scalingoEnvironment(world.emulator.url, {}));
  const basic = Buffer.from(`:${env.SCALINGO_API_TOKEN}`).toString("base64");
  const exchange = await fetch(`${env.SCALINGO_AUTH_URL}/v1/tokens/exchange`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}` },
  });
  const { token } = (await exchange.json()) as { token: string };
  const answer = await fetch(`${env.SCALINGO_API_URL}/v1/apps/shop/variables`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { variables } = (await answer.json()) as { variables: Array<{ name: string; value: string }> };
  return new URL(String(variables.find((variable) => variable.name === "SCALINGO_POSTGRESQL_URL")?.value));
}

/** Starts `pulumi-dbaas emulator` (dist/) as a process of its own, which the test can kill; answers its URL. */
async function emulatorProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(__dirname, "..", "..", "bin", "pulumi-dbaas.js");
  const child = spawn(process.execPath, [
    bin,
    "emulator",
    "--data-plane",
    "real",
    "--profile",
    "instant",
    ...args,
  ]);
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, url };
}

describeWithPostgres("the cap on running servers, reached by busy servers", () => {
  it("fails the operation that needs another server, and the emulator says why", async () => {
    const notices: string[] = [];
    const world = await RealEmulator.start({ maxServers: 1, log: (line) => notices.push(line) });
    let holding: Promise<unknown> = Promise.resolve();
    try {
      const busy = await world.readyInstance("busy");
      // A session that outlasts the test (stop() cuts it): the only running server stays busy throughout.
      holding = psql(busy, "SELECT pg_sleep(60)").catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const created = await world.ok("POST", "/instances", {
        project_id: PROJECT,
        name: "no-room",
        engine: "PostgreSQL-15",
        node_type: "DB-DEV-S",
        encryption: { enabled: false },
      });
      await world.until(`/instances/${String(created.id)}`, "error");
      expect(notices.join("\n")).toContain("all 1 running servers are busy (raise --max-servers)");
    } finally {
      await world.stop();
      await holding;
    }
  });
});

describeWithPostgres("a killed emulator", () => {
  const scratch = mkdtempSync(join(tmpdir(), "real-plane-killed-"));

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ["with --data-dir", true],
    ["without it", false],
  ])("leaves no server running past the next start (%s)", async (_label, withDataDir) => {
    const dataDir = join(scratch, withDataDir ? "kept" : "unused");
    const { child, url } = await emulatorProcess(withDataDir ? ["--data-dir", dataDir] : []);
    const killed = new RealEmulator({
      url,
      stop: async () => undefined,
      requests: () => [],
      detailedRequests: () => [],
    });
    const instance = await killed.readyInstance("orphan");
    await psql(instance, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7);");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await serversUnder(String(instance.id))).toHaveLength(1);
    const next = await RealEmulator.start(withDataDir ? { dataDir } : {});
    try {
      expect(await serversUnder(String(instance.id))).toEqual([]);
      if (withDataDir) {
        const again = await next.until(`/instances/${String(instance.id)}`, "ready");
        expect(await psql(again, "SELECT n FROM kept")).toBe("7\n");
      }
    } finally {
      await next.stop();
    }
  });
});
