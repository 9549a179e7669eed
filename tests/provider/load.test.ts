// Load test, run by hand (`npm run bench:load`; too slow for CI): 20 instances and 40 backups in one `up` while the
// emulator answers 30 % of API requests with 429 — the first `up` must succeed with exactly the declared objects.
// Prints the requests served, the 429s among them and the wall time.
import { type ResourceSpec, useEmulatorAndProgram } from "./harness";

const INSTANCES = 20;
const BACKUPS_PER_INSTANCE = 2;
const THROTTLED_SHARE = 0.3;

const run = process.env.LOAD_TEST === "1" ? test : test.skip;
jest.setTimeout(30 * 60_000);

const suite = useEmulatorAndProgram();

run(
  `${INSTANCES} instances and ${INSTANCES * BACKUPS_PER_INSTANCE} backups with 30 % of requests answered 429`,
  async () => {
    const resources: ResourceSpec[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      resources.push({
        type: "scaleway.DatabaseInstance",
        name: `db-${i}`,
        args: { engine: "PostgreSQL-16", nodeType: "db-dev-s" },
      });
      for (let j = 0; j < BACKUPS_PER_INSTANCE; j++) {
        resources.push({
          type: "scaleway.DatabaseBackup",
          name: `dump-${i}-${j}`,
          args: { instanceId: { ref: `db-${i}` } },
        });
      }
    }
    suite.program.declare(resources);
    const before = suite.emulator.running.requests().length;
    await suite.emulator.fault({
      path: "/rdb/**",
      count: 1_000_000,
      probability: THROTTLED_SHARE,
      status: 429,
      headers: { "Retry-After": "1" },
      body: { message: "rate limit exceeded", type: "too_many_requests" },
    });
    const startedMs = Date.now();
    const result = await suite.program.run("up");
    const wallS = (Date.now() - startedMs) / 1000;
    const served = suite.emulator.running.requests().slice(before);
    const throttled = served.filter((request) => request.status === 429).length;
    console.log(
      `load: ${served.length} requests, ${throttled} answered 429 (${((100 * throttled) / served.length).toFixed(1)} %), ` +
        `up ${result.ok ? "succeeded" : "FAILED"} in ${wallS.toFixed(1)} s`,
    );
    expect(result.errors).toEqual([]);
    expect(throttled / served.length).toBeGreaterThan(0.2);
    const api = suite.emulator.api();
    expect(await api.listAllInstances({ region: "fr-par" })).toHaveLength(INSTANCES);
    expect(await api.listAllDatabaseBackups({ region: "fr-par" })).toHaveLength(
      INSTANCES * BACKUPS_PER_INSTANCE,
    );
    await fetch(`${suite.emulator.url}/_emulator/faults`, { method: "DELETE" });
    expect((await suite.program.run("destroy")).errors).toEqual([]);
  },
);
