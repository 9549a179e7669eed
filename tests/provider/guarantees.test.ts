// What users rely on under failure: invalid programs make no API call, injected faults end in success or a clear
// error with nothing orphaned, and missing credentials are named.
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { apiError } from "../faults";
import { backupReadInError, INSTANCE, opsOf, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(120_000);

const suite = useEmulatorAndProgram();

test("invalid inputs fail check with one message per property and make no mutating API call", async () => {
  const before = suite.emulator.mutatingRequests().length;
  suite.program.declare([
    {
      type: "scaleway.DatabaseInstance",
      name: "bad",
      args: {
        engine: "Oracle-19",
        nodeType: "db-dev-s",
        volumeType: "lssd",
        volumeSizeGb: 7,
        password: "weak",
      },
    },
    {
      type: "scaleway.DatabaseBackup",
      name: "dump",
      args: { instanceId: "not-an-id", expiresAt: "2001-01-01T00:00:00Z" },
    },
    {
      type: "scaleway.BackupSchedule",
      name: "policy",
      args: { instanceId: "fr-par/11111111-1111-1111-1111-111111111111", startHour: 24 },
    },
  ]);
  const result = await suite.program.run("up");
  expect(result.ok).toBe(false);
  const errors = result.errors.join("\n");
  expect(errors).toMatch(/engine.*engine and major version/);
  expect(errors).toMatch(/volumeSizeGb.*multiple of 5/);
  expect(errors).toMatch(/password.*8–128 characters/);
  expect(errors).toMatch(/instanceId.*\{region\}\/\{uuid\}/);
  expect(errors).toMatch(/startHour.*between 0 and 23/);
  expect(errors).not.toContain("weak");
  // The weak password breaks four rules but is reported once, as is every other property.
  for (const property of ["engine", "volumeSizeGb", "password", "instanceId", "startHour"]) {
    expect(errors.split(`${property}:`).length - 1).toBe(1);
  }
  expect(suite.emulator.mutatingRequests().length).toBe(before);
});

test("a backup that expires in the past is refused before any call", async () => {
  suite.program.declare([INSTANCE]);
  await suite.program.ok("up");
  const before = suite.emulator.mutatingRequests().length;
  suite.program.declare([
    INSTANCE,
    {
      type: "scaleway.DatabaseBackup",
      name: "dump",
      args: { instanceId: { ref: "db" }, expiresAt: "2001-01-01T00:00:00Z" },
    },
  ]);
  const result = await suite.program.run("up");
  expect(result.errors.join("\n")).toMatch(/expiresAt.*must be in the future/);
  expect(suite.emulator.mutatingRequests().length).toBe(before);
  await suite.program.ok("destroy");
});

test("429, 503 and dropped connections on idempotent calls are retried to success", async () => {
  const baseline = suite.emulator.mutatingRequests().length;
  await suite.emulator.fault({
    method: "POST",
    path: "/rdb/v1/regions/*/instances",
    count: 1,
    ...apiError(429, "too_many_requests", "slow down", { "Retry-After": "0" }),
  });
  await suite.emulator.fault({ method: "GET", path: "/rdb/v1/regions/*/instances/*", count: 2, status: 503 });
  await suite.emulator.fault({
    method: "PATCH",
    path: "/rdb/v1/regions/*/instances/*",
    drop_connection: true,
  });
  await suite.emulator.fault({
    method: "DELETE",
    path: "/rdb/v1/regions/*/instances/*",
    drop_connection: true,
  });
  suite.program.declare([{ ...INSTANCE, args: { ...INSTANCE.args, logsPolicy: { maxAgeRetention: 10 } } }]);
  expect(opsOf(await suite.program.ok("up"))).toEqual({ db: "create" });
  await suite.program.ok("destroy");
  const requests = suite.emulator.mutatingRequests().slice(baseline);
  const posts = requests.filter((r) => r.method === "POST" && r.path.endsWith("/instances"));
  expect(posts.map((r) => r.status)).toEqual([429, 200]);
  expect(requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([0, 200]);
  expect(requests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([0, 200]);
  expect(await suite.emulator.api().listAllInstances({ region: "fr-par" })).toEqual([]);
});

test("a create refused on a dropped connection is settled in the run: nothing was made, so it is sent once more", async () => {
  suite.program.declare([INSTANCE]);
  await suite.program.ok("up");
  suite.program.declare([
    INSTANCE,
    { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" } } },
  ]);
  await suite.emulator.fault({ method: "POST", path: "/rdb/v1/regions/*/backups", drop_connection: true });
  await suite.program.ok("up");
  expect(suite.program.printed()).toMatch(/dump.*no clear answer \((ECONNRESET|socket hang up)\)/i);
  expect(suite.program.printed()).toMatch(/dump.*no backup was made/);
  expect(await suite.emulator.api().listAllDatabaseBackups({ region: "fr-par" })).toHaveLength(1);
  await suite.program.ok("destroy");
});

test("a backup that ends in error is recorded with its id, not orphaned, and replaced by the next up", async () => {
  suite.program.declare([INSTANCE]);
  await suite.program.ok("up");
  const instanceId = uuidOf(suite.program.resource("db").id!);
  suite.program.declare([
    INSTANCE,
    { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" } } },
  ]);
  await suite.emulator.fault(backupReadInError(instanceId, "db"));
  const failed = await suite.program.run("up");
  expect(failed.ok).toBe(false);
  expect(failed.errors.join("\n")).toMatch(/dump.*did not become ready|status error|error/);
  const recorded = suite.program.resource("dump");
  expect(recorded.id).toMatch(/^fr-par\//);
  const [made] = await suite.emulator.api().listAllDatabaseBackups({ region: "fr-par" });
  expect(recorded.id).toBe(`fr-par/${made.id}`);

  const rerun = await suite.program.ok("up");
  expect(opsOf(rerun).dump).toMatch(/replace|update/);
  const backups = await suite.emulator.api().listAllDatabaseBackups({ region: "fr-par" });
  expect(backups).toHaveLength(1);
  expect(backups[0].status).toBe("ready");
  await suite.program.ok("destroy");
});

test("missing credentials are one clear error naming where to set them, with no request sent", async () => {
  const before = suite.emulator.running.requests().length;
  suite.program.declare([INSTANCE]);
  const result = await suite.program.run("up", {
    env: { ...suite.emulator.env(), SCW_SECRET_KEY: "" },
  });
  expect(result.ok).toBe(false);
  expect(result.errors.join("\n")).toMatch(/dbaas:secretKey.*SCW_SECRET_KEY/);
  expect(suite.emulator.running.requests().length).toBe(before);
});

test("stack config dbaas:* configures the provider without any SCW_* variable", async () => {
  const NO_SCW_VARIABLES = { PULUMI_CONFIG_PASSPHRASE: suite.emulator.env().PULUMI_CONFIG_PASSPHRASE };
  suite.program.declare(
    [INSTANCE],
    {},
    { "dbaas:apiUrl": suite.emulator.url, "dbaas:secretKey": DEFAULT_SECRET_KEY, "dbaas:region": "nl-ams" },
  );
  const withoutProject = await suite.program.run("up", { env: NO_SCW_VARIABLES });
  expect(withoutProject.errors.join("\n")).toMatch(/projectId.*dbaas:projectId.*SCW_DEFAULT_PROJECT_ID/);

  // Three instances: their first calls reach the host together, and the host hands the provider to the others
  // before the first call's configure() has resolved (sdk/nodejs/cmd/dynamic-provider/index.ts getProvider), as
  // under the real CLI; each must still see the config.
  const names = ["db", "db-2", "db-3"];
  suite.program.declare(
    names.map((name) => ({ ...INSTANCE, name })),
    {},
    {
      "dbaas:apiUrl": suite.emulator.url,
      "dbaas:secretKey": DEFAULT_SECRET_KEY,
      "dbaas:region": "nl-ams",
      "dbaas:projectId": DEFAULT_PROJECT_ID,
    },
  );
  const result = await suite.program.run("up", { env: NO_SCW_VARIABLES });
  expect(result.errors).toEqual([]);
  for (const name of names) expect(suite.program.resource(name).id).toMatch(/^nl-ams\//);
  expect(await suite.program.run("destroy", { env: NO_SCW_VARIABLES })).toMatchObject({ ok: true });
});
