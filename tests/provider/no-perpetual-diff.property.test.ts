// Property: for any valid DatabaseInstance inputs, `up` then `refresh` then `preview` shows no change — no perpetual
// diff from case, defaults, ordering or server-filled values (IPAM's addresses, the order of endpoints). Random
// inputs come from fast-check.
import fc from "fast-check";
import { TestEmulator, TestProgram } from "./harness";

jest.setTimeout(600_000);

const RUNS = Number(process.env.DBAAS_PROPERTY_RUNS ?? 6);
// Fixed by default so CI runs the same cases every time; set DBAAS_PROPERTY_SEED to explore others.
const SEED = Number(process.env.DBAAS_PROPERTY_SEED ?? 20261122);

const caseOf = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));

const blockVolume = fc.record({
  volumeType: fc.constantFrom("bssd", "sbs_5k", "sbs_15k"),
  volumeSizeGb: fc.integer({ min: 2, max: 20 }).map((n) => n * 5),
});

// Local SSD volumes only exist on the DEV node types; PLAY2 nodes take block volumes.
const nodeAndVolume = fc.oneof(
  fc.record({
    nodeType: fc.constantFrom("db-dev-s", "db-dev-m").chain(caseOf),
    volume: fc.oneof(fc.constant({ volumeType: "lssd" }), blockVolume),
  }),
  fc.record({ nodeType: fc.constant("db-play2-pico").chain(caseOf), volume: blockVolume }),
);

const postgres = fc.record({
  engine: fc.constantFrom("PostgreSQL-14", "PostgreSQL-15", "PostgreSQL-16", "PostgreSQL-17"),
  settings: fc.record(
    {
      max_connections: fc.integer({ min: 50, max: 500 }).map(String),
      work_mem: fc.integer({ min: 4, max: 64 }),
      maintenance_work_mem: fc.integer({ min: 64, max: 512 }).map(String),
    },
    { requiredKeys: [] },
  ),
});
const mysql = fc.record({
  engine: fc.constant("MySQL-8"),
  settings: fc.record(
    { max_connections: fc.integer({ min: 50, max: 500 }).map(String) },
    { requiredKeys: [] },
  ),
});

// A Private Network endpoint by IPAM (enableIpam said or left to its default) or with a static address, the network
// id spelled with or without its region and in any case; the public endpoint kept, removed or left unmanaged.
const privateNetwork = fc.oneof(
  fc.record(
    { privateNetworkId: fc.uuid({ version: 4 }), enableIpam: fc.constant(true) },
    { requiredKeys: ["privateNetworkId"] },
  ),
  fc.record({
    privateNetworkId: fc.uuid({ version: 4 }).map((id) => `fr-par/${id.toUpperCase()}`),
    serviceIp: fc.integer({ min: 2, max: 254 }).map((host) => `192.168.1.${host}/24`),
  }),
);
const endpoints = fc.record({ privateNetwork, loadBalancer: fc.boolean() }, { requiredKeys: [] });

const instanceArgs = fc
  .record(
    {
      flavour: fc.oneof(postgres, mysql),
      nodeAndVolume,
      tags: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), { maxLength: 3 }),
      isHaCluster: fc.boolean(),
      encryptionAtRest: fc.boolean(),
      disableBackup: fc.boolean(),
      backupSameRegion: fc.boolean(),
      logsPolicy: fc.record({ maxAgeRetention: fc.integer({ min: 1, max: 365 }) }),
      userName: fc.constantFrom("admin", "app_owner", "svc-1"),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/),
      endpoints,
    },
    { requiredKeys: ["flavour", "nodeAndVolume"] },
  )
  .map(({ flavour, nodeAndVolume: { nodeType, volume }, endpoints, ...rest }) => ({
    ...flavour,
    nodeType,
    ...volume,
    ...endpoints,
    ...rest,
  }));

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await TestEmulator.start();
});
afterAll(() => emulator.stop());

test(`up, refresh and preview agree for random valid inputs (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(instanceArgs, async (args) => {
      const program = TestProgram.create(emulator);
      try {
        program.declare([{ type: "scaleway.DatabaseInstance", name: "db", args }]);
        await program.ok("up");
        await program.ok("refresh", { expectNoChanges: true });
        await program.ok("preview", { expectNoChanges: true });
        await program.ok("up", { expectNoChanges: true });
        await program.ok("destroy");
      } finally {
        program.cleanup();
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});
