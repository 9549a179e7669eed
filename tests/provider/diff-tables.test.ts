// The diff tables of DatabaseBackup, BackupSchedule and BackupRestore: what updates in place, what replaces, and
// what never diffs. Pure calls: diff needs no API.
import type { Outputs } from "../../provider/impl/resource-impl";
import { databaseBackup } from "../../provider/impl/scaleway/backup";
import { backupRestore } from "../../provider/impl/scaleway/restore";
import { backupSchedule } from "../../provider/impl/scaleway/schedule";

const INSTANCE = "fr-par/11111111-1111-1111-1111-111111111111";
const OTHER = "fr-par/22222222-2222-2222-2222-222222222222";
const BACKUP = "fr-par/33333333-3333-3333-3333-333333333333";
const future = new Date(Date.now() + 86_400_000).toISOString();

describe("DatabaseBackup", () => {
  const olds = {
    instanceId: INSTANCE,
    databaseName: "rdb",
    name: "dump",
    expiresAt: "2031-06-01T00:00:00.000000Z",
    exported: true,
    status: "ready",
    downloadUrlExpiresAt: future,
  };
  const news = {
    instanceId: INSTANCE,
    databaseName: "rdb",
    name: "dump",
    expiresAt: "2031-06-01T00:00:00Z",
    exported: true,
  };
  const diff = (change: Outputs, base: Outputs = olds) =>
    databaseBackup.diff("id", base, { ...news, ...change });

  test("no change, even when the API respelled the expiry date", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
  });
  test.each([
    ["name", { name: "other" }],
    ["expiresAt", { expiresAt: "2032-01-01T00:00:00Z" }],
    ["exported", { exported: false }],
  ])("%s updates in place", async (_property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [] });
  });
  test.each([
    ["instanceId", { instanceId: OTHER }],
    ["databaseName", { databaseName: "app" }],
  ])("%s replaces, deleting the old backup first", async (property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [property], deleteBeforeReplace: true });
  });
  test("an expired download URL is a change (renewed by the next up); a backup in error is replaced", async () => {
    expect(await diff({}, { ...olds, downloadUrlExpiresAt: "2020-01-01T00:00:00Z" })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(await diff({}, { ...olds, status: "error" })).toEqual({
      changes: true,
      replaces: ["status"],
      deleteBeforeReplace: true,
    });
  });
  test("timeouts and adoptId never diff", async () => {
    expect((await diff({ timeouts: { create: "1h" }, adoptId: BACKUP })).changes).toBe(false);
  });
});

describe("BackupSchedule", () => {
  const olds = {
    instanceId: INSTANCE,
    frequencyHours: 24,
    retentionDays: 7,
    enabled: true,
    startHour: null,
    nextRunAt: null,
  };
  const news = { instanceId: INSTANCE, frequencyHours: 24, retentionDays: 7, enabled: true };
  const diff = (change: Outputs) => backupSchedule.diff(INSTANCE, olds, { ...news, ...change });

  test("no change", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
  });
  test.each([
    ["frequencyHours", { frequencyHours: 12 }],
    ["retentionDays", { retentionDays: 30 }],
    ["enabled", { enabled: false }],
    ["startHour", { startHour: 3 }],
    ["sameRegion", { sameRegion: true }],
  ])("%s updates in place", async (_property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [] });
  });
  test("another instance replaces", async () => {
    expect((await diff({ instanceId: OTHER })).replaces).toEqual(["instanceId"]);
  });
});

describe("BackupRestore", () => {
  const olds = {
    backupId: BACKUP,
    instanceId: INSTANCE,
    databaseName: "rdb",
    triggers: { generation: "1" },
    restoredAt: future,
  };
  const news = { backupId: BACKUP, instanceId: INSTANCE, triggers: { generation: "1" } };
  const diff = (change: Outputs) => backupRestore.diff("id", olds, { ...news, ...change });

  test("no change; an unset database name keeps the backup's", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
  });
  test.each([
    ["backupId", { backupId: "fr-par/44444444-4444-4444-4444-444444444444" }],
    ["instanceId", { instanceId: OTHER }],
    ["databaseName", { databaseName: "app" }],
    ["triggers", { triggers: { generation: "2" } }],
  ])("a new %s restores again (replace)", async (property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [property] });
  });
});
