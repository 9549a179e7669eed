// The scale benchmark at a CI size: 10 instances with one exported backup each, `fast`, 10 requests per second per
// token: every resource is created and destroyed, no 429 is left unretried nor drawn after the first second (the
// client keeps to the limit the first ones state), and waiters poll at most 2.5 times per resource (a stack this small
// overlaps little: 300 resources measured 0.22–0.25).
import { formatScaleReport, runScaleBench } from "../../scripts/bench-scale";

it("creates and destroys 20 resources under a 10 req/s limit, with no 429 past the first second and at most 2.5 polls per resource", async () => {
  const report = await runScaleBench({ instances: 10, backupsPerInstance: 1, rateLimit: 10 });
  console.log(formatScaleReport(report));
  for (const phase of [report.up, report.destroy]) {
    expect(phase.errors).toEqual([]);
    expect(phase.failedResources).toBe(0);
    expect(phase.unretriedThrottles).toBe(0);
    expect(phase.throttledAfterFirstSecond).toBe(0);
  }
  expect(report.up.statusPollsPerResource).toBeLessThanOrEqual(2.5);
}, 120_000);
