// Running the real data plane: MySQL instances stay simulated, --data-dir brings servers and rows back after a
// restart, the cap on running servers stops idle ones and starts them again on demand, stop leaves no server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  it("brings servers and rows back after a restart with --data-dir, and stop leaves no server running", async () => {
    const dataDir = join(scratch, "state");
    const first = await RealEmulator.start({ dataDir });
    const instance = await first.readyInstance("kept");
    await psql(
      instance,
      "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept across restarts');",
    );
    await first.stop();
    expect(await serversUnder(dataDir)).toEqual([]);
    const second = await RealEmulator.start({ dataDir });
    try {
      const again = await second.until(`/instances/${String(instance.id)}`, "ready");
      expect(again.endpoint).toEqual(instance.endpoint);
      expect(await psql(again, "SELECT body FROM notes")).toBe("kept across restarts\n");
    } finally {
      await second.stop();
    }
    expect(await serversUnder(dataDir)).toEqual([]);
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
