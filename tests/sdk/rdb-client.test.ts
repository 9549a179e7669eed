// The RDB and Serverless SQL clients against the project's emulator: a whole backup lifecycle, and faults injected
// through /_emulator/faults. Emulator and waiters share one virtual clock, so the lifecycle takes no real time.
import { get } from "node:http";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { NetworkError } from "../../sdk/core/errors";
import { TokenBucket } from "../../sdk/core/rate-limiter";
import type { WaitSettings } from "../../sdk/core/waiter";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { ServerlessSqlApi } from "../../sdk/scaleway/serverless-sqldb/v1alpha1/api";
import { apiError } from "../faults";
import { smallInstanceRequest } from "./helpers";

const PROJECT_ID = "105bdce1-64c0-48ab-899d-868455867ecf";

let emulator: RunningEmulator;
const clock = { now: Date.parse("2026-03-01T10:00:00Z") };
const virtualWait: WaitSettings = {
  now: () => clock.now,
  sleep: async (ms) => {
    clock.now += ms;
  },
};
const logLines: string[] = [];

function clientOptions() {
  return {
    apiUrl: emulator.url,
    secretKey: "scw-emulator-secret-key",
    defaultProjectId: PROJECT_ID,
    rateLimit: new TokenBucket({ ratePerSecond: 1000, burst: 1000 }),
    retry: { baseDelayMs: 1 },
    log: (line: string) => logLines.push(line),
    env: {},
  };
}

const rdb = () => new RdbApi(clientOptions(), { settleWait: virtualWait });

async function control(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.status === 204 ? undefined : response.json();
}

function download(url: string): Promise<{ status: number; size: number }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, size }));
    }).on("error", reject);
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ profile: "fast", dataPlane: "simulated", now: () => clock.now });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await control("reset", {});
});

it("runs the instance actions: metrics, certificate, restart, logs, upgrade and clone", async () => {
  const api = rdb();
  const created = await api.createInstance({
    name: "sdk-actions",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    password: "thiZ_is_v&ry_s3cret",
  });
  const instanceId = created.id;
  await api.waitForInstance({ instanceId }, virtualWait);

  const metrics = await api.getInstanceMetrics({ instanceId });
  expect(metrics.timeseries.length).toBeGreaterThan(0);
  expect(typeof metrics.timeseries[0].points[0][1]).toBe("number");

  const certificate = await api.getInstanceCertificate({ instanceId });
  expect(Buffer.from(certificate.content, "base64").toString()).toContain("BEGIN CERTIFICATE");
  await api.renewInstanceCertificate({ instanceId });
  await api.waitForInstance({ instanceId }, virtualWait);

  const restarting = await api.restartInstance({ instanceId });
  expect(restarting.status).toBe("restarting");
  expect((await api.waitForInstance({ instanceId }, virtualWait)).status).toBe("ready");

  const prepared = await api.prepareInstanceLogs({ instanceId });
  expect(prepared.instanceLogs.length).toBeGreaterThan(0);
  const log = await api.waitForInstanceLog({ instanceLogId: prepared.instanceLogs[0].id }, virtualWait);
  expect(log.status).toBe("ready");
  expect((await api.listInstanceLogs({ instanceId })).instanceLogs.map((l) => l.id)).toContain(log.id);
  expect((await api.listInstanceLogsDetails({ instanceId })).details.length).toBeGreaterThan(0);
  await api.purgeInstanceLogs({ instanceId });

  const upgrading = await api.upgradeInstance({ instanceId, nodeType: "db-dev-m" });
  expect(upgrading.status).toBe("initializing");
  expect((await api.waitForInstance({ instanceId }, virtualWait)).nodeType).toBe("db-dev-m");

  const clone = await api.cloneInstance({ instanceId, name: "sdk-actions-clone" });
  expect(clone.id).not.toBe(instanceId);
  expect((await api.waitForInstance({ instanceId: clone.id }, virtualWait)).status).toBe("ready");
});

it("creates an instance, backs it up, exports, restores and deletes everything", async () => {
  const api = rdb();
  const created = await api.createInstance(smallInstanceRequest("sdk-lifecycle"));
  expect(created.status).toBe("provisioning");
  expect(created.nodeType).toBe("db-dev-s");

  const statuses: string[] = [];
  const ready = await api.waitForInstance(
    { instanceId: created.id },
    { ...virtualWait, onProgress: (p) => p.changed && statuses.push(p.status) },
  );
  expect(ready.status).toBe("ready");
  expect(statuses[0]).toBe("provisioning");
  expect(statuses.at(-1)).toBe("ready");
  expect(ready.endpoints.length).toBeGreaterThan(0);

  await api.createDatabase({ instanceId: created.id, name: "app" });
  const backup = await api.createDatabaseBackup({
    instanceId: created.id,
    databaseName: "app",
    name: "nightly",
  });
  expect(backup.status).toBe("creating");
  const backedUp = await api.waitForDatabaseBackup({ databaseBackupId: backup.id }, virtualWait);
  expect(backedUp.status).toBe("ready");
  expect(backedUp.downloadUrl).toBeNull();

  const exporting = await api.exportDatabaseBackup({ databaseBackupId: backup.id });
  expect(exporting.status).toBe("exporting");
  const exported = await api.waitForDatabaseBackup({ databaseBackupId: backup.id }, virtualWait);
  expect(exported.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\?/);
  const file = await download(exported.downloadUrl!);
  expect(file.status).toBe(200);
  expect(file.size).toBeGreaterThan(0);

  const restoring = await api.restoreDatabaseBackup({
    databaseBackupId: backup.id,
    instanceId: created.id,
    databaseName: "app_restored",
  });
  expect(restoring.status).toBe("restoring");
  await api.waitForInstance({ instanceId: created.id }, virtualWait);
  const restoredBackup = await api.waitForDatabaseBackup({ databaseBackupId: backup.id }, virtualWait);
  expect(restoredBackup.status).toBe("ready");
  const databases = await api.listAllDatabases({ instanceId: created.id });
  expect(databases.map((d) => d.name)).toEqual(expect.arrayContaining(["app", "app_restored"]));

  const listed = await api.listAllDatabaseBackups({ instanceId: created.id });
  expect(listed.map((b) => b.id)).toEqual([backup.id]);

  await api.deleteDatabaseBackup({ databaseBackupId: backup.id });
  await api.waitForDatabaseBackupDeletion({ databaseBackupId: backup.id }, virtualWait);
  const deleting = await api.deleteInstance({ instanceId: created.id });
  expect(deleting.status).toBe("deleting");
  await api.waitForInstanceDeletion({ instanceId: created.id }, virtualWait);
  await expect(api.getInstance({ instanceId: created.id })).rejects.toMatchObject({ status: 404 });

  // Neither the password nor the presigned signature reached the log.
  expect(logLines.join("\n")).not.toContain("thiZ_is_v&ry_s3cret");
  expect(logLines.join("\n")).not.toContain(exported.downloadUrl!.split("?")[1]);
});

it("sets ACL rules and privileges, adds and removes endpoints", async () => {
  const api = rdb();
  const privateNetworkId = "15f6e40b-c1d2-4089-bb55-f43c941b3cb0";
  const created = await api.createInstance({
    name: "sdk-network",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    password: "thiZ_is_v&ry_s3cret",
    initEndpoints: [{ privateNetwork: { privateNetworkId, ipamConfig: {} } }],
  });
  const instanceId = created.id;
  expect(created.endpoints[0].privateNetwork?.provisioningMode).toBe("ipam");
  await api.waitForInstance({ instanceId }, virtualWait);

  const set = await api.setInstanceAclRules({
    instanceId,
    rules: [{ ip: "1.2.3.4/32", description: "office" }],
  });
  expect(set.rules).toEqual([
    expect.objectContaining({ ip: "1.2.3.4/32", description: "office", action: "allow" }),
  ]);
  expect((await api.getInstance({ instanceId })).status).toBe("configuring");
  await api.addInstanceAclRules({ instanceId, rules: [{ ip: "9.0.0.0/16" }] });
  expect((await api.listAllInstanceAclRules({ instanceId })).map((rule) => rule.ip)).toEqual([
    "1.2.3.4/32",
    "9.0.0.0/16",
  ]);
  const removed = await api.deleteInstanceAclRules({ instanceId, aclRuleIps: ["1.2.3.4/32"] });
  expect(removed.rules.map((rule) => rule.ip)).toEqual(["1.2.3.4/32"]);
  await expect(api.setInstanceAclRules({ instanceId, rules: [{ ip: "1.2.3.4" }] })).rejects.toThrow(/CIDR/);

  await api.createDatabase({ instanceId, name: "app" });
  await api.createUser({ instanceId, name: "reader", password: "R34lP4sSw#Rd" });
  const privilege = await api.setPrivilege({
    instanceId,
    databaseName: "app",
    userName: "reader",
    permission: "readonly",
  });
  expect(privilege.permission).toBe("readonly");
  const privileges = await api.listAllPrivileges({ instanceId, databaseName: "app" });
  expect(privileges).toContainEqual({ databaseName: "app", userName: "reader", permission: "readonly" });
  expect(privileges).toContainEqual({ databaseName: "app", userName: "admin", permission: "none" });

  const pending = await api.createEndpoint({ instanceId, endpointSpec: { loadBalancer: {} } });
  expect(pending.id).toBe("");
  const withPublic = await api.waitForInstance({ instanceId }, virtualWait);
  const publicEndpoint = withPublic.endpoints.find((endpoint) => endpoint.loadBalancer);
  expect(withPublic.endpoint?.id).toBe(publicEndpoint?.id);
  const privateEndpoint = withPublic.endpoints.find((endpoint) => endpoint.privateNetwork);
  expect((await api.getEndpoint({ endpointId: String(privateEndpoint?.id) })).ip).toMatch(/^172\./);
  await api.deleteEndpoint({ endpointId: String(privateEndpoint?.id) });
  const after = await api.waitForInstance({ instanceId }, virtualWait);
  expect(after.endpoints.map((endpoint) => endpoint.id)).toEqual([publicEndpoint?.id]);
});

it("creates, resets and promotes a read replica; snapshots an instance and makes an instance from the snapshot", async () => {
  const api = rdb();
  const primary = await api.createInstance({
    name: "sdk-primary",
    engine: "PostgreSQL-15",
    nodeType: "db-dev-s",
    volumeType: "sbs_5k",
    volumeSize: 10_000_000_000,
  });
  const instanceId = primary.id;
  await api.waitForInstance({ instanceId }, virtualWait);

  const replica = await api.createReadReplica({
    instanceId,
    endpointSpec: [{ directAccess: {} }],
    sameZone: true,
  });
  expect(replica.status).toBe("provisioning");
  const readReplicaId = replica.id;
  const ready = await api.waitForReadReplica({ readReplicaId }, virtualWait);
  expect(ready.endpoints[0].directAccess).toEqual({});
  expect((await api.getInstance({ instanceId })).readReplicas.map((listed) => listed.id)).toEqual([
    readReplicaId,
  ]);
  expect((await api.resetReadReplica({ readReplicaId })).status).toBe("initializing");
  await api.waitForReadReplica({ readReplicaId }, virtualWait);
  const promoted = await api.promoteReadReplica({ readReplicaId });
  expect(promoted.name).toBe("promoted - sdk-primary");
  expect((await api.waitForInstance({ instanceId: promoted.id }, virtualWait)).endpoint).not.toBeNull();
  await api.waitForReadReplicaDeletion({ readReplicaId }, virtualWait);

  const snapshot = await api.createSnapshot({ instanceId, name: "sdk-snapshot" });
  expect(snapshot.status).toBe("creating");
  const snapshotId = snapshot.id;
  const taken = await api.waitForSnapshot({ snapshotId }, virtualWait);
  expect(taken.volumeType).toEqual({ type: "sbs_5k", class: "sbs" });
  expect(taken.size).toBe(10_000_000_000);
  expect((await api.listAllSnapshots({ instanceId })).map((listed) => listed.id)).toEqual([snapshotId]);
  expect((await api.updateSnapshot({ snapshotId, name: "renamed" })).name).toBe("renamed");
  const restored = await api.createInstanceFromSnapshot({ snapshotId, instanceName: "sdk-from-snapshot" });
  expect((await api.waitForInstance({ instanceId: restored.id }, virtualWait)).volume?.type).toBe("sbs_5k");
  expect((await api.deleteSnapshot({ snapshotId })).status).toBe("deleting");
  await api.waitForSnapshotDeletion({ snapshotId }, virtualWait);
});

describe("faults injected through /_emulator/faults", () => {
  it("retries GETs answered 503 with Retry-After", async () => {
    const api = rdb();
    const instance = await api.createInstance({
      name: "faulty",
      engine: "PostgreSQL-15",
      nodeType: "db-dev-s",
    });
    await control("faults", {
      method: "GET",
      path: "/rdb/v1/regions/*/instances/*",
      count: 2,
      ...apiError(503, "unknown", "service unavailable", { "Retry-After": "0" }),
      delay_ms: 0,
      drop_connection: false,
    });
    const fetched = await api.getInstance({ instanceId: instance.id });
    expect(fetched.id).toBe(instance.id);
    const log = (await control("requests")) as {
      requests: Array<{ method: string; path: string; status: number }>;
    };
    expect(log.requests.filter((r) => r.method === "GET").map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("does not re-send a create whose connection was dropped; the caller can look it up by name", async () => {
    const api = rdb();
    await control("faults", {
      method: "POST",
      path: "/rdb/v1/regions/*/instances",
      count: 1,
      drop_connection: true,
    });
    const error = await api
      .createInstance({ name: "dropped", engine: "PostgreSQL-15", nodeType: "db-dev-s" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    const log = (await control("requests")) as { requests: Array<{ method: string; status: number }> };
    expect(log.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([0]);
    // The fault dropped the request before the emulator processed it: looking up by name finds nothing to adopt.
    await expect(api.listAllInstances({ name: "dropped" })).resolves.toEqual([]);
  });

  it("settles a write answered 409 transient_state and re-sends it", async () => {
    const api = rdb();
    const instance = await api.createInstance({
      name: "busy",
      engine: "PostgreSQL-15",
      nodeType: "db-dev-s",
    });
    await api.waitForInstance({ instanceId: instance.id }, virtualWait);
    await control("faults", {
      method: "PATCH",
      path: "/rdb/v1/regions/*/instances/*",
      count: 1,
      status: 409,
      body: {
        message: "resource is in a transient state",
        type: "transient_state",
        resource: "instance",
        resource_id: instance.id,
        current_state: "backuping",
      },
    });
    const updated = await api.updateInstance({ instanceId: instance.id, tags: ["sdk"] });
    expect(updated.tags).toEqual(["sdk"]);
  });
});

it("Serverless SQL: creates a database, waits, exports a daily backup until its download URL is set", async () => {
  const api = new ServerlessSqlApi(clientOptions(), { settleWait: virtualWait });
  const database = await api.createDatabase({ name: "sdk-serverless", cpuMin: 0, cpuMax: 4 });
  const ready = await api.waitForDatabase({ databaseId: database.id }, virtualWait);
  expect(ready.status).toBe("ready");
  clock.now += 26 * 60 * 60 * 1000;
  const backups = await api.listAllBackups({ databaseId: database.id });
  expect(backups.length).toBeGreaterThan(0);
  const [backup] = backups;
  await api.exportBackup({ backupId: backup.id });
  const exported = await api.waitForServerlessBackup({ backupId: backup.id }, virtualWait);
  expect(exported.downloadUrl).toMatch(/^http/);
  await api.deleteDatabase({ databaseId: database.id });
  await api.waitForDatabaseDeletion({ databaseId: database.id }, virtualWait);
});

it("an aborted wait does not sit out the request in flight", async () => {
  const api = rdb();
  const created = await api.createInstance({
    name: "sdk-abort",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    password: "thiZ_is_v&ry_s3cret",
  });
  await control("faults", {
    method: "GET",
    path: "/rdb/v1/regions/*/instances/*",
    count: 1,
    delay_ms: 20_000,
  });
  const controller = new AbortController();
  const waiting = api.waitForInstance(
    { instanceId: created.id },
    { ...virtualWait, signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 200);
  const startedAt = Date.now();
  await expect(waiting).rejects.toThrow();
  expect(Date.now() - startedAt).toBeLessThan(10_000);
});

it("a DELETE whose answer was lost and is re-sent reports the deletion it started, not a 404", async () => {
  const api = rdb();
  const created = await api.createInstance({
    name: "sdk-lost-delete",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    password: "thiZ_is_v&ry_s3cret",
  });
  await api.waitForInstance({ instanceId: created.id }, virtualWait);
  await control("faults", {
    method: "DELETE",
    path: "/rdb/v1/regions/*/instances/*",
    count: 1,
    drop_response: true,
  });
  const deleting = await api.deleteInstance({ instanceId: created.id });
  expect(deleting.status).toBe("deleting");
  await api.waitForInstanceDeletion({ instanceId: created.id }, virtualWait);
});
