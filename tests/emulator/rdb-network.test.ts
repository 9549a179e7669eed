// The emulated RDB ACL rules, privileges, endpoints, read replicas and snapshots beyond what the recordings show:
// their validation, their transient statuses and their persistence across restarts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Harness,
  harnessForEachTest,
  instanceBody,
  type Json,
  PROJECT,
  REGION_PATH,
  readyInstance,
  startHarness,
} from "./harness";

const NETWORK = "9bf1e809-2659-4e8b-bbf7-7c70acf2cbc2";

describe("ACL rules", () => {
  const harness = harnessForEachTest();

  test("a new instance is open to all; rules need CIDRs, once each, and keep the instance configuring", async () => {
    const instance = await readyInstance(harness);
    const acls = `${REGION_PATH}/instances/${instance.id}/acls`;
    expect((await harness.call("GET", acls)).body.rules).toEqual([
      expect.objectContaining({ ip: "0.0.0.0/0" }),
    ]);

    const badCidr = await harness.call("PUT", acls, { rules: [{ ip: "1.2.3.4" }, { ip: "1.2.3.4/33" }] });
    expect(badCidr.status).toBe(400);
    expect((badCidr.body.details as Json[]).map((detail) => detail.argument_name)).toEqual([
      "rules.0.ip",
      "rules.1.ip",
    ]);
    const twice = await harness.call("PUT", acls, { rules: [{ ip: "1.2.3.4/32" }, { ip: "1.2.3.4/32" }] });
    expect(twice.status).toBe(400);

    const set = await harness.call("PUT", acls, { rules: [{ ip: "1.2.3.4/32", description: "" }] });
    expect(set.body.rules).toEqual([expect.objectContaining({ description: "IP allowed", protocol: "tcp" })]);
    expect((await harness.call("GET", `${REGION_PATH}/instances/${instance.id}`)).body.status).toBe(
      "configuring",
    );
    expect((await harness.call("POST", acls, { rules: [{ ip: "5.6.7.0/24" }] })).status).toBe(409);

    harness.clock.now += 5_000;
    const unknown = await harness.call("DELETE", acls, { acl_rule_ips: ["8.8.8.8/32"] });
    expect(unknown.status).toBe(400);
    const removed = await harness.call("DELETE", acls, { acl_rule_ips: ["1.2.3.4/32"] });
    expect((removed.body.rules as Json[]).map((rule) => rule.ip)).toEqual(["1.2.3.4/32"]);
    harness.clock.now += 5_000;
    expect((await harness.call("GET", acls)).body).toEqual({ rules: [], total_count: 0 });
  });
});

describe("privileges", () => {
  const harness = harnessForEachTest();

  test("only existing users and databases take privileges, which go with them", async () => {
    const instance = await readyInstance(harness);
    const privileges = `${REGION_PATH}/instances/${instance.id}/privileges`;
    const set = (body: Json) => harness.call("PUT", privileges, body);
    expect((await set({ database_name: "rdb", user_name: "nobody", permission: "all" })).status).toBe(404);
    expect((await set({ database_name: "nope", user_name: "admin_user", permission: "all" })).status).toBe(
      404,
    );
    expect((await set({ database_name: "rdb", user_name: "admin_user", permission: "custom" })).status).toBe(
      400,
    );
    expect(
      (await set({ database_name: "rdb", user_name: "admin_user", permission: "readwrite" })).body,
    ).toEqual({
      database_name: "rdb",
      permission: "readwrite",
      user_name: "admin_user",
    });
    const listed = await harness.call("GET", `${privileges}?user_name=admin_user`);
    expect(listed.body.privileges).toEqual([
      { database_name: "rdb", permission: "readwrite", user_name: "admin_user" },
    ]);

    const users = `${REGION_PATH}/instances/${instance.id}/users`;
    await harness.call("DELETE", `${users}/admin_user`);
    await harness.call("POST", users, { name: "admin_user", password: "R34lP4sSw#Rd" });
    const again = await harness.call("GET", `${privileges}?user_name=admin_user`);
    expect(again.body.privileges).toEqual([
      { database_name: "rdb", permission: "none", user_name: "admin_user" },
    ]);
  });
});

describe("endpoints", () => {
  const harness = harnessForEachTest();

  test("Private Network endpoints: a static address as asked, or one IPAM would pick; one per network", async () => {
    const instance = await readyInstance(harness, {
      init_endpoints: [{ private_network: { private_network_id: NETWORK, service_ip: "192.168.1.254/24" } }],
    });
    const endpoints = instance.endpoints as Json[];
    expect(endpoints[0]).toMatchObject({ ip: "192.168.1.254", port: 5432 });
    expect(endpoints[0].private_network).toMatchObject({ provisioning_mode: "static", zone: "fr-par-1" });
    expect(instance.endpoint).toBeNull();

    const add = `${REGION_PATH}/instances/${instance.id}/endpoints`;
    const again = await harness.call("POST", add, {
      endpoint_spec: { private_network: { private_network_id: NETWORK } },
    });
    expect(again.status).toBe(400);
    const badId = await harness.call("POST", add, {
      endpoint_spec: { private_network: { private_network_id: "pn" } },
    });
    expect(badId.status).toBe(400);
    const other = "15f6e40b-c1d2-4089-bb55-f43c941b3cb0";
    const ipam = await harness.call("POST", add, {
      endpoint_spec: { private_network: { private_network_id: other } },
    });
    expect(ipam.body).toEqual({ id: "", name: null, port: 0 });
    const initializing = await harness.call("GET", `${REGION_PATH}/instances/${instance.id}`);
    expect(initializing.body.status).toBe("initializing");
    expect(initializing.body.endpoints as Json[]).toHaveLength(1);
    harness.clock.now += 5_000;
    const ready = await harness.call("GET", `${REGION_PATH}/instances/${instance.id}`);
    const added = (ready.body.endpoints as Json[])[1];
    expect(added.ip).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.2$/);
    expect(added.private_network).toMatchObject({ provisioning_mode: "ipam" });
  });

  test("migrating an endpoint moves its address to another ready instance", async () => {
    const source = await readyInstance(harness);
    const target = await readyInstance(harness, {
      name: "target",
      init_endpoints: [{ private_network: { private_network_id: NETWORK } }],
    });
    const endpointId = await publicEndpointId(harness, source.id);
    const onItself = await harness.call("POST", `${REGION_PATH}/endpoints/${endpointId}/migrate`, {
      instance_id: source.id,
    });
    expect(onItself.status).toBe(400);
    const migrated = await harness.call("POST", `${REGION_PATH}/endpoints/${endpointId}/migrate`, {
      instance_id: target.id,
    });
    expect(migrated.status).toBe(200);
    harness.clock.now += 5_000;
    const sourceNow = await harness.call("GET", `${REGION_PATH}/instances/${source.id}`);
    expect(sourceNow.body.endpoints).toEqual([]);
    const targetNow = await harness.call("GET", `${REGION_PATH}/instances/${target.id}`);
    expect((targetNow.body.endpoints as Json[]).map((endpoint) => endpoint.id)).toContain(endpointId);
  });
});

describe("major upgrade", () => {
  const harness = harnessForEachTest();

  test("the new instance keeps the ACL and privileges, and the endpoints when asked to", async () => {
    const instance = await readyInstance(harness, {
      init_endpoints: [{ private_network: { private_network_id: NETWORK } }],
    });
    const path = `${REGION_PATH}/instances/${instance.id}`;
    await harness.call("PUT", `${path}/acls`, { rules: [{ ip: "1.2.3.4/32" }] });
    harness.clock.now += 5_000;
    await harness.call("PUT", `${path}/privileges`, {
      database_name: "rdb",
      user_name: "admin_user",
      permission: "readonly",
    });
    const version = (instance.upgradable_version as Json[])[0].id;
    const upgraded = await harness.call("POST", `${path}/upgrade`, {
      major_upgrade_workflow: { upgradable_version_id: version, with_endpoints: true },
    });
    const newPath = `${REGION_PATH}/instances/${upgraded.body.id}`;
    harness.clock.now += 5_000;
    const endpoints = (await harness.call("GET", newPath)).body.endpoints as Json[];
    expect(endpoints[0].private_network).toMatchObject({ private_network_id: NETWORK });
    expect((await harness.call("GET", path)).body.endpoints).toEqual([]);
    expect((await harness.call("GET", `${newPath}/acls`)).body.rules).toEqual([
      expect.objectContaining({ ip: "1.2.3.4/32" }),
    ]);
    const privileges = await harness.call("GET", `${newPath}/privileges?user_name=admin_user`);
    expect(privileges.body.privileges).toEqual([
      { database_name: "rdb", permission: "readonly", user_name: "admin_user" },
    ]);
  });
});

async function publicEndpointId(harness: Harness, instanceId: unknown): Promise<unknown> {
  const instance = await harness.call("GET", `${REGION_PATH}/instances/${instanceId}`);
  return (instance.body.endpoint as Json).id;
}

describe("read replicas", () => {
  const harness = harnessForEachTest();

  test("need a ready instance, three at most, one endpoint of each kind", async () => {
    const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
    const create = (body: Json = {}) =>
      harness.call("POST", `${REGION_PATH}/read-replicas`, { instance_id: created.body.id, ...body });
    expect((await create()).status).toBe(409);
    harness.clock.now += 5_000;
    const twoDirect = await create({ endpoint_spec: [{ direct_access: {} }, { direct_access: {} }] });
    expect(twoDirect.status).toBe(400);
    for (let count = 0; count < 3; count++) expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(412);

    const replica = (await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`)).body
      .read_replicas as Json[];
    expect(replica.map((listed) => listed.status)).toEqual(["provisioning", "provisioning", "provisioning"]);
    const replicaPath = `${REGION_PATH}/read-replicas/${replica[0].id}`;
    expect((await harness.call("POST", `${replicaPath}/reset`, {})).status).toBe(409);
    harness.clock.now += 5_000;
    const withNetwork = await harness.call("POST", `${replicaPath}/endpoints`, {
      endpoint_spec: [{ private_network: { private_network_id: NETWORK } }],
    });
    expect(withNetwork.body.status).toBe("configuring");
    harness.clock.now += 5_000;
    const ready = await harness.call("GET", replicaPath);
    expect((ready.body.endpoints as Json[]).map((endpoint) => Object.keys(endpoint).sort())).toEqual([
      ["direct_access", "id", "ip", "name", "port"],
      ["id", "ip", "name", "port", "private_network"],
    ]);
    const direct = (ready.body.endpoints as Json[])[0];
    expect((await harness.call("GET", `${REGION_PATH}/endpoints/${direct.id}`)).body.direct_access).toEqual(
      {},
    );
    expect((await harness.call("DELETE", `${REGION_PATH}/endpoints/${direct.id}`)).status).toBe(204);
    expect((await harness.call("GET", replicaPath)).body.status).toBe("configuring");
    harness.clock.now += 5_000;
    expect((await harness.call("GET", replicaPath)).body.endpoints as Json[]).toHaveLength(1);
    expect((await harness.call("DELETE", replicaPath)).body.status).toBe("deleting");
    harness.clock.now += 5_000;
    expect((await harness.call("GET", replicaPath)).status).toBe(404);
  });
});

describe("snapshots", () => {
  const harness = harnessForEachTest();

  test("only block volumes; the instance snapshots meanwhile; a new instance keeps the volume type", async () => {
    const local = await readyInstance(harness);
    const refused = await harness.call("POST", `${REGION_PATH}/instances/${local.id}/snapshots`, {
      name: "s",
    });
    expect(refused.status).toBe(400);

    const block = await readyInstance(harness, { volume_type: "sbs_15k", volume_size: 20_000_000_000 });
    const snapshot = await harness.call("POST", `${REGION_PATH}/instances/${block.id}/snapshots`, {
      name: "s",
    });
    expect(snapshot.body).toMatchObject({ status: "creating", size: null, volume_type: { type: "sbs_15k" } });
    expect((await harness.call("GET", `${REGION_PATH}/instances/${block.id}`)).body.status).toBe(
      "snapshotting",
    );
    const snapshotPath = `${REGION_PATH}/snapshots/${snapshot.body.id}`;
    const early = await harness.call("POST", `${snapshotPath}/create-instance`, { instance_name: "copy" });
    expect(early.status).toBe(409);
    harness.clock.now += 5_000;
    const unnamed = await harness.call("POST", `${snapshotPath}/create-instance`, {});
    expect(unnamed.status).toBe(400);
    const copy = await harness.call("POST", `${snapshotPath}/create-instance`, {
      instance_name: "copy",
      node_type: "db-dev-m",
    });
    expect(copy.body).toMatchObject({ status: "provisioning", node_type: "db-dev-m" });
    expect(copy.body.volume).toMatchObject({ type: "sbs_15k", size: 20_000_000_000 });
  });
});

describe("persistence", () => {
  test("snapshots, read replicas and ACL rules survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rdb-network-state-"));
    let harness = await startHarness({ dataDir });
    try {
      const instance = await readyInstance(harness, { volume_type: "sbs_5k", volume_size: 10_000_000_000 });
      const path = `${REGION_PATH}/instances/${instance.id}`;
      await harness.call("PUT", `${path}/acls`, { rules: [{ ip: "1.2.3.4/32" }] });
      harness.clock.now += 5_000;
      const snapshot = await harness.call("POST", `${path}/snapshots`, { name: "kept" });
      harness.clock.now += 5_000;
      const replica = await harness.call("POST", `${REGION_PATH}/read-replicas`, {
        instance_id: instance.id,
      });
      await harness.stop();

      harness = await startHarness({ dataDir }, harness.clock);
      expect((await harness.call("GET", `${path}/acls`)).body.total_count).toBe(1);
      expect((await harness.call("GET", `${REGION_PATH}/snapshots/${snapshot.body.id}`)).body.status).toBe(
        "ready",
      );
      expect((await harness.call("GET", `${REGION_PATH}/read-replicas/${replica.body.id}`)).status).toBe(200);
      const listed = await harness.call("GET", `${REGION_PATH}/snapshots?project_id=${PROJECT}`);
      expect(listed.body.total_count).toBe(1);
    } finally {
      await harness.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
