// The DatabaseInstance diff table and input rules: which changes update in place, which replace, which never diff.

import {
  autoName,
  crossFieldFailures,
  diffInstance,
  engineSourceFailures,
  generatePassword,
  instanceInputSchema,
  passwordSchema,
  withDefaultVolumeType,
} from "../../provider/impl/scaleway/instance.declaration";
import { UNKNOWN } from "../../provider/impl/support";
import { validateInputs } from "../../provider/impl/validation";

const base = {
  name: "db-1",
  engine: "PostgreSQL-16",
  nodeType: "db-dev-s",
  userName: "admin",
  password: "Sup3r-secret!",
  isHaCluster: false,
  volumeType: "bssd",
  volumeSizeGb: 20,
  tags: ["a", "b"],
  initSettings: {},
  settings: { max_connections: "200" },
  disableBackup: false,
  encryptionAtRest: false,
  region: "fr-par",
};

describe("diffInstance", () => {
  test.each([
    ["name", { name: "db-2" }],
    ["nodeType", { nodeType: "db-dev-m" }],
    ["password", { password: "An0ther-secret!" }],
    ["isHaCluster", { isHaCluster: true }],
    ["volumeType", { volumeType: "sbs_5k" }],
    ["volumeSizeGb", { volumeSizeGb: 25 }],
    ["tags", { tags: ["a", "c"] }],
    ["settings", { settings: { max_connections: "300" } }],
    ["encryptionAtRest", { encryptionAtRest: true }],
    ["logsPolicy", { logsPolicy: { maxAgeRetention: 10 } }],
    ["backupSameRegion", { backupSameRegion: true }],
    ["privateNetwork", { privateNetwork: { privateNetworkId: "66666666-6666-4666-8666-666666666666" } }],
    ["loadBalancer", { loadBalancer: true }],
  ])("%s updates in place", (property, change) => {
    expect(diffInstance(base, { ...base, ...change })).toEqual({
      changes: true,
      replaces: [],
      updates: [property],
    });
  });

  test.each([
    ["engine", { engine: "PostgreSQL-15" }],
    ["userName", { userName: "root" }],
    ["initSettings", { initSettings: { lc_collate: "C" } }],
    ["region", { region: "nl-ams" }],
    ["projectId", { projectId: "11111111-1111-1111-1111-111111111111" }],
    ["isHaCluster", { isHaCluster: false }],
    ["encryptionAtRest", { encryptionAtRest: false }],
    ["volumeSizeGb", { volumeSizeGb: 15 }],
    ["volumeType", { volumeType: "lssd", volumeSizeGb: undefined }],
    ["snapshotId", { snapshotId: "fr-par/55555555-5555-5555-5555-555555555555" }],
  ])("%s replaces", (property, change) => {
    const olds = {
      ...base,
      isHaCluster: true,
      encryptionAtRest: true,
      projectId: "22222222-2222-2222-2222-222222222222",
    };
    const news = { ...olds, ...change };
    expect(diffInstance(olds, news).replaces).toContain(property);
  });

  test("no change at all", () => {
    expect(diffInstance(base, { ...base })).toEqual({ changes: false, replaces: [], updates: [] });
  });

  test("engine and node type compare case-insensitively; tag order does not matter", () => {
    const news = { ...base, engine: "postgresql-16", nodeType: "DB-DEV-S", tags: ["b", "a"] };
    expect(diffInstance(base, news).changes).toBe(false);
  });

  test("timeouts, adoptId and identity never diff; unset unmanaged inputs never diff", () => {
    const olds = {
      ...base,
      projectId: "22222222-2222-2222-2222-222222222222",
      logsPolicy: { maxAgeRetention: 30 },
    };
    const news = {
      ...base,
      timeouts: { create: "1h" },
      adoptId: "fr-par/33333333-3333-3333-3333-333333333333",
      __identity: "p/s/k/n",
    };
    expect(diffInstance(olds, news).changes).toBe(false);
  });

  test("endpoints: a Private Network removed is a change; loadBalancer, engine and volumeType unset are unmanaged", () => {
    const withEndpoints = {
      ...base,
      privateNetwork: { privateNetworkId: "66666666-6666-4666-8666-666666666666", enableIpam: true },
      loadBalancer: false,
    };
    expect(diffInstance(withEndpoints, { ...withEndpoints }).changes).toBe(false);
    expect(diffInstance(withEndpoints, { ...withEndpoints, privateNetwork: undefined }).updates).toEqual([
      "privateNetwork",
    ]);
    const fromSnapshot = {
      ...withEndpoints,
      engine: undefined,
      volumeType: undefined,
      loadBalancer: undefined,
    };
    expect(diffInstance(withEndpoints, fromSnapshot).changes).toBe(false);
  });

  test("disableBackup applies at creation only and never diffs, leaving the policy to BackupSchedule", () => {
    expect(diffInstance(base, { ...base, disableBackup: true }).changes).toBe(false);
  });

  test("an unknown value is a change, and a replacement where the property replaces", () => {
    expect(diffInstance(base, { ...base, name: UNKNOWN })).toEqual({
      changes: true,
      replaces: [],
      updates: ["name"],
    });
    expect(diffInstance(base, { ...base, engine: UNKNOWN }).replaces).toEqual(["engine"]);
  });
});

const NETWORK = "66666666-6666-4666-8666-666666666666";

describe("instance inputs", () => {
  const valid = { engine: "PostgreSQL-16", nodeType: "DB-DEV-S" };

  test("defaults are filled", () => {
    const checked = validateInputs(instanceInputSchema, valid);
    expect(checked.ok && withDefaultVolumeType(checked.inputs)).toMatchObject({
      userName: "admin",
      isHaCluster: false,
      volumeType: "lssd",
      tags: [],
      settings: {},
      encryptionAtRest: false,
    });
  });

  test.each([
    ["engine", { engine: "Oracle-19" }, "engine and major version"],
    ["nodeType", { nodeType: "m5.large" }, "node type"],
    ["volumeSizeGb", { volumeType: "bssd", volumeSizeGb: 12 }, "multiple of 5"],
    ["volumeType", { volumeType: "nvme" }, "must be one of"],
    ["password", { password: "short" }, "8–128 characters"],
    ["password", { password: "alllowercase1!" }, "uppercase"],
    ["region", { region: "us-east-1" }, "fr-par"],
    ["projectId", { projectId: "not-a-uuid" }, "UUID"],
    ["tags[1]", { tags: ["ok", ""] }, "must not be empty"],
    ["timeouts.create", { timeouts: { create: "soon" } }, "duration"],
    ["colour", { colour: "blue" }, "nrecognized"],
  ])("%s: bad value is named with its rule", (property, change, rule) => {
    const checked = validateInputs(instanceInputSchema, { ...valid, ...change });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      const failure = checked.failures.find(
        (f) => f.property === property || (property === "colour" && f.reason.includes("colour")),
      );
      expect(failure?.reason).toContain(rule);
    }
  });

  test("a missing required property is named, beside other bad ones", () => {
    expect(engineSourceFailures({ nodeType: "db-dev-s" })).toEqual([
      { property: "engine", reason: expect.stringContaining("is required") },
    ]);
    const checked = validateInputs(instanceInputSchema, { nodeType: "db-dev-s" });
    expect(checked.ok).toBe(true);
  });

  test("unknown values are not validated and pass through", () => {
    const checked = validateInputs(instanceInputSchema, { ...valid, engine: UNKNOWN, volumeSizeGb: UNKNOWN });
    expect(checked.ok && checked.inputs.engine).toBe(UNKNOWN);
  });

  test("lssd volumes take no size; clone and adopt exclude each other", () => {
    const checked = validateInputs(instanceInputSchema, {
      ...valid,
      volumeSizeGb: 10,
      cloneFrom: "fr-par/33333333-3333-3333-3333-333333333333",
      adoptId: "fr-par/44444444-4444-4444-4444-444444444444",
    });
    expect(
      checked.ok && crossFieldFailures(withDefaultVolumeType(checked.inputs)).map((f) => f.property),
    ).toEqual(["volumeSizeGb", "adoptId"]);
  });

  test("an instance made from a snapshot has no default volume type and refuses what the snapshot decides", () => {
    const snapshotId = "fr-par/55555555-5555-5555-5555-555555555555";
    const plain = validateInputs(instanceInputSchema, { nodeType: "db-dev-s", snapshotId });
    expect(plain.ok && withDefaultVolumeType(plain.inputs).volumeType).toBeUndefined();
    expect(plain.ok && crossFieldFailures(withDefaultVolumeType(plain.inputs))).toEqual([]);
    expect(engineSourceFailures({ nodeType: "db-dev-s", snapshotId })).toEqual([]);

    const bad = { nodeType: "db-dev-s", snapshotId, volumeType: "lssd", initSettings: { a: "b" } };
    const checked = validateInputs(instanceInputSchema, {
      ...bad,
      disableBackup: true,
      cloneFrom: "fr-par/33333333-3333-3333-3333-333333333333",
    });
    expect(checked.ok && crossFieldFailures(checked.inputs).map((f) => f.property)).toEqual([
      "snapshotId",
      "volumeType",
      "initSettings",
      "disableBackup",
    ]);
    expect(engineSourceFailures({ ...bad, engine: "MySQL-8" })).toEqual([
      { property: "engine", reason: expect.stringContaining("must not be set with snapshotId") },
    ]);
  });

  test.each([
    [{ privateNetworkId: "nope" }, "privateNetwork.privateNetworkId", "{region}/{uuid}"],
    [{ privateNetworkId: NETWORK, serviceIp: "10.0.0.1" }, "privateNetwork.serviceIp", "prefix length"],
    [{ privateNetworkId: NETWORK, serviceIp: "10.0.0.1/33" }, "privateNetwork.serviceIp", "prefix length"],
    [{ privateNetworkId: NETWORK, serviceIp: "fd00::1/64" }, "privateNetwork.serviceIp", "IPv4"],
    [{ privateNetworkId: NETWORK, enableIpam: false }, "privateNetwork.serviceIp", "enableIpam is false"],
    [
      { privateNetworkId: NETWORK, serviceIp: "10.0.0.1/24", enableIpam: true },
      "privateNetwork.enableIpam",
      "together with serviceIp",
    ],
    [{ privateNetworkId: NETWORK, ip: "10.0.0.1" }, "privateNetwork", "nrecognized"],
  ])("privateNetwork %j is refused on %s", (privateNetwork, property, rule) => {
    const checked = validateInputs(instanceInputSchema, { ...valid, privateNetwork });
    expect(checked.ok || checked.failures).toEqual([{ property, reason: expect.stringContaining(rule) }]);
  });

  test("generated passwords always satisfy the policy and differ", () => {
    const passwords = Array.from({ length: 200 }, generatePassword);
    for (const password of passwords) expect(passwordSchema.safeParse(password).success).toBe(true);
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  test("auto-names keep the resource name and add a 7-character suffix", () => {
    expect(autoName("my db")).toMatch(/^my-db-[a-z0-9]{7}$/);
  });
});
