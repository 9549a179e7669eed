// The demo's restore drill, on the real data plane: rows written through the quickstart instance's
// `connectionString`, an exported backup, a restore into a fresh instance through `scaleway.BackupRestore`, and the
// rows read back through the new instance's `connectionString`.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findBinaries } from "../emulator/postgres/binaries";
import type { EngineCommand, EngineResult } from "../engine";

type Engine = (program: string, command: EngineCommand) => Promise<EngineResult>;

/** Runs SQL through psql with the password of the connection string in PGPASSWORD, never on the command line. */
function psql(psqlPath: string, connectionString: string, sql: string): Promise<string> {
  const url = new URL(connectionString);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return new Promise((resolve, reject) => {
    execFile(
      psqlPath,
      ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url.toString(), "-c", sql],
      { env: { ...process.env, PGPASSWORD: password } },
      (error, stdout, stderr) => (error ? reject(new Error(`psql: ${stderr.trim()}`)) : resolve(stdout)),
    );
  });
}

/** The drill's program: a backup of the source's `rdb`, exported, restored into a fresh instance. */
function drillProgram(root: string, sourceInstanceId: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dbaas-demo-drill-"));
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: restore-drill\nruntime: nodejs\nmain: index.js\n");
  writeFileSync(
    path.join(dir, "index.js"),
    `const pulumi = require("@pulumi/pulumi");
const { scaleway } = require("pulumi-dbaas");
const backup = new scaleway.DatabaseBackup("before-migration", {
  instanceId: ${JSON.stringify(sourceInstanceId)},
  databaseName: "rdb",
  exported: true,
});
const fresh = new scaleway.DatabaseInstance("fresh", { engine: "PostgreSQL-16", nodeType: "db-dev-s" });
const restore = new scaleway.BackupRestore("into-fresh", { backupId: backup.id, instanceId: fresh.id });
exports.backupUrl = backup.downloadUrl;
exports.connectionString = pulumi.all([fresh.connectionString, restore.restoredAt]).apply(([url]) => url);
`,
  );
  return dir;
}

export async function restoreDrill(
  root: string,
  sourceInstanceId: string,
  connectionString: string,
  engine: Engine,
  check: (condition: boolean, message: string) => void,
): Promise<void> {
  const binaries = findBinaries();
  if ("missing" in binaries) {
    process.stdout.write(
      `(restore drill skipped: ${binaries.missing}; the emulator's data plane is simulated)\n`,
    );
    return;
  }
  await psql(binaries.psql, connectionString, "CREATE TABLE orders (id int PRIMARY KEY, item text);");
  await psql(
    binaries.psql,
    connectionString,
    "INSERT INTO orders VALUES (1, 'book'), (2, 'pen'), (3, 'ink');",
  );
  check(true, "wrote 3 rows into the instance with psql through its connectionString output");
  const program = drillProgram(root, sourceInstanceId);
  try {
    const up = await engine(program, "up");
    check(up.ok, "took an exported backup and restored it into a fresh instance (scaleway.BackupRestore)");
    const archive = Buffer.from(await (await fetch(String(up.outputs.backupUrl))).arrayBuffer());
    check(
      archive.subarray(0, 5).toString() === "PGDMP",
      `the export is a pg_dump archive (${archive.length} bytes)`,
    );
    const rows = await psql(
      binaries.psql,
      String(up.outputs.connectionString),
      "SELECT item FROM orders ORDER BY id",
    );
    check(
      rows === "book\npen\nink\n",
      "the fresh instance has the 3 rows, read through its own connectionString",
    );
    const destroy = await engine(program, "destroy");
    check(destroy.ok, "destroyed the drill's backup and instance");
  } finally {
    rmSync(program, { recursive: true, force: true });
  }
}
