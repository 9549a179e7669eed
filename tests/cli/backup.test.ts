// `pulumi-dbaas backup list|get|create|export|restore` against the emulator: waits, --json, --no-wait, id forms,
// download URLs printed without their signature, unknown ids, missing credentials and bad usage.
import { runBackupCommands } from "../../cli/backup";
import { type DatabaseBackup, type Instance, RdbApi } from "../../sdk";
import { cliSuite, runBin, scalewayEnv, UNKNOWN_UUID } from "./helpers";

const suite = cliSuite(runBackupCommands, "cli-backup");
const { run, runJson } = suite;

describe("create and read", () => {
  test("create waits for the backup; the name defaults to database and time; --expires-in sets the expiry", async () => {
    const result = await run(["create", `fr-par/${suite.instance.id}`, "--expires-in", "7d"]);
    expect(result.code).toBe(0);
    expect(result.stdout.text()).toMatch(
      /^created backup fr-par\/[0-9a-f-]{36} "rdb-\d{8}-\d{6}" of database rdb on instance cli-backup .*: ready, /,
    );
    expect(result.stderr).toMatch(/^database backup [0-9a-f-]{36}: ready \(\d+ s\)$/m);
    const id = /fr-par\/([0-9a-f-]{36})/.exec(result.stdout.text())?.[1] ?? "";
    const backup = await runJson<DatabaseBackup>(["get", id, "--region", "fr-par"]);
    expect(Date.parse(String(backup.expiresAt)) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
  });

  test("create --no-wait --json answers the backup as the API did, without polling it", async () => {
    const before = suite.emulator.requests().length;
    const result = await run(["create", suite.instance.id, "--name", "quick", "--no-wait", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const backup = JSON.parse(result.stdout.text()) as DatabaseBackup;
    expect(backup).toMatchObject({ name: "quick", instanceId: suite.instance.id, status: "creating" });
    const methods = suite.emulator.requests().slice(before);
    expect(methods.map((request) => request.method)).toEqual(["POST"]);
  });

  test("list filters by instance and name; text is a table, --json the backups", async () => {
    const named = await runJson<DatabaseBackup[]>([
      "list",
      "--instance",
      suite.instance.id,
      "--name",
      "quick",
    ]);
    expect(named.map((backup) => backup.name)).toEqual(["quick"]);
    const table = await run(["list", "--instance", `fr-par/${suite.instance.id}`]);
    const [header, ...rows] = table.stdout.text().trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+INSTANCE\s+DATABASE\s+STATUS\s+SIZE\s+CREATED\s+EXPIRES$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^fr-par\/[0-9a-f-]{36}\s+quick\s+cli-backup\s+rdb\s+ready\s/);
    expect((await run(["list", "--name", "nothing-like-this"])).stdout.text()).toBe("no backups\n");
  });
});

describe("export and restore", () => {
  let backupId: string;

  beforeAll(async () => {
    const api = new RdbApi({ env: scalewayEnv(suite.emulator.url) });
    const backup = await api.createDatabaseBackup({
      instanceId: suite.instance.id,
      databaseName: "rdb",
      name: "restorable",
    });
    backupId = (await api.waitForDatabaseBackup({ databaseBackupId: backup.id })).id;
  });

  test("export waits for the download URL and prints it without its signature", async () => {
    const result = await run(["export", backupId]);
    expect(result.code).toBe(0);
    const api = new RdbApi({ env: scalewayEnv(suite.emulator.url) });
    const url = String((await api.getDatabaseBackup({ databaseBackupId: backupId })).downloadUrl);
    const query = new URL(url).search;
    expect(query.length).toBeGreaterThan(1);
    expect(result.stdout.text()).toContain(`${url.slice(0, url.indexOf("?"))}?[REDACTED]`);
    expect(result.stdout.text()).toContain(`pulumi-dbaas backup download scaleway fr-par/${backupId}`);
    const json = await run(["export", backupId, "--json"]);
    expect(JSON.parse(json.stdout.text()).downloadUrl).toMatch(/\?\[REDACTED\]$/);
    for (const output of [result, json])
      expect(output.stdout.text() + output.stderr).not.toContain(query.slice(1));
  });

  test("restore waits for the instance and the backup; --json is {backup, instance}", async () => {
    const result = await run(["restore", backupId, "--instance", suite.instance.id, "--database", "rdb"]);
    expect(result.code).toBe(0);
    expect(result.stdout.text()).toBe(
      `restored backup fr-par/${backupId} "restorable" into database rdb of instance fr-par/${suite.instance.id} (cli-backup): ready\n`,
    );
    const json = await runJson<{ backup: DatabaseBackup; instance: Instance }>([
      "restore",
      `fr-par/${backupId}`,
      "--instance",
      `fr-par/${suite.instance.id}`,
    ]);
    expect(json.backup.status).toBe("ready");
    expect(json.instance.status).toBe("ready");
    const quick = await runJson<{ instance: null }>([
      "restore",
      backupId,
      "--instance",
      suite.instance.id,
      "--no-wait",
    ]);
    expect(quick.instance).toBeNull();
  });

  test("restoring into an unknown instance names that instance", async () => {
    const result = await run(["restore", backupId, "--instance", UNKNOWN_UUID]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `pulumi-dbaas backup restore: instance fr-par/${UNKNOWN_UUID} was not found\n`,
    );
  });
});

describe("failures", () => {
  test("an unknown backup is one line naming it, exit 1", async () => {
    const result = await run(["get", `pl-waw/${UNKNOWN_UUID}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`pulumi-dbaas backup get: backup pl-waw/${UNKNOWN_UUID} was not found\n`);
  });

  test("missing credentials name SCW_SECRET_KEY, through the installed command too", async () => {
    const result = await run(["list"], { SCW_API_URL: suite.emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^pulumi-dbaas backup list: Scaleway credentials are missing: set SCW_SECRET_KEY/,
    );
    const child = await runBin(["backup", "create", suite.instance.id], { SCW_API_URL: suite.emulator.url });
    expect(child.status).toBe(1);
    expect(child.stderr.trim().split("\n")).toHaveLength(1);
    expect(child.stderr).toContain("SCW_SECRET_KEY");
  });

  test.each([
    [["restore", UNKNOWN_UUID], "--instance is required"],
    [["restore", `fr-par/${UNKNOWN_UUID}`, "--instance", `nl-ams/${UNKNOWN_UUID}`], "only be restored into"],
    [["create", UNKNOWN_UUID, "--expires-at", "2001-01-01T00:00:00Z"], "is in the past"],
    [["create", UNKNOWN_UUID, "--expires-at", "2099-01-01T00:00:00Z", "--expires-in", "1d"], "not both"],
    [["create", UNKNOWN_UUID, "--expires-in", "a week"], "--expires-in takes a duration"],
    [["export"], "expected <backup id>, got 0 argument(s)"],
    [["list", "--instance"], "--instance needs a value"],
    [["get", "fr-par/a/b"], "is not a backup id"],
  ])("%j is bad usage (exit 2) before any request", (args, message) => suite.expectUsageError(args, message));

  test("help: the group lists every subcommand, download keeps its own usage", async () => {
    const group = await run(["--help"]);
    expect(group.code).toBe(0);
    for (const name of ["list", "get", "create", "export", "restore", "download"]) {
      expect(group.stdout.text()).toContain(`pulumi-dbaas backup ${name} `);
    }
    const download = await run(["download", "--help"]);
    expect(download.code).toBe(0);
    expect(download.stdout.text()).toMatch(/^usage: pulumi-dbaas backup download <platform> <backup id>/);
  });
});
