// The emulator's scale flags: `--rate-limit N` (a per-token bucket answering 429 with Retry-After and the real
// body) and `--time-scale F` (every duration of the profile multiplied by F), on the emulator's injectable clock.
import { CliUsageError, parseEmulatorArgs } from "../../emulator/cli";
import { type Harness, instanceBody, REGION_PATH, startHarness } from "./harness";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe("command line", () => {
  test("--rate-limit and --time-scale take positive numbers", () => {
    expect(parseEmulatorArgs(["--rate-limit", "10", "--time-scale=0.05"])).toEqual({
      rateLimit: 10,
      timeScale: 0.05,
    });
    for (const bad of [
      ["--rate-limit", "0"],
      ["--rate-limit", "-1"],
      ["--time-scale", "fast"],
    ]) {
      expect(() => parseEmulatorArgs(bad)).toThrow(CliUsageError);
    }
  });
});

describe("--rate-limit", () => {
  const list = (token: string) =>
    fetch(`${harness?.emulator.url}${REGION_PATH}/instances`, { headers: { "x-auth-token": token } });

  test("each token gets its own bucket; past it, 429 with Retry-After and the real body", async () => {
    harness = await startHarness({ rateLimit: 4 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await list("token-a"));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(answers[2].headers.get("retry-after")).toBe("1");
    expect(await answers[2].json()).toEqual({
      message: "too many requests",
      type: "too_many_requests",
      help_message: "at most 4 requests per second",
      limit: { quota: 4, window_seconds: 1 },
    });
    expect((await list("token-b")).status).toBe(200);
    harness.clock.now += 250;
    expect((await list("token-a")).status).toBe(200);
    const state = await fetch(`${harness.emulator.url}/_emulator/rate-limit`);
    expect(await state.json()).toEqual({
      rate_limit: null,
      per_token_rate_limit: { requests_per_second: 4, burst: 2, path: "/**", retry_after_seconds: 1 },
    });
  });
});

describe("--time-scale", () => {
  test("realistic × 0.05 turns the 212 s instance create into 10.6 s", async () => {
    harness = await startHarness({ profile: "realistic", timeScale: 0.05 });
    const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
    expect(created.body.status).toBe("provisioning");
    const status = async () =>
      (await harness?.call("GET", `${REGION_PATH}/instances/${created.body.id}`))?.body.status;
    harness.clock.now += 10_500;
    expect(await status()).toBe("provisioning");
    harness.clock.now += 200;
    expect(await status()).toBe("ready");
  });

  test("rejects a time scale that is not a positive number", async () => {
    await expect(startHarness({ timeScale: 0 })).rejects.toThrow("timeScale must be a positive number");
  });
});
