// `npm run bench:data-plane`: what the real data plane costs — instance create to first successful connection
// (profile fast), backup and restore of a 10 MB database, and the memory of a running server.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { startEmulator } from "../emulator";
import type { TimeProfile } from "../emulator/framework";
import { findBinaries } from "../emulator/postgres/binaries";

const REGION = "/rdb/v1/regions/fr-par";
const ADMIN = { name: "bench", password: "Bench-Passw0rd!" };
const binaries = findBinaries();

type Json = Record<string, unknown>;

function psql(port: number, sql: string): Promise<string> {
  const psqlPath = "missing" in binaries ? "psql" : binaries.psql;
  const conninfo = `host=127.0.0.1 port=${port} user=${ADMIN.name} dbname=rdb sslmode=require connect_timeout=5`;
  return new Promise((resolve, reject) =>
    execFile(
      psqlPath,
      ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql],
      { env: { ...process.env, PGPASSWORD: ADMIN.password } },
      (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
    ),
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Proportional memory (PSS, shared pages split among their users) of a server: its postmaster and children. */
function serverMemoryMb(postmasterPid: number): { pssMb: number; peakRssMb: number } {
  let pssKb = 0;
  let peakKb = 0;
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number(entry) !== postmasterPid && parent !== postmasterPid) continue;
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, "utf8"))?.[1] ?? 0);
      peakKb = Math.max(
        peakKb,
        Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0),
      );
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { pssMb: pssKb / 1024, peakRssMb: peakKb / 1024 };
}

function postmasterOf(instanceId: string): number {
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (command.some((arg) => arg.endsWith(`/instances/${instanceId}`))) return Number(entry);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  throw new Error(`no server found for instance ${instanceId}`);
}

async function main(): Promise<void> {
  if ("missing" in binaries) throw new Error(`the real data plane needs PostgreSQL: ${binaries.missing}`);
  await run("fast", true);
  // With no floor from the profile, create → ready is the server's own start: template copy, certificate, start.
  await run("instant", false);
}

async function run(profile: TimeProfile, backups: boolean): Promise<void> {
  const emulator = await startEmulator({ profile, dataPlane: "real" });
  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${emulator.url}${REGION}${path}`, {
      method,
      headers: { "x-auth-token": "bench", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Json;
  };
  const until = async (path: string, status: string): Promise<Json> => {
    for (;;) {
      const body = await call("GET", path);
      if (body.status === status) return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const create = (name: string) =>
    call("POST", "/instances", {
      project_id: "22222222-2222-4222-8222-222222222222",
      name,
      engine: "PostgreSQL-15",
      node_type: "DB-DEV-S",
      user_name: ADMIN.name,
      password: ADMIN.password,
      encryption: { enabled: false },
    });
  try {
    await measureCreate(profile, create, until);
    if (backups) await measureBackupAndRestore(create, call, until);
  } finally {
    await emulator.stop();
  }
}

type Create = (name: string) => Promise<Json>;
type Until = (path: string, status: string) => Promise<Json>;

/** The API shows the endpoint once the instance is ready; the first connection is made right then. */
async function measureCreate(profile: TimeProfile, create: Create, until: Until): Promise<void> {
  for (const attempt of ["first (template initialized)", "second"]) {
    const started = Date.now();
    const created = await create(`bench-${attempt.split(" ")[0]}`);
    const ready = await until(`/instances/${String(created.id)}`, "ready");
    const readyAt = Date.now();
    await psql((ready.endpoint as { port: number }).port, "SELECT 1");
    process.stdout.write(
      `profile ${profile}: create → ready ${seconds(readyAt - started)} → first successful connection ${seconds(Date.now() - started)}, ${attempt} instance\n`,
    );
  }
}

async function measureBackupAndRestore(
  create: Create,
  call: (method: string, path: string, body?: unknown) => Promise<Json>,
  until: Until,
): Promise<void> {
  const source = await until(`/instances/${String((await create("bench-source")).id)}`, "ready");
  const target = await until(`/instances/${String((await create("bench-target")).id)}`, "ready");
  const port = (source.endpoint as { port: number }).port;
  await psql(
    port,
    "CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS payload FROM generate_series(1, 110000) g;",
  );
  const size = Number((await psql(port, "SELECT pg_total_relation_size('filler')")).trim());
  let started = Date.now();
  const backup = await call("POST", "/backups", {
    instance_id: source.id,
    database_name: "rdb",
    name: "bench",
  });
  const createdAt = Date.now();
  const ready = await until(`/backups/${String(backup.id)}`, "ready");
  process.stdout.write(
    `backup of a ${(size / 1e6).toFixed(1)} MB table: pg_dump ${seconds(createdAt - started)} (the POST answers when the dump is taken), ready ${seconds(Date.now() - started)}; archive ${(Number(ready.size) / 1e6).toFixed(1)} MB\n`,
  );
  started = Date.now();
  await call("POST", `/backups/${String(backup.id)}/restore`, {
    instance_id: target.id,
    database_name: "restored",
  });
  const restoredAt = Date.now();
  await until(`/instances/${String(target.id)}`, "ready");
  process.stdout.write(
    `restore of it: pg_restore ${seconds(restoredAt - started)} (the POST answers when it is loaded), target ready ${seconds(Date.now() - started)}\n`,
  );
  const memory = serverMemoryMb(postmasterOf(String(source.id)));
  process.stdout.write(
    `memory of a running server after that work: ${memory.pssMb.toFixed(1)} MB PSS (postmaster and its processes, shared pages split); largest process peak RSS ${memory.peakRssMb.toFixed(1)} MB\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
