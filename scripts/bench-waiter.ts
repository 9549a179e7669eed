// Benchmark of the waiter's poll policies on a virtual clock: for the real operation durations recorded against
// Scaleway, how late each policy notices the transition (detection lag) and how many GETs it spends.
import { DEFAULT_POLL_POLICY, fixedPollPolicy, type PollPolicy, waitFor } from "../sdk/core/waiter";

interface Scenario {
  name: string;
  /** Seconds until the resource leaves its transient status. */
  durationS: number;
}

/** Recorded real durations (shared/reference/scaleway-rdb.md, "Real timings"): min, median and max where known. */
const SCENARIOS: Scenario[] = [
  { name: "instance create (min)", durationS: 151 },
  { name: "instance create (median)", durationS: 212 },
  { name: "instance create (max)", durationS: 397 },
  { name: "upgrade (min)", durationS: 31 },
  { name: "upgrade (median)", durationS: 363 },
  { name: "upgrade (max)", durationS: 484 },
  { name: "backup create (fast)", durationS: 4 },
  { name: "backup create (max)", durationS: 31 },
  { name: "instance delete (min)", durationS: 15 },
  { name: "instance delete (median)", durationS: 30 },
  { name: "instance delete (max)", durationS: 751 },
];

const POLICIES: PollPolicy[] = [DEFAULT_POLL_POLICY, fixedPollPolicy(15_000), fixedPollPolicy(30_000)];

interface Result {
  lagS: number;
  gets: number;
}

/** Runs the real `waitFor` against a resource that turns ready after `durationS`, on a virtual clock. */
async function measure(scenario: Scenario, policy: PollPolicy): Promise<Result> {
  let nowMs = 0;
  let gets = 0;
  // Half a second past the recorded second, so that no policy gets a transition aligned on its poll grid for free.
  const readyAtMs = scenario.durationS * 1000 + 500;
  await waitFor({
    resource: scenario.name,
    pollPolicy: policy,
    deadlineMs: 60 * 60_000,
    now: () => nowMs,
    sleep: async (ms) => {
      nowMs += ms;
    },
    fetch: async () => {
      gets++;
      return nowMs >= readyAtMs ? "ready" : "provisioning";
    },
    statusOf: (status) => status,
    isTransient: (status) => status !== "ready",
  });
  return { lagS: (nowMs - readyAtMs) / 1000, gets };
}

function cell(result: Result): string {
  return `${result.lagS.toFixed(1).padStart(6)} s ${String(result.gets).padStart(4)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const header = ["scenario".padEnd(26), "real".padStart(6), ...POLICIES.map((p) => p.name.padStart(16))];
  console.log(
    "Detection lag (time between the transition and the waiter noticing it) and GET count per policy.",
  );
  console.log(header.join(" | "));
  console.log(header.map((h) => "-".repeat(h.length)).join("-|-"));
  const totals = POLICIES.map(() => ({ lagS: 0, gets: 0 }));
  for (const scenario of SCENARIOS) {
    const results: Result[] = [];
    for (const policy of POLICIES) results.push(await measure(scenario, policy));
    results.forEach((result, i) => {
      totals[i].lagS += result.lagS;
      totals[i].gets += result.gets;
    });
    const row = [
      scenario.name.padEnd(26),
      `${scenario.durationS} s`.padStart(6),
      ...results.map((r) => cell(r).padStart(16)),
    ];
    console.log(row.join(" | "));
  }
  const n = SCENARIOS.length;
  const averages = totals.map((t) => cell({ lagS: t.lagS / n, gets: Math.round(t.gets / n) }).padStart(16));
  console.log([" average".padEnd(26), "".padStart(6), ...averages].join(" | "));
  console.log(`(virtual clock; ${Date.now() - started} ms wall time)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
