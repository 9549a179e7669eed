// DatabaseInstance endpoints and snapshots through the local engine against the emulator: a Private Network and a
// public endpoint declared, removed and put back in place, an instance made from a snapshot (and settled like a
// clone when the answer is lost), and bad inputs refused before any call. Endpoint drift is in drift-table.test.ts.
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { configure } from "../../provider/impl/config";
import { databaseInstance } from "../../provider/impl/scaleway/instance";
import type { Instance, RdbApi } from "../../sdk";
import { opsOf, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(180_000);

const suite = useEmulatorAndProgram();

const NETWORK = "a1b2c3d4-0000-4000-8000-00000000a001";
const OTHER_NETWORK = "a1b2c3d4-0000-4000-8000-00000000a002";

const instance = (args: Record<string, unknown>) => ({
  type: "scaleway.DatabaseInstance",
  name: "db",
  args: { engine: "PostgreSQL-16", nodeType: "db-dev-s", ...args },
});

const live = (): Promise<Instance> =>
  suite.emulator
    .api()
    .getInstance({ region: "fr-par", instanceId: uuidOf(suite.program.resource("db").id!) });

/** The endpoints API calls (`POST …/endpoints`, `DELETE /endpoints/…`) served since `from`. */
function endpointCalls(from: number): string[] {
  return suite.emulator
    .mutatingRequests()
    .slice(from)
    .filter((r) => /\/endpoints(\/|$)/.test(r.path))
    .map((r) => `${r.method} ${r.path.endsWith("/endpoints") ? "instance endpoints" : "endpoint"}`);
}

test("a Private Network and a public endpoint: created together, removed and added back in place, no perpetual diff", async () => {
  suite.program.declare(
    [instance({ privateNetwork: { privateNetworkId: `fr-par/${NETWORK}` }, loadBalancer: true })],
    {
      endpoint: { ref: "db", output: "endpoint" },
      endpoints: { ref: "db", output: "endpoints" },
      connection: { ref: "db", output: "connectionString" },
    },
  );
  const created = await suite.program.ok("up");
  expect(opsOf(created)).toEqual({ db: "create" });
  const createRequest = suite.emulator.running
    .requests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/instances"));
  expect(createRequest).toHaveLength(1);
  const kinds = (created.outputs.endpoints as Array<{ kind: string }>).map((e) => e.kind);
  expect(kinds).toEqual(["loadBalancer", "privateNetwork"]);
  const [publicOne, privateOne] = created.outputs.endpoints as Array<Record<string, unknown>>;
  expect(privateOne).toMatchObject({ privateNetworkId: NETWORK, port: 5432 });
  expect(String(privateOne.serviceIp)).toMatch(/^172\.\d+\.\d+\.\d+\/22$/);
  expect(created.outputs.endpoint).toEqual({ ip: publicOne.ip, port: publicOne.port });
  expect(suite.program.resource("db").outputs.privateNetwork).toEqual({
    privateNetworkId: NETWORK,
    enableIpam: true,
  });
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("refresh", { expectNoChanges: true });

  const beforeRemoval = suite.emulator.mutatingRequests().length;
  suite.program.declare([instance({ privateNetwork: { privateNetworkId: NETWORK }, loadBalancer: false })], {
    endpoint: { ref: "db", output: "endpoint" },
    connection: { ref: "db", output: "connectionString" },
  });
  const removed = await suite.program.ok("up");
  expect(opsOf(removed)).toEqual({ db: "update" });
  expect(removed.steps.find((step) => step.name === "db")?.keys).toEqual(["loadBalancer"]);
  expect(endpointCalls(beforeRemoval)).toEqual(["DELETE endpoint"]);
  expect((await live()).endpoints.map((e) => Boolean(e.privateNetwork))).toEqual([true]);
  // Without a public endpoint, clients connect through the Private Network one.
  expect(removed.outputs.endpoint).toEqual({ ip: privateOne.ip, port: 5432 });
  expect(String(removed.outputs.connection)).toContain(`@${privateOne.ip}:5432/`);
  await suite.program.ok("preview", { expectNoChanges: true });

  const beforeAdding = suite.emulator.mutatingRequests().length;
  suite.program.declare([instance({ privateNetwork: { privateNetworkId: NETWORK }, loadBalancer: true })]);
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "update" });
  expect(endpointCalls(beforeAdding)).toEqual(["POST instance endpoints"]);
  expect((await live()).endpoints.filter((e) => e.loadBalancer)).toHaveLength(1);
  await suite.program.ok("preview", { expectNoChanges: true });

  const beforeMove = suite.emulator.mutatingRequests().length;
  const moved = { privateNetworkId: OTHER_NETWORK, serviceIp: "192.168.1.254/24" };
  suite.program.declare([instance({ privateNetwork: moved, loadBalancer: true })]);
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "update" });
  expect(endpointCalls(beforeMove)).toEqual(["DELETE endpoint", "POST instance endpoints"]);
  const network = (await live()).endpoints.find((e) => e.privateNetwork)?.privateNetwork;
  expect(network).toMatchObject({ ...moved, provisioningMode: "static" });
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("refresh", { expectNoChanges: true });

  await suite.program.ok("destroy");
});

test("without loadBalancer a Private Network instance has no public endpoint, as the API makes it", async () => {
  suite.program.declare([
    instance({ privateNetwork: { privateNetworkId: NETWORK, serviceIp: "10.1.2.3/24" } }),
  ]);
  await suite.program.ok("up");
  const endpoints = (await live()).endpoints;
  expect(endpoints).toHaveLength(1);
  expect(endpoints[0].privateNetwork).toMatchObject({ serviceIp: "10.1.2.3/24" });
  expect(suite.program.resource("db").outputs.loadBalancer).toBeUndefined();
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

/** A ready snapshot of a fresh MySQL instance on a block volume (lssd volumes cannot be snapshotted). */
async function readySnapshot(api: RdbApi): Promise<{ sourceId: string; snapshotId: string }> {
  const source = await api.createInstance({
    region: "fr-par",
    name: "snapshot-source",
    engine: "MySQL-8",
    nodeType: "db-dev-s",
    userName: "owner",
    password: "Source-pass1!",
    volumeType: "sbs_5k",
    volumeSize: 10_000_000_000,
  });
  await api.waitForInstance({ region: "fr-par", instanceId: source.id });
  const snapshot = await api.createSnapshot({ region: "fr-par", instanceId: source.id, name: "before" });
  await api.waitForSnapshot({ region: "fr-par", snapshotId: snapshot.id });
  return { sourceId: source.id, snapshotId: snapshot.id };
}

test("snapshotId makes the instance from the snapshot, settles as the API reports it, and replaces when changed", async () => {
  const api = suite.emulator.api();
  const { snapshotId } = await readySnapshot(api);
  const from = suite.emulator.mutatingRequests().length;
  suite.program.declare(
    [
      {
        type: "scaleway.DatabaseInstance",
        name: "db",
        args: {
          nodeType: "db-dev-m",
          snapshotId: `fr-par/${snapshotId}`,
          tags: ["restored"],
          volumeSizeGb: 20,
        },
      },
    ],
    { connection: { ref: "db", output: "connectionString" } },
  );
  const created = await suite.program.ok("up");
  expect(opsOf(created)).toEqual({ db: "create" });
  const calls = suite.emulator.mutatingRequests().slice(from);
  expect(calls.filter((r) => r.path.endsWith(`/snapshots/${snapshotId}/create-instance`))).toHaveLength(1);
  expect(calls.filter((r) => r.method === "POST" && r.path.endsWith("/instances"))).toEqual([]);
  const made = await live();
  expect(made.engine).toBe("MySQL-8");
  expect(made.nodeType).toBe("db-dev-m");
  // The snapshot's 10 GB volume, grown by /upgrade after creation.
  expect(made.volume).toMatchObject({ type: "sbs_5k", size: 20_000_000_000 });
  expect(made.tags).toContain("restored");
  expect(made.tags.some((tag) => tag.startsWith("pulumi-dbaas:"))).toBe(true);
  // The declared user (the default admin) is made beside the snapshot's own.
  const users = await api.listAllUsers({ region: "fr-par", instanceId: made.id });
  expect(users.map((user) => user.name).sort()).toEqual(["admin", "owner"]);
  expect(String(created.outputs.connection)).toMatch(/^mysql:\/\/admin:/);
  expect(suite.program.resource("db").outputs).toMatchObject({ engine: "MySQL-8", volumeType: "sbs_5k" });
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("preview", { expectNoChanges: true });

  const second = await readySnapshot(api);
  suite.program.declare([
    {
      type: "scaleway.DatabaseInstance",
      name: "db",
      args: {
        nodeType: "db-dev-m",
        snapshotId: `fr-par/${second.snapshotId}`,
        tags: ["restored"],
        volumeSizeGb: 20,
      },
    },
  ]);
  const replaced = await suite.program.ok("up");
  expect(opsOf(replaced)).toEqual({ db: "replace" });
  expect(uuidOf(suite.program.resource("db").id!)).not.toBe(made.id);
  await suite.program.ok("destroy");
});

test("a volumeSizeGb smaller than the snapshot's volume is refused before anything is made", async () => {
  const { snapshotId } = await readySnapshot(suite.emulator.api());
  const before = suite.emulator.mutatingRequests().length;
  suite.program.declare([
    {
      type: "scaleway.DatabaseInstance",
      name: "db",
      args: { nodeType: "db-dev-s", snapshotId: `fr-par/${snapshotId}`, volumeSizeGb: 5 },
    },
  ]);
  const result = await suite.program.run("up");
  expect(result.ok).toBe(false);
  expect(result.errors.join("\n")).toMatch(/volumeSizeGb 5 is smaller than snapshot .* \(10 GB\)/);
  expect(suite.emulator.mutatingRequests().slice(before)).toEqual([]);
  expect(suite.program.state().resources.filter((resource) => resource.custom)).toEqual([]);
});

test("a create from a snapshot whose answer is lost is found by name and time, as a clone is, not duplicated", async () => {
  const { snapshotId } = await readySnapshot(suite.emulator.api());
  await suite.emulator.fault({
    method: "POST",
    path: "/rdb/v1/regions/*/snapshots/*/create-instance",
    drop_response: true,
  });
  suite.program.declare([
    {
      type: "scaleway.DatabaseInstance",
      name: "db",
      args: { name: "from-snapshot", nodeType: "db-dev-s", snapshotId: `fr-par/${snapshotId}` },
    },
  ]);
  await suite.program.ok("up");
  const made = await suite.emulator.api().listAllInstances({ region: "fr-par", name: "from-snapshot" });
  expect(made).toHaveLength(1);
  expect(suite.program.resource("db").id).toBe(`fr-par/${made[0].id}`);
  expect(suite.program.printed()).toMatch(/the create did make instance from snapshot .*; adopting it/);
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("bad endpoint and snapshot inputs are refused by check, one message per property, with no mutating call", async () => {
  const before = suite.emulator.mutatingRequests().length;
  const snapshot = "fr-par/b1b2c3d4-0000-4000-8000-00000000b001";
  suite.program.declare([
    instance({
      name: "both-ways",
      privateNetwork: { privateNetworkId: NETWORK, serviceIp: "10.0.0.5/24", enableIpam: true },
    }),
    {
      ...instance({
        name: "not-a-cidr",
        privateNetwork: { privateNetworkId: NETWORK, serviceIp: "10.0.0.5" },
      }),
      name: "b",
    },
    { ...instance({ privateNetwork: { privateNetworkId: `nl-ams/${NETWORK}` } }), name: "c" },
    {
      ...instance({ snapshotId: snapshot, volumeType: "lssd", initSettings: { lc_collate: "C" } }),
      name: "d",
    },
    { type: "scaleway.DatabaseInstance", name: "e", args: { nodeType: "db-dev-s" } },
  ]);
  const result = await suite.program.run("up");
  expect(result.ok).toBe(false);
  const errors = result.errors.join("\n");
  expect(errors).toMatch(/privateNetwork\.enableIpam: must not be true together with serviceIp/);
  expect(errors).toMatch(/privateNetwork\.serviceIp: must be an IPv4 address with its prefix length/);
  expect(errors).toMatch(/privateNetwork\.privateNetworkId: must be in the instance's region fr-par/);
  expect(errors).toMatch(/engine: must not be set with snapshotId/);
  expect(errors).toMatch(/volumeType: must not be lssd with snapshotId/);
  expect(errors).toMatch(/initSettings: must not be set with snapshotId/);
  expect(errors).toMatch(/engine: is required/);
  expect(suite.emulator.mutatingRequests().length).toBe(before);
});

describe("check, called as the provider host does", () => {
  beforeEach(async () => {
    const settings: Record<string, string> = {
      "dbaas:apiUrl": suite.emulator.url,
      "dbaas:secretKey": DEFAULT_SECRET_KEY,
      "dbaas:projectId": DEFAULT_PROJECT_ID,
    };
    await configure({ get: (key) => settings[key] });
  });
  afterEach(() => configure(undefined));

  test("check writes the Private Network as the API reports it back, and refuses one of another region", async () => {
    const check = (privateNetwork: Record<string, string>) =>
      databaseInstance.check(
        {},
        { engine: "PostgreSQL-16", nodeType: "db-dev-s", region: "fr-par", privateNetwork },
      );
    expect(
      (await check({ privateNetworkId: `fr-par/${NETWORK.toUpperCase()}` })).inputs?.privateNetwork,
    ).toEqual({
      privateNetworkId: NETWORK,
      enableIpam: true,
    });
    expect(
      (await check({ privateNetworkId: NETWORK, serviceIp: "10.0.0.1/24" })).inputs?.privateNetwork,
    ).toEqual({
      privateNetworkId: NETWORK,
      serviceIp: "10.0.0.1/24",
      enableIpam: false,
    });
    expect((await check({ privateNetworkId: `nl-ams/${NETWORK}` })).failures).toEqual([
      { property: "privateNetwork.privateNetworkId", reason: expect.stringContaining("region fr-par") },
    ]);
  });
});
