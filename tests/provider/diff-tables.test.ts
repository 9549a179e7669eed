// The diff tables of every resource: what updates in place, what replaces, what never diffs. Diff runs both ways:
// on up/preview it compares old outputs with the program's checked inputs; on refresh the engine compares the live
// object (olds) with the inputs stored before (news), so output-only changes and time passing must never count.
// Pure calls: diff needs no API.

import { isRenewalDue, renewalWindowMs } from "../../provider/impl/download-url";
import type { Outputs } from "../../provider/impl/resource-impl";
import { acl } from "../../provider/impl/scaleway/acl";
import { databaseBackup } from "../../provider/impl/scaleway/backup";
import { database } from "../../provider/impl/scaleway/database";
import { diffInstance } from "../../provider/impl/scaleway/instance.declaration";
import { privilege } from "../../provider/impl/scaleway/privilege";
import { readReplica } from "../../provider/impl/scaleway/read-replica";
import { backupRestore } from "../../provider/impl/scaleway/restore";
import { backupSchedule } from "../../provider/impl/scaleway/schedule";
import { snapshot } from "../../provider/impl/scaleway/snapshot";
import { user } from "../../provider/impl/scaleway/user";
import { databaseBackup as scalingoBackup } from "../../provider/impl/scalingo/backup";
import { backupSchedule as scalingoSchedule } from "../../provider/impl/scalingo/schedule";
import { backupExport } from "../../provider/impl/serverless/backup-export";

const INSTANCE = "fr-par/11111111-1111-1111-1111-111111111111";
const OTHER = "fr-par/22222222-2222-2222-2222-222222222222";
const BACKUP = "fr-par/33333333-3333-3333-3333-333333333333";
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A presigned URL as Scaleway's S3 and the emulator write them, stating its lifetime. */
const presigned = (lifetimeSeconds: number) =>
  `https://s3.example/backup.custom?X-Amz-Expires=${lifetimeSeconds}&X-Amz-Signature=abc`;

describe("scaleway.DatabaseBackup", () => {
  const olds = {
    instanceId: INSTANCE,
    databaseName: "rdb",
    name: "dump",
    expiresAt: "2031-06-01T00:00:00.000000Z",
    exported: true,
    status: "ready",
    size: 1024,
    updatedAt: iso(NOW - HOUR),
    downloadUrl: presigned(86400),
    downloadUrlExpiresAt: iso(NOW + 12 * HOUR),
  };
  const news = {
    instanceId: INSTANCE,
    databaseName: "rdb",
    name: "dump",
    expiresAt: "2031-06-01T00:00:00Z",
    exported: true,
    __appliedAt: iso(NOW),
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
  test("a backup in error is replaced", async () => {
    expect(await diff({}, { ...olds, status: "error" })).toEqual({
      changes: true,
      replaces: ["status"],
      deleteBeforeReplace: true,
    });
  });
  test("timeouts and adoptId never diff", async () => {
    expect((await diff({ timeouts: { create: "1h" }, adoptId: BACKUP })).changes).toBe(false);
  });
  test("output-only fields moving on are no change: size, updatedAt, status between ready states, the URL", async () => {
    const moved = {
      ...olds,
      size: 4096,
      updatedAt: iso(NOW),
      status: "exporting",
      instanceName: "renamed-instance",
      downloadUrl: presigned(86400).replace("abc", "def"),
      downloadUrlExpiresAt: iso(NOW + 20 * HOUR),
    };
    expect(await diff({}, moved)).toEqual({ changes: false, replaces: [] });
  });
  test("an expiry the program does not set is not managed; one it sets is compared", async () => {
    const liveExpiry = { ...olds, expiresAt: "2030-01-01T00:00:00Z" };
    const unmanaged = Object.fromEntries(Object.entries(news).filter(([key]) => key !== "expiresAt"));
    expect((await databaseBackup.diff("id", liveExpiry, unmanaged)).changes).toBe(false);
    expect((await diff({}, liveExpiry)).changes).toBe(true);
  });
  test("refresh: out-of-band renames and expiry changes are drift (live object as olds, stored inputs as news)", async () => {
    expect((await databaseBackup.diff("id", { ...olds, name: "by-hand" }, news)).changes).toBe(true);
    const expiry = { ...olds, expiresAt: "2030-01-01T00:00:00Z" };
    expect((await databaseBackup.diff("id", expiry, news)).changes).toBe(true);
  });
});

/**
 * The download URL rule the three exporting resources share, as each diff applies it: a renewal is a change only
 * for the inputs of a real `up` (they carry `__appliedAt`) by which the URL is missing or within its renewal window.
 */
describe.each<{
  resource: string;
  diff: typeof databaseBackup.diff;
  olds: Outputs;
  news: Outputs;
  windowMs: number;
}>([
  {
    resource: "scaleway.DatabaseBackup",
    diff: databaseBackup.diff,
    olds: { instanceId: INSTANCE, databaseName: "rdb", name: "dump", exported: true, status: "ready" },
    news: { instanceId: INSTANCE, databaseName: "rdb", name: "dump", exported: true },
    windowMs: HOUR,
  },
  {
    resource: "scalingo.DatabaseBackup",
    diff: scalingoBackup.diff,
    olds: { app: "shop", addonId: "ad-1", exported: true, status: "done" },
    news: { app: "shop", addonId: "ad-1", exported: true },
    windowMs: 5 * 60_000,
  },
  {
    resource: "serverless.BackupExport",
    diff: backupExport.diff,
    olds: { backupId: BACKUP, status: "ready" },
    news: { backupId: BACKUP },
    windowMs: HOUR,
  },
])("$resource download URL renewal", ({ diff, olds, news, windowMs }) => {
  const url = (expiresAtMs: number) => ({
    ...olds,
    downloadUrl: presigned(86400),
    downloadUrlExpiresAt: iso(expiresAtMs),
  });
  const changes = async (state: Outputs, inputs: Outputs) => (await diff("id", state, inputs)).changes;
  const up = (atMs: number) => ({ ...news, __appliedAt: iso(atMs) });

  test("a preview (no __appliedAt) never renews, even a URL long expired", async () => {
    expect(await changes(url(NOW - 2 * DAY), news)).toBe(false);
    expect(await changes({ ...olds, downloadUrl: null, downloadUrlExpiresAt: null }, news)).toBe(false);
  });
  test("an up renews an expired URL, and one within its renewal window", async () => {
    expect(await changes(url(NOW - 1000), up(NOW))).toBe(true);
    expect(await changes(url(NOW + windowMs), up(NOW))).toBe(true);
    expect(await changes(url(NOW + windowMs + 1000), up(NOW))).toBe(false);
  });
  test("an up renews a missing URL", async () => {
    expect(await changes({ ...olds, downloadUrl: null, downloadUrlExpiresAt: null }, up(NOW))).toBe(true);
  });
  test("refresh after expiry: the stored inputs carry the __appliedAt of the up that left a valid URL", async () => {
    const lastUp = NOW - 2 * DAY;
    const leftByThatUp = url(lastUp + DAY);
    expect(await changes(leftByThatUp, up(lastUp))).toBe(false);
  });
  test("a URL living less than twice the window is renewed in the second half of its life only", async () => {
    const lifetimeMs = 4000;
    const shortLived = (expiresAtMs: number) => ({
      ...olds,
      downloadUrl: presigned(lifetimeMs / 1000),
      downloadUrlExpiresAt: iso(expiresAtMs),
    });
    expect(await changes(shortLived(NOW + lifetimeMs), up(NOW))).toBe(false);
    expect(await changes(shortLived(NOW + lifetimeMs / 2), up(NOW))).toBe(true);
  });
});

describe("download URL renewal window", () => {
  test("one hour for Scaleway URLs, at most half the lifetime the URL states", () => {
    expect(renewalWindowMs(presigned(86400), HOUR)).toBe(HOUR);
    expect(renewalWindowMs(presigned(900), HOUR)).toBe(450_000);
    expect(renewalWindowMs("https://links.example/archive?token=opaque", HOUR)).toBe(HOUR);
    expect(renewalWindowMs("not a url", HOUR)).toBe(HOUR);
  });
  test("an opaque link with no stated expiry is kept while it is there", () => {
    const opaque = { downloadUrl: "https://links.example/archive?token=opaque", downloadUrlExpiresAt: null };
    expect(isRenewalDue(opaque, NOW, HOUR)).toBe(false);
    expect(isRenewalDue({ ...opaque, downloadUrl: null }, NOW, HOUR)).toBe(true);
  });
  test("scalingo: a link is renewed only for an exported backup", async () => {
    const expired = {
      app: "shop",
      addonId: "ad-1",
      exported: false,
      status: "done",
      downloadUrl: null,
      downloadUrlExpiresAt: null,
    };
    const inputs = { app: "shop", addonId: "ad-1", exported: false, __appliedAt: iso(NOW) };
    expect(await scalingoBackup.diff("id", expired, inputs)).toEqual({ changes: false, replaces: [] });
  });
});

describe("scaleway.DatabaseInstance", () => {
  const stored = {
    name: "db-1",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    isHaCluster: false,
    volumeType: "bssd",
    volumeSizeGb: 20,
    tags: ["a"],
    initSettings: {},
    settings: { max_connections: "200" },
    backupSameRegion: false,
    disableBackup: false,
    encryptionAtRest: false,
    logsPolicy: { maxAgeRetention: 30 },
    projectId: "44444444-4444-4444-4444-444444444444",
    region: "fr-par",
    __identity: "p/dev/scaleway:DatabaseInstance/db",
  };
  const live = {
    ...stored,
    nodeType: "db-dev-s",
    password: "Generated-pass1!",
    instanceId: "11111111-1111-1111-1111-111111111111",
    status: "ready",
    endpoint: { ip: "10.0.0.1", port: 5432 },
    endpoints: [{ ip: "10.0.0.1", port: 5432, name: null }],
    certificate: "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----",
    upgradableVersions: [],
    readReplicas: [],
    maintenances: [],
    organizationId: "44444444-4444-4444-4444-444444444444",
    createdAt: "2026-01-01T00:00:00Z",
    connectionString: "postgresql://admin:x@10.0.0.1:5432/rdb?sslmode=require",
  };

  test("refresh: output-only changes are no drift (maintenance, certificate, status, endpoints, versions)", () => {
    const later = {
      ...live,
      status: "backuping",
      maintenances: [{ status: "pending", reason: "minor upgrade" }],
      certificate: "-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----",
      endpoints: [{ ip: "10.0.0.2", port: 5432, name: null }],
      endpoint: { ip: "10.0.0.2", port: 5432 },
      upgradableVersions: [{ id: "x", name: "PostgreSQL-17", version: "17" }],
    };
    expect(diffInstance(later, stored)).toEqual({ changes: false, replaces: [], updates: [] });
  });

  test("refresh: a password the program never declared is not compared", () => {
    expect(diffInstance(live, stored).changes).toBe(false);
    expect(diffInstance(live, { ...stored, password: "Declared-pass1!" }).updates).toEqual(["password"]);
  });

  test.each([
    ["name", { name: "renamed" }],
    ["engine", { engine: "PostgreSQL-17" }],
    ["nodeType", { nodeType: "db-dev-m" }],
    ["isHaCluster", { isHaCluster: true }],
    ["volumeType", { volumeType: "sbs_5k" }],
    ["volumeSizeGb", { volumeSizeGb: 25 }],
    ["tags", { tags: ["a", "by-hand"] }],
    ["initSettings", { initSettings: { lc_collate: "C" } }],
    ["settings", { settings: { max_connections: "300" } }],
    ["backupSameRegion", { backupSameRegion: true }],
    ["encryptionAtRest", { encryptionAtRest: true }],
    ["logsPolicy", { logsPolicy: { maxAgeRetention: 7 } }],
    ["projectId", { projectId: "55555555-5555-5555-5555-555555555555" }],
    ["region", { region: "nl-ams" }],
  ])("refresh: an out-of-band change of %s is drift", (property, change) => {
    const result = diffInstance({ ...live, ...change }, stored);
    expect(result.changes).toBe(true);
    expect([...result.updates, ...result.replaces]).toEqual([property]);
  });
});

describe("scaleway.BackupSchedule", () => {
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
  test("refresh: the next run moving on is no drift; an out-of-band policy change is", async () => {
    const later = { ...olds, nextRunAt: iso(NOW + DAY) };
    expect((await backupSchedule.diff(INSTANCE, later, news)).changes).toBe(false);
    for (const change of [{ frequencyHours: 6 }, { retentionDays: 3 }, { enabled: false }]) {
      expect((await backupSchedule.diff(INSTANCE, { ...later, ...change }, news)).changes).toBe(true);
    }
  });
});

describe("scaleway.BackupRestore", () => {
  const olds = {
    backupId: BACKUP,
    instanceId: INSTANCE,
    databaseName: "rdb",
    triggers: { generation: "1" },
    restoredAt: iso(NOW),
    status: "ready",
  };
  const news = { backupId: BACKUP, instanceId: INSTANCE, triggers: { generation: "1" } };
  const diff = (change: Outputs, base: Outputs = olds) =>
    backupRestore.diff("id", base, { ...news, ...change });

  test("no change; an unset database name keeps the backup's", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
  });
  test("the target instance's status and the restore time are outputs only", async () => {
    expect(await diff({}, { ...olds, status: "backuping", restoredAt: iso(NOW + DAY) })).toEqual({
      changes: false,
      replaces: [],
    });
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

describe("scaleway.Acl", () => {
  const rules: Outputs[] = [{ ip: "1.2.3.4/32" }, { ip: "10.0.0.0/16", description: "vpn" }];
  const news = { instanceId: INSTANCE, rules };
  const olds = { ...news, region: "fr-par" };
  const diff = (change: Outputs, base: Outputs = olds) => acl.diff(INSTANCE, base, { ...news, ...change });

  test("no change; the region is an output only", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
  });
  test.each([
    ["a rule added", { rules: [...rules, { ip: "192.168.0.0/24" }] }],
    ["a rule removed", { rules: [{ ip: "1.2.3.4/32" }] }],
    ["a description", { rules: [{ ip: "1.2.3.4/32", description: "office" }, rules[1]] }],
  ])("%s updates in place", async (_what, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [] });
  });
  test("another instance replaces", async () => {
    expect(await diff({ instanceId: OTHER })).toEqual({ changes: true, replaces: ["instanceId"] });
  });
  test("timeouts never diff", async () => {
    expect((await diff({ timeouts: { update: "1h" } })).changes).toBe(false);
  });
  test("check writes rules in one order and spelling, so neither (nor an empty description) makes a diff", async () => {
    const checked = await acl.check(
      {},
      {
        instanceId: INSTANCE,
        rules: [
          { ip: "10.0.3.7/16", description: "vpn" },
          { ip: "1.2.3.4", description: "" },
        ],
      },
    );
    expect(checked.inputs?.rules).toEqual(rules);
  });
});

describe("scaleway.ReadReplica", () => {
  const NETWORK = "7e9c3a4b-1f2d-4c5e-8a9b-0c1d2e3f4a5b";
  const news = {
    instanceId: INSTANCE,
    sameZone: true,
    directAccess: true,
    privateNetwork: { privateNetworkId: NETWORK, enableIpam: true },
  };
  const olds = {
    ...news,
    readReplicaId: "33333333-3333-3333-3333-333333333333",
    status: "ready",
    region: "fr-par",
    endpoints: [{ id: "e1", kind: "directAccess", ip: "10.0.0.1", port: 5432 }],
  };
  const diff = (change: Outputs, base: Outputs = olds) =>
    readReplica.diff("id", base, { ...news, ...change });

  test("no change; status and endpoints are outputs only", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
    expect(await diff({}, { ...olds, status: "configuring", endpoints: [] })).toEqual({
      changes: false,
      replaces: [],
    });
  });
  test.each([
    ["directAccess", { directAccess: false }],
    [
      "privateNetwork (another network)",
      { privateNetwork: { privateNetworkId: OTHER.slice(7), enableIpam: true } },
    ],
    [
      "privateNetwork (a static address)",
      { privateNetwork: { privateNetworkId: NETWORK, serviceIp: "192.168.1.2/24", enableIpam: false } },
    ],
    ["privateNetwork (removed)", { privateNetwork: null }],
  ])("%s updates in place", async (_what, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [] });
  });
  test.each([
    ["instanceId", { instanceId: OTHER }],
    ["sameZone", { sameZone: false }],
  ])("%s replaces", async (property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [property] });
  });
  test("adoptId and timeouts never diff", async () => {
    expect((await diff({ adoptId: BACKUP, timeouts: { create: "1h" } })).changes).toBe(false);
  });
  test("check: a region-qualified network is stored bare; IPAM is the default without a static address", async () => {
    const checked = await readReplica.check(
      {},
      { instanceId: INSTANCE, privateNetwork: { privateNetworkId: `fr-par/${NETWORK}` } },
    );
    expect(checked.inputs).toMatchObject({
      directAccess: false,
      privateNetwork: { privateNetworkId: NETWORK, enableIpam: true },
    });
  });
});

describe("scaleway.Snapshot", () => {
  const news = { instanceId: INSTANCE, name: "nightly", expiresAt: "2031-06-01T00:00:00Z" };
  const olds = {
    ...news,
    expiresAt: "2031-06-01T00:00:00.000000Z",
    snapshotId: "33333333-3333-3333-3333-333333333333",
    status: "ready",
    size: 1024,
    updatedAt: iso(NOW - HOUR),
  };
  const diff = (change: Outputs, base: Outputs = olds) => snapshot.diff("id", base, { ...news, ...change });

  test("no change, even when the API respelled the expiry date or the size moved on", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [] });
    expect(await diff({}, { ...olds, size: 4096, updatedAt: iso(NOW) })).toEqual({
      changes: false,
      replaces: [],
    });
  });
  test.each([
    ["name", { name: "other" }],
    ["expiresAt", { expiresAt: "2032-01-01T00:00:00Z" }],
  ])("%s updates in place", async (_property, change) => {
    expect(await diff(change)).toEqual({ changes: true, replaces: [] });
  });
  test("another instance replaces, deleting the old snapshot first; so does a snapshot in error", async () => {
    expect(await diff({ instanceId: OTHER })).toEqual({
      changes: true,
      replaces: ["instanceId"],
      deleteBeforeReplace: true,
    });
    expect(await diff({}, { ...olds, status: "error" })).toEqual({
      changes: true,
      replaces: ["status"],
      deleteBeforeReplace: true,
    });
  });
  test("an expiry the program does not set is not managed", async () => {
    const { expiresAt: _unset, ...unmanaged } = news;
    expect(
      (await snapshot.diff("id", { ...olds, expiresAt: "2027-01-01T00:00:00Z" }, unmanaged)).changes,
    ).toBe(false);
  });
});

describe("scaleway.Database, scaleway.User and scaleway.Privilege", () => {
  const databaseOlds = {
    instanceId: INSTANCE,
    name: "app",
    owner: "_rdb_superadmin",
    managed: true,
    size: 10,
  };
  const databaseNews = { instanceId: INSTANCE, name: "app" };
  const userOlds = { instanceId: INSTANCE, name: "writer", isAdmin: false, password: "Generated-pass1!" };
  const userNews = { instanceId: INSTANCE, name: "writer", isAdmin: false };
  const privilegeOlds = {
    instanceId: INSTANCE,
    databaseName: "app",
    userName: "writer",
    permission: "readwrite",
  };

  test("no change; a database's size and owner are outputs only", async () => {
    const grown = { ...databaseOlds, size: 4096, owner: "app_owner" };
    expect(await database.diff("id", grown, databaseNews)).toEqual({ changes: false, replaces: [] });
    expect(await user.diff("id", userOlds, userNews)).toEqual({ changes: false, replaces: [] });
    expect(await privilege.diff("id", privilegeOlds, privilegeOlds)).toEqual({
      changes: false,
      replaces: [],
    });
  });
  test.each([
    ["instanceId", { instanceId: OTHER }],
    ["name", { name: "app2" }],
  ])("a database's %s replaces", async (property, change) => {
    expect(await database.diff("id", databaseOlds, { ...databaseNews, ...change })).toEqual({
      changes: true,
      replaces: [property],
    });
  });
  test.each([
    ["instanceId", { instanceId: OTHER }],
    ["name", { name: "reader" }],
  ])("a user's %s replaces", async (property, change) => {
    expect((await user.diff("id", userOlds, { ...userNews, ...change })).replaces).toEqual([property]);
  });
  test.each([
    ["isAdmin", { isAdmin: true }],
    ["password", { password: "Declared-pass1!" }],
  ])("a user's %s updates in place", async (_property, change) => {
    expect(await user.diff("id", userOlds, { ...userNews, ...change })).toEqual({
      changes: true,
      replaces: [],
    });
  });
  test("a user's password the program never declared is not compared; adoptId never diffs", async () => {
    const adopted = { ...userNews, adoptId: `${INSTANCE}/writer` };
    expect((await user.diff("id", { ...userOlds, password: "Other-pass1!" }, adopted)).changes).toBe(false);
  });
  test.each([
    ["instanceId", { instanceId: OTHER }],
    ["databaseName", { databaseName: "app2" }],
    ["userName", { userName: "reader" }],
  ])("a privilege's %s replaces", async (property, change) => {
    expect((await privilege.diff("id", privilegeOlds, { ...privilegeOlds, ...change })).replaces).toEqual([
      property,
    ]);
  });
  test("a privilege's permission updates in place, and one changed out of band is drift on refresh", async () => {
    expect(await privilege.diff("id", privilegeOlds, { ...privilegeOlds, permission: "all" })).toEqual({
      changes: true,
      replaces: [],
    });
    const live = { ...privilegeOlds, permission: "none" };
    expect(await privilege.diff("id", live, privilegeOlds)).toEqual({ changes: true, replaces: [] });
  });
});

describe("scalingo.DatabaseBackup and scalingo.BackupSchedule", () => {
  test("backup: size, status between done states and timestamps are outputs only", async () => {
    const olds = { app: "shop", addonId: "ad-1", exported: false, status: "done", size: 10, startedAt: null };
    const later = { ...olds, size: 20, startedAt: iso(NOW) };
    expect(await scalingoBackup.diff("id", later, { app: "shop", addonId: "ad-1", exported: false })).toEqual(
      {
        changes: false,
        replaces: [],
      },
    );
  });
  test("schedule refresh: scheduled hours moving with the managed hour are drift; an unmanaged hour is not", async () => {
    const stored = { app: "shop", addonId: "ad-1", enabled: true, hour: 3 };
    const live = { ...stored, scheduledHours: [3] };
    expect((await scalingoSchedule.diff("id", live, stored)).changes).toBe(false);
    expect((await scalingoSchedule.diff("id", { ...live, enabled: false }, stored)).changes).toBe(true);
    expect(
      (await scalingoSchedule.diff("id", { ...live, hour: 7, scheduledHours: [7] }, stored)).changes,
    ).toBe(true);
    const unmanagedHour = { app: "shop", addonId: "ad-1", enabled: true };
    expect((await scalingoSchedule.diff("id", { ...live, hour: 7 }, unmanagedHour)).changes).toBe(false);
  });
});
