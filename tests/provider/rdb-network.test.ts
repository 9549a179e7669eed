// Acl, ReadReplica and Snapshot through the whole lifecycle against the emulator (up, preview with no changes, an
// out-of-band change caught on refresh, update, destroy), bad inputs refused before any call, writes that ride out
// the instance's `configuring` and `snapshotting` states, and the lookups.
import { scaleway } from "../../index";
import {
  INSTANCE,
  opsOf,
  type ResourceSpec,
  TestEmulator,
  TestProgram,
  useEmulatorAndProgram,
  uuidOf,
} from "./harness";

jest.setTimeout(180_000);

const suite = useEmulatorAndProgram();

/** Snapshots need a block volume: local SSDs (the smallest instance's) cannot be snapshotted. */
const BLOCK_INSTANCE = { ...INSTANCE, args: { ...INSTANCE.args, volumeType: "sbs_5k", volumeSizeGb: 10 } };

const NETWORK = "7e9c3a4b-1f2d-4c5e-8a9b-0c1d2e3f4a5b";
const OTHER_NETWORK = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

const instance = () => ({ region: "fr-par", instanceId: uuidOf(String(suite.program.resource("db").id)) });
const liveIps = async () =>
  (await suite.emulator.api().listAllInstanceAclRules(instance())).map((rule) => rule.ip).sort();

/** The keys the failed drift job named for `resource`. */
function driftKeys(result: Awaited<ReturnType<TestProgram["run"]>>, resource: string): string[] {
  return result.steps
    .filter((step) => step.name === resource && step.op !== "same")
    .flatMap((s) => s.keys ?? []);
}

async function expectDriftOn(resource: string, key: string) {
  const previewed = await suite.program.run("preview", { refresh: true, expectNoChanges: true });
  expect(previewed.ok).toBe(false);
  expect(driftKeys(previewed, resource)).toContain(key);
  const refreshed = await suite.program.run("refresh", { expectNoChanges: true });
  expect(refreshed.ok).toBe(false);
  expect(driftKeys(refreshed, resource)).toContain(key);
}

describe("scaleway.Acl", () => {
  const acl = (rules: unknown[]): ResourceSpec => ({
    type: "scaleway.Acl",
    name: "acl",
    args: { instanceId: { ref: "db" }, rules },
  });

  test("up, no perpetual diff from order, bare addresses, host bits or default descriptions; drift; update; delete closes the ACL", async () => {
    suite.program.declare([INSTANCE, acl([{ ip: "10.1.2.3/16", description: "vpn" }, { ip: "1.2.3.4" }])]);
    expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "create", acl: "create" });
    expect(suite.program.resource("acl").id).toBe(suite.program.resource("db").id);
    expect(await liveIps()).toEqual(["1.2.3.4/32", "10.1.0.0/16"]);
    expect(suite.program.resource("acl").outputs.rules).toEqual([
      { ip: "1.2.3.4/32" },
      { ip: "10.1.0.0/16", description: "vpn" },
    ]);
    await suite.program.ok("preview", { expectNoChanges: true });
    await suite.program.ok("refresh", { expectNoChanges: true });

    // The same rules in another order and spelling are no change.
    suite.program.declare([INSTANCE, acl([{ ip: "1.2.3.4/32" }, { ip: "10.1.0.0/16", description: "vpn" }])]);
    await suite.program.ok("preview", { expectNoChanges: true });

    const api = suite.emulator.api();
    await api.addInstanceAclRules({ ...instance(), rules: [{ ip: "0.0.0.0/0", description: "by hand" }] });
    await api.waitForInstance(instance());
    await expectDriftOn("acl", "rules");
    expect(opsOf(await suite.program.ok("up")).acl).toBe("update");
    expect(await liveIps()).toEqual(["1.2.3.4/32", "10.1.0.0/16"]);
    await suite.program.ok("preview", { refresh: true, expectNoChanges: true });

    suite.program.declare([
      INSTANCE,
      acl([{ ip: "1.2.3.4/32", description: "office" }, { ip: "192.168.0.0/24" }]),
    ]);
    const updated = await suite.program.ok("up");
    expect(opsOf(updated)).toEqual({ db: "same", acl: "update" });
    expect(await liveIps()).toEqual(["1.2.3.4/32", "192.168.0.0/24"]);
    const office = (await api.listAllInstanceAclRules(instance())).find((rule) => rule.ip === "1.2.3.4/32");
    expect(office?.description).toBe("office");
    await suite.program.ok("refresh", { expectNoChanges: true });

    suite.program.declare([INSTANCE]);
    expect(opsOf(await suite.program.ok("up")).acl).toBe("delete");
    expect(await liveIps()).toEqual([]);
    await suite.program.ok("destroy");
  });
});

describe("scaleway.ReadReplica", () => {
  const replica = (args: Record<string, unknown>): ResourceSpec => ({
    type: "scaleway.ReadReplica",
    name: "replica",
    args: { instanceId: { ref: "db" }, ...args },
  });
  const live = () =>
    suite.emulator.api().getReadReplica({
      region: "fr-par",
      readReplicaId: uuidOf(String(suite.program.resource("replica").id)),
    });
  const kinds = async () =>
    (await live()).endpoints
      .map((e) => (e.directAccess ? "direct" : e.privateNetwork?.privateNetworkId))
      .sort();

  test("up with a direct access; endpoints change in place; a removed endpoint is drift; sameZone replaces", async () => {
    suite.program.declare([INSTANCE, replica({})], { endpoints: { ref: "replica", output: "endpoints" } });
    const created = await suite.program.ok("up");
    expect(opsOf(created)).toEqual({ db: "create", replica: "create" });
    expect(created.outputs.endpoints).toEqual([
      expect.objectContaining({ kind: "directAccess", port: 5432, ip: expect.any(String) }),
    ]);
    expect(suite.program.resource("replica").outputs).toMatchObject({ directAccess: true, sameZone: true });
    await suite.program.ok("preview", { expectNoChanges: true });
    await suite.program.ok("refresh", { expectNoChanges: true });
    const id = suite.program.resource("replica").id;

    suite.program.declare([
      INSTANCE,
      replica({ directAccess: true, privateNetwork: { privateNetworkId: `fr-par/${NETWORK}` } }),
    ]);
    expect(opsOf(await suite.program.ok("up")).replica).toBe("update");
    expect(await kinds()).toEqual([NETWORK, "direct"]);
    expect(suite.program.resource("replica").outputs.privateNetwork).toEqual({
      privateNetworkId: NETWORK,
      enableIpam: true,
    });
    await suite.program.ok("refresh", { expectNoChanges: true });
    await suite.program.ok("preview", { expectNoChanges: true });

    // Another network with a static address, and no more direct access: both endpoints change, in place.
    const staticNetwork = { privateNetworkId: OTHER_NETWORK, serviceIp: "192.168.1.254/24" };
    suite.program.declare([INSTANCE, replica({ directAccess: false, privateNetwork: staticNetwork })]);
    expect(opsOf(await suite.program.ok("up")).replica).toBe("update");
    expect(suite.program.resource("replica").id).toBe(id);
    expect(await kinds()).toEqual([OTHER_NETWORK]);
    const endpoint = (await live()).endpoints[0];
    expect(endpoint.privateNetwork?.serviceIp).toBe("192.168.1.254/24");
    await suite.program.ok("refresh", { expectNoChanges: true });

    await suite.emulator.api().deleteEndpoint({ region: "fr-par", endpointId: endpoint.id });
    await suite.emulator.api().waitForReadReplica({ region: "fr-par", readReplicaId: uuidOf(String(id)) });
    await expectDriftOn("replica", "privateNetwork");
    expect(opsOf(await suite.program.ok("up")).replica).toBe("update");
    expect(await kinds()).toEqual([OTHER_NETWORK]);
    await suite.program.ok("preview", { refresh: true, expectNoChanges: true });

    suite.program.declare([
      INSTANCE,
      replica({ directAccess: false, privateNetwork: staticNetwork, sameZone: false }),
    ]);
    expect(opsOf(await suite.program.ok("up")).replica).toBe("replace");
    expect(suite.program.resource("replica").id).not.toBe(id);
    await suite.program.ok("destroy");
    const api = suite.emulator.api();
    await expect(api.getReadReplica({ region: "fr-par", readReplicaId: uuidOf(String(id)) })).rejects.toThrow(
      /not found/,
    );
  });

  test("a replica that fails to become ready is recorded with its id, not orphaned, and settled by the next up", async () => {
    suite.program.declare([INSTANCE]);
    await suite.program.ok("up");
    await suite.emulator.fault({
      method: "GET",
      path: "/rdb/v1/regions/*/read-replicas/*",
      count: 1,
      status: 200,
      body: {
        id: "00000000-0000-4000-8000-000000000000",
        instance_id: instance().instanceId,
        endpoints: [],
        status: "error",
        region: "fr-par",
        same_zone: true,
      },
    });
    suite.program.declare([INSTANCE, replica({})]);
    const failed = await suite.program.run("up");
    expect(failed.ok).toBe(false);
    expect(failed.errors.join("\n")).toMatch(/replica.*created but not ready/);
    const [made] = (await suite.emulator.api().getInstance(instance())).readReplicas;
    expect(suite.program.resource("replica").id).toBe(`fr-par/${made.id}`);
    expect(opsOf(await suite.program.ok("up")).replica).toBe("update");
    expect((await suite.emulator.api().getInstance(instance())).readReplicas).toHaveLength(1);
    await suite.program.ok("preview", { refresh: true, expectNoChanges: true });
    await suite.program.ok("destroy");
  });

  test("adoptId takes over an existing replica and reconciles its endpoints", async () => {
    suite.program.declare([INSTANCE]);
    await suite.program.ok("up");
    const api = suite.emulator.api();
    const made = await api.createReadReplica({
      ...instance(),
      endpointSpec: [{ directAccess: {} }],
      sameZone: true,
    });
    await api.waitForReadReplica({ region: "fr-par", readReplicaId: made.id });
    suite.program.declare([
      INSTANCE,
      replica({
        adoptId: `fr-par/${made.id}`,
        privateNetwork: { privateNetworkId: NETWORK },
        directAccess: false,
      }),
    ]);
    expect(opsOf(await suite.program.ok("up")).replica).toBe("create");
    expect(suite.program.resource("replica").id).toBe(`fr-par/${made.id}`);
    expect(await kinds()).toEqual([NETWORK]);
    expect((await api.getInstance(instance())).readReplicas).toHaveLength(1);
    await suite.program.ok("preview", { refresh: true, expectNoChanges: true });
    await suite.program.ok("destroy");
  });
});

describe("scaleway.Snapshot", () => {
  const snapshot = (args: Record<string, unknown>): ResourceSpec => ({
    type: "scaleway.Snapshot",
    name: "snap",
    args: { instanceId: { ref: "db" }, expiresAt: "2031-06-01T00:00:00Z", ...args },
  });
  const snapshotId = () => ({
    region: "fr-par",
    snapshotId: uuidOf(String(suite.program.resource("snap").id)),
  });

  test("up, an out-of-band rename is drift, name and expiry update in place, another instance replaces, delete", async () => {
    suite.program.declare([BLOCK_INSTANCE, snapshot({})]);
    expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "create", snap: "create" });
    const id = suite.program.resource("snap").id;
    expect(suite.program.resource("snap").outputs).toMatchObject({
      status: "ready",
      name: expect.stringMatching(/^snap-[0-9a-f]{7}$/),
      nodeType: "db-dev-s",
      volumeType: expect.any(String),
      size: expect.any(Number),
    });
    await suite.program.ok("preview", { expectNoChanges: true });
    await suite.program.ok("refresh", { expectNoChanges: true });

    const api = suite.emulator.api();
    await api.updateSnapshot({ ...snapshotId(), name: "renamed-by-hand" });
    await expectDriftOn("snap", "name");
    await suite.program.ok("up");
    expect((await api.getSnapshot(snapshotId())).name).toMatch(/^snap-[0-9a-f]{7}$/);

    suite.program.declare([
      BLOCK_INSTANCE,
      snapshot({ name: "before-upgrade", expiresAt: "2032-01-01T00:00:00Z" }),
    ]);
    expect(opsOf(await suite.program.ok("up")).snap).toBe("update");
    expect(suite.program.resource("snap").id).toBe(id);
    const renamed = await api.getSnapshot(snapshotId());
    expect(renamed.name).toBe("before-upgrade");
    expect(Date.parse(String(renamed.expiresAt))).toBe(Date.parse("2032-01-01T00:00:00Z"));
    await suite.program.ok("refresh", { expectNoChanges: true });

    const other = { ...BLOCK_INSTANCE, name: "db2" };
    suite.program.declare([
      BLOCK_INSTANCE,
      other,
      snapshot({ instanceId: { ref: "db2" }, name: "before-upgrade", expiresAt: "2032-01-01T00:00:00Z" }),
    ]);
    expect(opsOf(await suite.program.ok("up")).snap).toBe("replace");
    expect(suite.program.resource("snap").id).not.toBe(id);
    await suite.program.ok("destroy");
    expect(await api.listAllSnapshots({ region: "fr-par" })).toEqual([]);
  });
});

test("bad inputs fail check, one failure per bad rule or property, and send no request at all", async () => {
  const target = "fr-par/11111111-1111-1111-1111-111111111111";
  const before = suite.emulator.running.requests().length;
  suite.program.declare([
    {
      type: "scaleway.Acl",
      name: "acl",
      args: {
        instanceId: target,
        rules: [{ ip: "1.2.3.400/32" }, { ip: "10.0.0.0/8" }, { ip: "office", description: "x" }],
      },
    },
    {
      type: "scaleway.Acl",
      name: "twice",
      args: { instanceId: target, rules: [{ ip: "1.2.3.4" }, { ip: "1.2.3.4/32" }] },
    },
    { type: "scaleway.ReadReplica", name: "nowhere", args: { instanceId: target, directAccess: false } },
    {
      type: "scaleway.ReadReplica",
      name: "both",
      args: {
        instanceId: target,
        sameZone: "yes",
        privateNetwork: { privateNetworkId: NETWORK, serviceIp: "192.168.1.2/24", enableIpam: true },
      },
    },
    {
      type: "scaleway.ReadReplica",
      name: "elsewhere",
      args: { instanceId: target, privateNetwork: { privateNetworkId: `nl-ams/${NETWORK}` } },
    },
    {
      type: "scaleway.Snapshot",
      name: "snap",
      args: { instanceId: "not-an-id", expiresAt: "2001-01-01T00:00:00Z" },
    },
    {
      type: "scaleway.Snapshot",
      name: "past",
      args: { instanceId: target, expiresAt: "2001-01-01T00:00:00Z" },
    },
  ]);
  const result = await suite.program.run("up");
  expect(result.ok).toBe(false);
  const errors = result.errors.join("\n");
  expect(errors).toMatch(/rules\[0\]\.ip.*CIDR.*"1\.2\.3\.400\/32"/);
  expect(errors).toMatch(/rules\[2\]\.ip.*CIDR.*"office"/);
  expect(errors).not.toMatch(/rules\[1\]\.ip.*CIDR/);
  expect(errors).toMatch(/rules\[1\]\.ip.*repeats the network of rules\[0\] \(1\.2\.3\.4\/32\)/);
  expect(errors).toMatch(/directAccess.*needs an endpoint/);
  expect(errors).toMatch(/sameZone/);
  expect(errors).toMatch(/privateNetwork\.enableIpam.*must not be true together with serviceIp/);
  expect(errors).toMatch(/privateNetwork.*region \(fr-par\), not nl-ams/);
  expect(errors).toMatch(/instanceId.*\{region\}\/\{uuid\}/);
  expect(errors).toMatch(/expiresAt.*must be in the future/);
  expect(errors.split("rules[0].ip:").length - 1).toBe(1);
  expect(errors.split("rules[2].ip:").length - 1).toBe(1);
  expect(suite.emulator.running.requests().length).toBe(before);
});

/** The lookups, called as a program calls them (SCW_* variables, no stack config), find what `program` made. */
async function expectLookups(emulator: TestEmulator, program: TestProgram) {
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env());
  try {
    const instanceId = String(program.resource("db").id);
    expect((await scaleway.getAcl({ instanceId })).map((rule) => rule.ip)).toEqual(["203.0.113.0/24"]);
    const replica = await scaleway.getReadReplica({ id: String(program.resource("replica").id) });
    expect(replica.endpoints.map((endpoint) => Boolean(endpoint.directAccess))).toEqual([true]);
    const snapshotId = uuidOf(String(program.resource("snap").id));
    expect((await scaleway.getSnapshot({ id: `fr-par/${snapshotId}` })).status).toBe("ready");
    expect((await scaleway.listSnapshots({ instanceId })).map((snapshot) => snapshot.id)).toEqual([
      snapshotId,
    ]);
    expect(await scaleway.listSnapshots({ instanceId, name: "no-such-snapshot" })).toEqual([]);
  } finally {
    process.env = saved;
  }
}

test("Acl, ReadReplica and Snapshot made at once ride out the instance's configuring and snapshotting states", async () => {
  const fast = await TestEmulator.start("fast");
  const program = TestProgram.create(fast);
  try {
    program.declare([
      BLOCK_INSTANCE,
      {
        type: "scaleway.Acl",
        name: "acl",
        args: { instanceId: { ref: "db" }, rules: [{ ip: "203.0.113.0/24" }] },
      },
      { type: "scaleway.Snapshot", name: "snap", args: { instanceId: { ref: "db" } } },
      { type: "scaleway.ReadReplica", name: "replica", args: { instanceId: { ref: "db" } } },
    ]);
    const created = await program.ok("up");
    expect(opsOf(created)).toEqual({ db: "create", acl: "create", snap: "create", replica: "create" });
    expect(program.printed()).toMatch(/scaleway:Acl [0-9a-f-]+: .*configuring/);
    expect(program.printed()).toMatch(/scaleway:ReadReplica replica: .*provisioning/);
    await program.ok("preview", { refresh: true, expectNoChanges: true });
    await expectLookups(fast, program);
    await program.ok("destroy");
    expect(fast.mutatingRequests().filter((request) => request.status >= 500)).toEqual([]);
  } finally {
    program.cleanup();
    await fast.stop();
  }
});
