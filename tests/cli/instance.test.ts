// `pulumi-dbaas instance …` against the emulator: listing and reading instances, the actions and their waits, the
// certificate, prepared logs, --json and --no-wait, id forms, unknown ids, missing credentials and bad usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { runInstanceCli } from "../../cli/instance";
import type { Instance, InstanceLog } from "../../sdk";
import { cliSuite, runBin, scalewayEnv, UNKNOWN_UUID } from "./helpers";

const suite = cliSuite(runInstanceCli, "cli-instance");
const { run, runJson } = suite;

function requestsSince(count: number) {
  return suite.emulator.requests().slice(count);
}

describe("reading", () => {
  test("list prints a table of regional ids, and --json the instances; --name filters", async () => {
    const table = await run(["list"]);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.text().trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+ENGINE\s+NODE TYPE\s+STATUS\s+ENDPOINT$/);
    expect(rows.some((row) => row.startsWith(`fr-par/${suite.instance.id}  cli-instance`))).toBe(true);

    const listed = await runJson<Instance[]>(["list", "--name", "cli-inst"]);
    expect(listed.map((item) => item.id)).toEqual([suite.instance.id]);
    expect(await runJson<Instance[]>(["list", "--name", "no-such-name"])).toEqual([]);
    expect((await run(["list", "--name", "no-such-name"])).stdout.text()).toBe("no instances\n");
  });

  test("get takes {region}/{uuid}, or a bare uuid with --region or the default region", async () => {
    const text = await run(["get", `fr-par/${suite.instance.id}`]);
    expect(text.code).toBe(0);
    expect(text.stdout.text()).toMatch(
      new RegExp(`^id\\s+fr-par/${suite.instance.id}\\nname\\s+cli-instance\\n`),
    );
    expect(text.stdout.text()).toMatch(/\nstatus\s+ready\n/);
    expect((await runJson<Instance>(["get", suite.instance.id, "--region", "fr-par"])).id).toBe(
      suite.instance.id,
    );
    expect((await runJson<Instance>(["get", suite.instance.id])).name).toBe("cli-instance");
  });
});

describe("actions", () => {
  test("restart waits, printing status changes with the elapsed time; --json is the ready instance", async () => {
    const result = await run(["restart", suite.instance.id]);
    expect(result.code).toBe(0);
    expect(result.stdout.text()).toBe(
      `restarted: instance fr-par/${suite.instance.id} (cli-instance): ready\n`,
    );
    expect(result.stderr).toMatch(new RegExp(`^instance ${suite.instance.id}: ready \\(\\d+ s\\)$`, "m"));

    const json = await run(["restart", `fr-par/${suite.instance.id}`, "--json"]);
    expect(JSON.parse(json.stdout.text())).toMatchObject({ id: suite.instance.id, status: "ready" });
  });

  test("--no-wait returns after the request without polling", async () => {
    const before = suite.emulator.requests().length;
    const result = await run(["restart", suite.instance.id, "--no-wait", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout.text()).id).toBe(suite.instance.id);
    expect(requestsSince(before).map((request) => request.method)).toEqual(["POST", "GET"]);
  });

  test("apply-maintenance applies the pending one; without one it is a one-line failure", async () => {
    const scheduled = await fetch(
      `${suite.emulator.url}/_emulator/scaleway-rdb/instances/${suite.instance.id}/maintenances`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reason: "minor upgrade" }),
      },
    );
    expect(scheduled.status).toBe(201);
    const applied = await runJson<{ maintenance: { status: string; reason: string }; instance: Instance }>([
      "apply-maintenance",
      suite.instance.id,
    ]);
    expect(applied.maintenance).toMatchObject({ status: "done", reason: "minor upgrade" });
    expect(applied.instance.status).toBe("ready");

    const none = await run(["apply-maintenance", suite.instance.id]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^pulumi-dbaas instance apply-maintenance: .*no pending maintenance.*\n$/);
  });

  test("certificate prints the PEM or writes it; renew-certificate changes it", async () => {
    const printed = await run(["certificate", suite.instance.id]);
    expect(printed.code).toBe(0);
    expect(printed.stdout.text()).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/,
    );

    const file = path.join(suite.workDir, "ca.pem");
    const written = await run(["certificate", suite.instance.id, "--output", file]);
    expect(written.code).toBe(0);
    expect(written.stdout.text()).toBe("");
    expect(fs.readFileSync(file, "utf8")).toBe(printed.stdout.text());

    const renewed = await run(["renew-certificate", suite.instance.id]);
    expect(renewed.code).toBe(0);
    expect(renewed.stdout.text()).toMatch(/^renewed the certificate: instance .*: ready\n$/);
    const after = await runJson<{ pem: string }>(["certificate", suite.instance.id]);
    expect(after.pem).not.toBe(printed.stdout.text());
  });
});

describe("logs", () => {
  test("prepare, list, download (all, one, to stdout) and purge", async () => {
    const prepared = await run([
      "logs",
      "prepare",
      suite.instance.id,
      "--start",
      "2020-01-01T00:00:00Z",
      "--json",
    ]);
    expect(prepared.code).toBe(0);
    const logs = JSON.parse(prepared.stdout.text()) as InstanceLog[];
    expect(logs).toHaveLength(1);
    expect(logs[0].status).toBe("ready");
    expect(logs[0].downloadUrl).toMatch(/\?\[REDACTED\]$/);
    expect(prepared.stderr).toContain("logs download");

    const listed = await run(["logs", "list", suite.instance.id]);
    expect(listed.stdout.text()).toMatch(new RegExp(`^LOG ID\\s+NODE\\s+STATUS.*\\n${logs[0].id}\\s+`));

    const all = await run(["logs", "download", suite.instance.id]);
    expect(all.code).toBe(0);
    expect(fs.readdirSync(suite.workDir)).toEqual([`${logs[0].id}.log`]);
    expect(fs.readFileSync(path.join(suite.workDir, `${logs[0].id}.log`), "utf8")).toContain(
      "log of instance cli-instance",
    );

    const one = await run([
      "logs",
      "download",
      suite.instance.id,
      logs[0].id,
      "-o",
      path.join(suite.workDir, "one.log"),
      "--json",
    ]);
    expect(JSON.parse(one.stdout.text())).toEqual([
      expect.objectContaining({ id: logs[0].id, path: path.join(suite.workDir, "one.log") }),
    ]);
    const piped = await run(["logs", "download", suite.instance.id, "-o", "-"]);
    expect(piped.stdout.text()).toContain("log of instance cli-instance");

    const unknownLog = await run(["logs", "download", suite.instance.id, UNKNOWN_UUID]);
    expect(unknownLog.code).toBe(1);
    expect(unknownLog.stderr).toContain(
      `instance log fr-par/${UNKNOWN_UUID} was not found among the prepared logs`,
    );

    expect((await run(["logs", "purge", suite.instance.id])).code).toBe(0);
    expect((await run(["logs", "list", suite.instance.id])).stdout.text()).toBe("no prepared logs\n");
    const none = await run(["logs", "download", suite.instance.id]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no prepared logs: run `pulumi-dbaas instance logs prepare` first\n$/);
  });
});

describe("failures", () => {
  test("an unknown instance is one line naming it, exit 1", async () => {
    const result = await run(["get", UNKNOWN_UUID]);
    expect(result.code).toBe(1);
    expect(result.stdout.text()).toBe("");
    expect(result.stderr).toBe(`pulumi-dbaas instance get: instance fr-par/${UNKNOWN_UUID} was not found\n`);
    const restart = await run(["restart", `nl-ams/${UNKNOWN_UUID}`, "--json"]);
    expect(restart.stderr).toBe(
      `pulumi-dbaas instance restart: instance nl-ams/${UNKNOWN_UUID} was not found\n`,
    );
  });

  test("missing credentials name SCW_SECRET_KEY, before any request", async () => {
    const before = suite.emulator.requests().length;
    const result = await run(["list"], { SCW_API_URL: suite.emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "pulumi-dbaas instance list: Scaleway credentials are missing: set SCW_SECRET_KEY (and SCW_API_URL to use another endpoint)\n",
    );
    expect(suite.emulator.requests()).toHaveLength(before);
  });

  test.each([
    [["restart"], "expected <instance id>, got 0 argument(s)"],
    [["get", UNKNOWN_UUID, "extra"], "expected <instance id>, got 2 argument(s)"],
    [["get", UNKNOWN_UUID, "--verbose"], 'unknown option "--verbose"'],
    [["get", "not-a-uuid"], '"not-a-uuid" is not an instance id'],
    [["get", `fr-par/${UNKNOWN_UUID}`, "--region", "nl-ams"], "is in fr-par, but --region says nl-ams"],
    [["get", UNKNOWN_UUID, "--region", "us-east"], 'unknown region "us-east"'],
    [["restart", UNKNOWN_UUID, "--timeout", "soon"], "--timeout takes a duration"],
    [["logs", "prepare", UNKNOWN_UUID, "--start", "yesterday"], "--start takes an RFC 3339 date"],
    [["frobnicate"], 'unknown subcommand "frobnicate"'],
  ])("%j is bad usage (exit 2) before any request", (args, message) => suite.expectUsageError(args, message));

  test("--help documents the subcommand and exits 0", async () => {
    const result = await run(["logs", "download", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout.text()).toMatch(
      /^usage: pulumi-dbaas instance logs download <instance id> \[log id\] \[--output FILE\|DIR\|-\]/,
    );
    expect(result.stdout.text()).toContain("--no-wait");
    expect((await run([])).code).toBe(2);
  });

  test("the installed command: exit codes, one line, no stack, no secret", async () => {
    const env = scalewayEnv(suite.emulator.url);
    const unknown = await runBin(["instance", "get", UNKNOWN_UUID], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`pulumi-dbaas instance get: instance fr-par/${UNKNOWN_UUID} was not found\n`);
    const listed = await runBin(["instance", "list", "--json"], env);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).length).toBeGreaterThan(0);
    const usage = await runBin(["instance", "restart"], env);
    expect(usage.status).toBe(2);
    for (const child of [unknown, listed, usage]) {
      expect(child.stderr).not.toMatch(/\n\s+at /);
      expect(child.stdout + child.stderr).not.toContain(env.SCW_SECRET_KEY);
    }
  });
});
