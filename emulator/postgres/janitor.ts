// What a killed emulator leaves behind: servers still running from its data directories, and its run directory in
// the temporary folder. Each new real plane stops those servers and removes the run directories of dead emulators.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Binaries } from "./binaries";
import { run, type ServerOwner } from "./processes";

export const RUN_DIR_PREFIX = "pulumi-dbaas-pg-";
export const RUN_PID_FILE = "emulator.pid";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Stops the server of every data directory under `directory` that still has a postmaster.pid. */
export async function stopLeftoverServers(
  binaries: Binaries,
  owner: ServerOwner | undefined,
  directory: string,
): Promise<void> {
  if (!existsSync(directory)) return;
  for (const name of readdirSync(directory)) {
    const dataDir = join(directory, name);
    if (!existsSync(join(dataDir, "postmaster.pid"))) continue;
    // A stale pid file (its process gone) makes pg_ctl fail; the next start of that server replaces the file.
    await run(owner, binaries.pg_ctl, ["stop", "-s", "-m", "fast", "-D", dataDir]).catch(() => undefined);
  }
}

/** Removes the run directories whose emulator is gone, stopping the servers they hold first. */
export async function removeDeadRuns(binaries: Binaries, owner: ServerOwner | undefined): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(RUN_DIR_PREFIX))) {
    const runDir = join(tmpdir(), name);
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(join(runDir, RUN_PID_FILE), "utf8"));
    } catch {
      // A run directory without its pid file is being created by a starting emulator, or is not ours.
      continue;
    }
    if (Number.isInteger(pid) && isAlive(pid)) continue;
    await stopLeftoverServers(binaries, owner, join(runDir, "instances"));
    await stopLeftoverServers(binaries, owner, runDir);
    rmSync(runDir, { recursive: true, force: true });
  }
}
