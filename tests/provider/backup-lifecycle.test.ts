// DatabaseBackup, BackupSchedule and BackupRestore through the whole lifecycle against the emulator.
import { INSTANCE, opsOf, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(120_000);

const suite = useEmulatorAndProgram();

test("a backup: create, export with a secret URL, rename in place, new database replaces, delete", async () => {
  const backup = (args: Record<string, unknown>) => ({
    type: "scaleway.DatabaseBackup",
    name: "dump",
    args: { instanceId: { ref: "db" }, expiresAt: "2031-06-01T00:00:00Z", ...args },
  });
  suite.program.declare([INSTANCE, backup({})], { url: { ref: "dump", output: "downloadUrl" } });
  const created = await suite.program.ok("up");
  expect(opsOf(created)).toEqual({ db: "create", dump: "create" });
  const id = suite.program.resource("dump").id!;
  expect(suite.program.resource("dump").outputs).toMatchObject({
    status: "ready",
    databaseName: "rdb",
    exported: false,
  });
  expect(created.outputs.url).toBeNull();
  await suite.program.ok("preview", { expectNoChanges: true });

  suite.program.declare([INSTANCE, backup({ name: "renamed", exported: true })], {
    url: { ref: "dump", output: "downloadUrl" },
  });
  const exported = await suite.program.ok("up");
  expect(opsOf(exported)).toEqual({ db: "same", dump: "update" });
  expect(suite.program.resource("dump").id).toBe(id);
  expect(exported.secretOutputs).toContain("url");
  const url = String(exported.outputs.url);
  const file = await fetch(url);
  expect(file.status).toBe(200);
  expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
  expect(suite.program.printed()).not.toContain(new URL(url).search.slice(1));
  const live = await suite.emulator
    .api()
    .getDatabaseBackup({ region: "fr-par", databaseBackupId: uuidOf(id) });
  expect(live.name).toBe("renamed");
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("preview", { expectNoChanges: true });

  await suite.emulator
    .api()
    .createDatabase({ region: "fr-par", instanceId: uuidOf(suite.program.resource("db").id!), name: "app" });
  suite.program.declare([INSTANCE, backup({ name: "renamed", exported: true, databaseName: "app" })]);
  const replaced = await suite.program.ok("up");
  expect(opsOf(replaced)).toEqual({ db: "same", dump: "replace" });
  await expect(
    suite.emulator.api().getDatabaseBackup({ region: "fr-par", databaseBackupId: uuidOf(id) }),
  ).rejects.toThrow(/not found/);

  await suite.program.ok("destroy");
  expect(await suite.emulator.api().listAllDatabaseBackups({ region: "fr-par" })).toEqual([]);
});

test("a backup deleted out of band leaves state on refresh and is made again by up", async () => {
  suite.program.declare([
    INSTANCE,
    { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" } } },
  ]);
  await suite.program.ok("up");
  const id = uuidOf(suite.program.resource("dump").id!);
  await suite.emulator.api().deleteDatabaseBackup({ region: "fr-par", databaseBackupId: id });
  await suite.program.ok("refresh");
  expect(suite.program.state().resources.map((r) => r.urn.split("::").pop())).not.toContain("dump");
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "same", dump: "create" });
  await suite.program.ok("destroy");
});

test("a backup schedule: applied to the instance, drift seen and fixed, defaults restored on delete", async () => {
  const schedule = (args: Record<string, unknown>) => ({
    type: "scaleway.BackupSchedule",
    name: "policy",
    args: { instanceId: { ref: "db" }, ...args },
  });
  suite.program.declare([INSTANCE, schedule({ frequencyHours: 12, retentionDays: 14, startHour: 3 })]);
  await suite.program.ok("up");
  const instanceId = uuidOf(suite.program.resource("db").id!);
  expect(suite.program.resource("policy").id).toBe(suite.program.resource("db").id);
  const api = suite.emulator.api();
  const applied = await api.getInstance({ region: "fr-par", instanceId });
  expect(applied.backupSchedule).toMatchObject({ frequency: 12, retention: 14, disabled: false });
  await suite.program.ok("preview", { expectNoChanges: true });

  await api.updateInstance({
    region: "fr-par",
    instanceId,
    backupScheduleRetention: 3,
    isBackupScheduleDisabled: true,
  });
  expect((await suite.program.run("refresh", { expectNoChanges: true })).ok).toBe(false);
  expect(suite.program.resource("policy").inputs).toMatchObject({ retentionDays: 3, enabled: false });
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "same", policy: "update" });
  expect((await api.getInstance({ region: "fr-par", instanceId })).backupSchedule).toMatchObject({
    retention: 14,
    disabled: false,
  });
  await suite.program.ok("refresh", { expectNoChanges: true });

  suite.program.declare([
    INSTANCE,
    schedule({ frequencyHours: 6, retentionDays: 14, startHour: 3, enabled: false }),
  ]);
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "same", policy: "update" });
  expect((await api.getInstance({ region: "fr-par", instanceId })).backupSchedule).toMatchObject({
    frequency: 6,
    disabled: true,
  });

  suite.program.declare([INSTANCE]);
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "same", policy: "delete" });
  expect((await api.getInstance({ region: "fr-par", instanceId })).backupSchedule).toMatchObject({
    frequency: 24,
    retention: 7,
    disabled: false,
  });
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("a restore copies the backup's data into another instance and runs again when its triggers change", async () => {
  const target = { type: "scaleway.DatabaseInstance", name: "target", args: INSTANCE.args };
  const restore = (generation: string) => ({
    type: "scaleway.BackupRestore",
    name: "restore",
    args: { backupId: { ref: "dump" }, instanceId: { ref: "target" }, triggers: { generation } },
  });
  const dump = { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" } } };

  suite.program.declare([INSTANCE, target]);
  await suite.program.ok("up");
  const sourceId = uuidOf(suite.program.resource("db").id!);
  const targetId = uuidOf(suite.program.resource("target").id!);
  await suite.emulator.rows(sourceId, "rdb", "orders", [{ id: 1, item: "book" }]);

  suite.program.declare([INSTANCE, target, dump, restore("1")]);
  await suite.program.ok("up");
  expect(await suite.emulator.rows(targetId, "rdb", "orders")).toEqual([{ id: 1, item: "book" }]);
  const restores = () => suite.emulator.mutatingRequests().filter((r) => r.path.endsWith("/restore")).length;
  expect(restores()).toBe(1);
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("refresh", { expectNoChanges: true });

  suite.program.declare([INSTANCE, target, dump, restore("2")]);
  expect(opsOf(await suite.program.ok("up"))).toMatchObject({ restore: "replace" });
  expect(restores()).toBe(2);

  await suite.program.ok("destroy");
  expect(restores()).toBe(2);
});
