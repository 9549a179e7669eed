// `pulumi-dbaas backup download` against the emulator for Scaleway RDB, Serverless SQL and Scalingo: written files are
// byte-identical to what the emulator serves, stdout output, unknown ids, missing credentials, expired URLs, usage;
// on the real data plane, a downloaded RDB file loads with pg_restore and brings the rows back.
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { runBackupCommands } from "../../cli/backup";
import { downloadFileName, downloadToTarget, progressLine } from "../../cli/download-file";
import { DEFAULT_SCALINGO_API_TOKEN, scalingoEnvironment } from "../../emulator/scalingo";
import { type RunningEmulator, startEmulator } from "../../emulator/server";
import { RdbApi, ScalingoClient, ServerlessSqlApi } from "../../sdk";
import { postgres } from "../emulator/real-plane-helpers";
import {
  Capture,
  scalewayEnv as emulatorScalewayEnv,
  readyInstance,
  runCommand,
  UNKNOWN_UUID,
} from "./helpers";

const REPO = path.resolve(__dirname, "../..");
const DAY = 24 * 60 * 60 * 1000;
let emulator: RunningEmulator;
/** Added to the real clock by the emulator, to age download URLs while the command keeps the real clock. */
const clock = { offsetMs: 0 };
let workDir: string;

function scalewayEnv(): Record<string, string> {
  return emulatorScalewayEnv(emulator.url);
}

function scalingoEnv(): Record<string, string> {
  return Object.fromEntries(scalingoEnvironment(emulator.url, {}));
}

async function run(args: string[], env: Record<string, string> = { ...scalewayEnv(), ...scalingoEnv() }) {
  return runCommand(runBackupCommands, ["download", ...args], env, workDir);
}

function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

async function served(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

async function serverlessBackup(): Promise<{ api: ServerlessSqlApi; backupId: string }> {
  const api = new ServerlessSqlApi({ env: scalewayEnv() });
  const database = await api.createDatabase({ name: "orders", cpuMin: 0, cpuMax: 1 });
  const response = await fetch(`${emulator.url}/_emulator/serverless/backups`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ database_id: database.id }),
  });
  return { api, backupId: ((await response.json()) as { id: string }).id };
}

async function rdbBackup(): Promise<{ api: RdbApi; backupId: string }> {
  const api = new RdbApi({ env: scalewayEnv() });
  const instance = await readyInstance(emulator.url, "cli-download");
  const backup = await api.createDatabaseBackup({
    instanceId: instance.id,
    databaseName: "rdb",
    name: "cli",
  });
  return { api, backupId: backup.id };
}

async function scalingoBackup(): Promise<{
  client: ScalingoClient;
  ref: Record<"app" | "addonId" | "backupId", string>;
}> {
  const addonId = `ad-cli-${Math.random().toString(16).slice(2, 10)}`;
  const response = await fetch(`${emulator.url}/_emulator/scalingo/databases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: "shop", addon_id: addonId }),
  });
  expect(response.status).toBe(201);
  const client = new ScalingoClient({ env: scalingoEnv() });
  const backup = await client.createBackup({ app: "shop", addonId });
  return { client, ref: { app: "shop", addonId, backupId: backup.id } };
}

beforeAll(async () => {
  emulator = await startEmulator({
    profile: "instant",
    dataPlane: postgres ? "real" : "simulated",
    now: () => Date.now() + clock.offsetMs,
  });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  clock.offsetMs = 0;
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-download-"));
});

afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("serverless", () => {
  test("exports, then writes the file under the server's name, byte-identical to what is served", async () => {
    const { api, backupId } = await serverlessBackup();
    const result = await run(["serverless", `fr-par/${backupId}`]);
    expect(result.code).toBe(0);
    const [name] = filesIn(workDir);
    expect(name).toMatch(new RegExp(`^orders-${backupId}\\.(sql|custom)$`));
    const url = String((await api.getBackup({ backupId })).downloadUrl);
    expect(sha256(fs.readFileSync(path.join(workDir, name)))).toBe(sha256(await served(url)));
    expect(result.stderr).toContain("exporting");
    expect(result.stderr).toMatch(/100%/);
    expect(result.stderr).not.toContain(new URL(url).search);
  });

  test("--output - writes the bytes to stdout, progress to stderr, and reuses a valid export", async () => {
    const { api, backupId } = await serverlessBackup();
    expect((await run(["serverless", backupId, "--output", path.join(workDir, "first.sql")])).code).toBe(0);
    const exportsBefore = emulator.requests().filter((request) => request.path.endsWith("/export")).length;
    const result = await run(["serverless", backupId, "-o", "-"]);
    expect(result.code).toBe(0);
    const url = String((await api.getBackup({ backupId })).downloadUrl);
    expect(sha256(result.stdout.buffer())).toBe(sha256(await served(url)));
    expect(result.stderr).toMatch(/100%/);
    expect(emulator.requests().filter((request) => request.path.endsWith("/export"))).toHaveLength(
      exportsBefore,
    );
    expect(filesIn(workDir)).toEqual(["first.sql"]);
  });

  test("a URL refused as expired (403) is exported again once and the download succeeds", async () => {
    const { api, backupId } = await serverlessBackup();
    expect((await run(["serverless", backupId, "-o", path.join(workDir, "first.sql")])).code).toBe(0);
    const firstUrl = String((await api.getBackup({ backupId })).downloadUrl);
    // Two days later for the emulator: its one-day URL is refused, though the command's clock still trusts it.
    clock.offsetMs = 2 * DAY;
    const result = await run(["serverless", backupId, "-o", path.join(workDir, "second.sql")]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("has expired; exporting it again");
    expect(result.stderr).not.toContain(new URL(firstUrl).search);
    const secondUrl = String((await api.getBackup({ backupId })).downloadUrl);
    expect(secondUrl).not.toBe(firstUrl);
    expect(sha256(fs.readFileSync(path.join(workDir, "second.sql")))).toBe(sha256(await served(secondUrl)));
    expect(filesIn(workDir)).toEqual(["first.sql", "second.sql"]);
  });

  test("an unknown backup is one line, exit 1", async () => {
    const result = await run(["serverless", `fr-par/${UNKNOWN_UUID}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `pulumi-dbaas backup download: serverless backup fr-par/${UNKNOWN_UUID} was not found, or these credentials may not read it\n`,
    );
    expect(filesIn(workDir)).toEqual([]);
  });
});

describe("scaleway", () => {
  test("waits for the backup, exports it, writes a byte-identical file; unknown ids exit 1", async () => {
    const { api, backupId } = await rdbBackup();
    const result = await run(["scaleway", backupId, "--output", `${workDir}/`]);
    expect(result.code).toBe(0);
    const url = String((await api.getDatabaseBackup({ databaseBackupId: backupId })).downloadUrl);
    const [name] = filesIn(workDir);
    expect(sha256(fs.readFileSync(path.join(workDir, name)))).toBe(sha256(await served(url)));
    expect(result.stderr).toContain("exporting");

    const unknown = await run(["scaleway", `fr-par/${UNKNOWN_UUID}`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `pulumi-dbaas backup download: scaleway backup fr-par/${UNKNOWN_UUID} was not found\n`,
    );
  });

  test("missing credentials name the environment variable", async () => {
    const before = emulator.requests().length;
    const result = await run(["scaleway", UNKNOWN_UUID], { SCW_API_URL: emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("SCW_SECRET_KEY");
    expect(emulator.requests()).toHaveLength(before);
  });
});

describe("scalingo", () => {
  test("both id forms write the archive byte-identical to a fresh archive link; stdout works too", async () => {
    const { client, ref } = await scalingoBackup();
    const expected = sha256(await served((await client.getBackupArchive(ref)).downloadUrl));

    const full = await run([
      "scalingo",
      `${ref.app}/${ref.addonId}/${ref.backupId}`,
      "-o",
      path.join(workDir, "a.tgz"),
    ]);
    expect(full.code).toBe(0);
    expect(sha256(fs.readFileSync(path.join(workDir, "a.tgz")))).toBe(expected);

    const flags = await run(["scalingo", ref.backupId, "--app", ref.app, "--addon", ref.addonId]);
    expect(flags.code).toBe(0);
    const named = filesIn(workDir).filter((name) => name !== "a.tgz");
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(/\.tar\.gz$/);
    expect(sha256(fs.readFileSync(path.join(workDir, named[0])))).toBe(expected);

    const piped = await run(["scalingo", `${ref.app}/${ref.addonId}/${ref.backupId}`, "--output=-"]);
    expect(piped.code).toBe(0);
    expect(sha256(piped.stdout.buffer())).toBe(expected);
  });

  test("unknown backup and missing token are one line, exit 1", async () => {
    const { ref } = await scalingoBackup();
    const unknown = await run(["scalingo", `${ref.app}/${ref.addonId}/000000000000000000000000`]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^pulumi-dbaas backup download: scalingo backup .* was not found\n$/);

    const env = scalingoEnv();
    delete env.SCALINGO_API_TOKEN;
    const missing = await run(["scalingo", `${ref.app}/${ref.addonId}/${ref.backupId}`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("SCALINGO_API_TOKEN");
    expect(missing.stderr).not.toContain(DEFAULT_SCALINGO_API_TOKEN);
  });
});

/** Rows every restore check writes before the backup and expects back. */
const ORDERS = [
  { id: 1, item: "book" },
  { id: 2, item: "pen" },
];

function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Runs a PostgreSQL tool (or tar) asynchronously, the password in PGPASSWORD, never on the command line. */
function runTool(program: string, args: string[], password?: string): Promise<string> {
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) =>
    execFile(program, args, { env }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    ),
  );
}

/** The RDB instance the downloaded files are restored into, each into a scratch database of its own. */
let restoreTarget: Promise<{ id: string; port: number }> | undefined;
let scratchCount = 0;

/** Loads a downloaded pg_dump archive with pg_restore into a new scratch database; answers its `orders` rows. */
async function restoredOrders(file: string): Promise<unknown[]> {
  restoreTarget ??= readyInstance(emulator.url, "restore-target").then((instance) => ({
    id: instance.id,
    port: Number((instance.endpoints?.[0] ?? instance.endpoint)?.port),
  }));
  const target = await restoreTarget;
  scratchCount += 1;
  const scratch = `scratch_${scratchCount}`;
  await new RdbApi({ env: scalewayEnv() }).createDatabase({ instanceId: target.id, name: scratch });
  const conninfo = `host=127.0.0.1 port=${target.port} user=admin_user dbname=${scratch} sslmode=require`;
  await runTool(
    postgres?.pg_restore ?? "pg_restore",
    ["--no-owner", "-d", conninfo, file],
    "thiZ_is_v&ry_s3cret",
  );
  const rows = `${emulator.url}/_emulator/scaleway-rdb/instances/${target.id}/databases/${scratch}/tables/orders/rows`;
  return ((await (await fetch(rows)).json()) as { rows: unknown[] }).rows;
}

/** The SCALINGO_POSTGRESQL_URL the app's variables give, through the main API as a client would read it. */
async function scalingoPostgresUrl(app: string): Promise<URL> {
  const env = scalingoEnv();
  const basic = Buffer.from(`:${env.SCALINGO_API_TOKEN}`).toString("base64");
  const exchange = await postJson(
    `${env.SCALINGO_AUTH_URL}/v1/tokens/exchange`,
    {},
    { authorization: `Basic ${basic}` },
  );
  const { token } = (await exchange.json()) as { token: string };
  const answer = await fetch(`${env.SCALINGO_API_URL}/v1/apps/${app}/variables`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { variables } = (await answer.json()) as { variables: Array<{ name: string; value: string }> };
  return new URL(String(variables.find((variable) => variable.name === "SCALINGO_POSTGRESQL_URL")?.value));
}

(postgres ? describe : describe.skip)(
  "a downloaded file loads with pg_restore and has the rows (real data plane)",
  () => {
    test("scaleway", async () => {
      const api = new RdbApi({ env: scalewayEnv() });
      const instance = await readyInstance(emulator.url, "cli-restore");
      const rows = `${emulator.url}/_emulator/scaleway-rdb/instances/${instance.id}/databases/rdb/tables/orders/rows`;
      expect((await postJson(rows, { rows: ORDERS })).status).toBe(201);
      const backup = await api.createDatabaseBackup({
        instanceId: instance.id,
        databaseName: "rdb",
        name: "rows",
      });
      expect((await run(["scaleway", backup.id, "--output", `${workDir}/`])).code).toBe(0);
      const [name] = filesIn(workDir);
      expect(name).toMatch(/\.custom$/);
      expect(await restoredOrders(path.join(workDir, name))).toEqual(ORDERS);
    });

    test("serverless", async () => {
      const api = new ServerlessSqlApi({ env: scalewayEnv() });
      const database = await api.createDatabase({ name: "shop", cpuMin: 0, cpuMax: 1 });
      const rows = `${emulator.url}/_emulator/serverless/databases/${database.id}/tables/orders/rows`;
      expect((await postJson(rows, { rows: ORDERS })).status).toBe(201);
      const taken = await postJson(`${emulator.url}/_emulator/serverless/backups`, {
        database_id: database.id,
      });
      const backupId = ((await taken.json()) as { id: string }).id;
      expect((await run(["serverless", backupId, "--output", `${workDir}/`])).code).toBe(0);
      const [name] = filesIn(workDir);
      expect(name).toBe(`shop-${backupId}.custom`);
      expect(await restoredOrders(path.join(workDir, name))).toEqual(ORDERS);
    });

    test("scalingo: SCALINGO_POSTGRESQL_URL is a real login; the archive holds a dump that restores", async () => {
      const addonId = `ad-rows-${Math.random().toString(16).slice(2, 10)}`;
      const created = await postJson(`${emulator.url}/_emulator/scalingo/databases`, {
        app: "rows-app",
        addon_id: addonId,
      });
      expect(created.status).toBe(201);
      const url = await scalingoPostgresUrl("rows-app");
      const password = decodeURIComponent(url.password);
      url.password = "";
      const sql =
        "CREATE TABLE orders (id bigint, item text); INSERT INTO orders VALUES (1, 'book'), (2, 'pen');";
      await runTool(postgres?.psql ?? "psql", ["-X", "-q", "-d", url.toString(), "-c", sql], password);
      const backup = await new ScalingoClient({ env: scalingoEnv() }).createBackup({
        app: "rows-app",
        addonId,
      });
      expect(
        (await run(["scalingo", `rows-app/${addonId}/${backup.id}`, "--output", `${workDir}/`])).code,
      ).toBe(0);
      const [archive] = filesIn(workDir);
      expect(archive).toMatch(/\.tar\.gz$/);
      const extracted = path.join(workDir, "extracted");
      fs.mkdirSync(extracted);
      await runTool("tar", ["-xzf", path.join(workDir, archive), "-C", extracted]);
      const [dump] = filesIn(extracted);
      expect(dump).toMatch(/\.pgsql$/);
      expect(await restoredOrders(path.join(extracted, dump))).toEqual(ORDERS);
    });
  },
);

describe("usage", () => {
  test.each([
    [["serverless"], "expected <platform> <backup id>"],
    [["mysql", UNKNOWN_UUID], 'unknown platform "mysql"'],
    [["serverless", UNKNOWN_UUID, "--verbose"], 'unknown option "--verbose"'],
    [["serverless", UNKNOWN_UUID, "--output"], "--output needs a value"],
    [["scaleway", UNKNOWN_UUID, "--app", "shop"], "--app and --addon only apply to scalingo"],
    [["scalingo", "bk-1"], "is not a Scalingo backup id"],
    [["scalingo", "shop/ad-1/bk-1", "--app", "shop", "--addon", "ad-1"], "not both"],
    [["serverless", "fr-par/a/b"], "is not a backup id"],
  ])("%j is bad usage (exit 2) before any API call", async (args, message) => {
    const before = emulator.requests().length;
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toContain(message);
    expect(result.stderr).toContain("usage: pulumi-dbaas backup download");
    expect(emulator.requests()).toHaveLength(before);
  });

  test("the installed command sets the exit code and prints no stack", () => {
    const child = spawnSync(
      process.execPath,
      [path.join(REPO, "bin/pulumi-dbaas.js"), "backup", "download", "x"],
      {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "" },
      },
    );
    expect(child.status).toBe(2);
    expect(child.stderr).toContain("expected <platform> <backup id>");
    expect(child.stderr).not.toMatch(/\n\s+at /);
    const missing = spawnSync(
      process.execPath,
      [path.join(REPO, "bin/pulumi-dbaas.js"), "backup", "download", "serverless", UNKNOWN_UUID],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(
      /^pulumi-dbaas backup download: Scaleway credentials are missing: set SCW_SECRET_KEY/,
    );
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("helpers", () => {
  test("file names come from Content-Disposition, then the URL path, and never escape the directory", () => {
    const url = "http://127.0.0.1/_emulator/downloads/id/db%20dump.sql?X-Amz-Signature=abc";
    expect(downloadFileName(url, 'attachment; filename="../../etc/passwd"', "fallback")).toBe("passwd");
    expect(downloadFileName(url, null, "fallback")).toBe("db dump.sql");
    expect(downloadFileName("http://127.0.0.1/", null, "fallback")).toBe("fallback");
    expect(downloadFileName(url, "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.sql", "x")).toBe(
      "résumé.sql",
    );
  });

  test("a download cut short leaves no file behind", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-length": "1000" });
      response.write(Buffer.alloc(10));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(
        downloadToTarget({
          url: `http://127.0.0.1:${port}/dump.sql?X-Amz-Signature=secret`,
          target: { kind: "directory", dir: workDir },
          fallbackName: "backup",
          stdout: new Capture(),
          stderr: new Capture(),
        }),
      ).rejects.toThrow();
      expect(filesIn(workDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("the progress line shows percent only when the size is known", () => {
    expect(progressLine(512, 1024, 1000)).toBe(
      `[${"#".repeat(12)}${"-".repeat(12)}]  50%  512 B / 1.0 KiB  512 B/s`,
    );
    expect(progressLine(3 * 1024 * 1024, undefined, 2000)).toBe("3.0 MiB  1.5 MiB/s");
  });
});
