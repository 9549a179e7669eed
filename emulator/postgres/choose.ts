// `--data-plane real|simulated|auto`: builds the data plane the emulator's PostgreSQL databases live in. `auto` is
// real when the PostgreSQL programs are found (and can be run), simulated otherwise, saying why in one line.
import { chmodSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type DataPlane, SimulatedDataPlane } from "../data-plane";
import { findBinaries } from "./binaries";
import { RUN_DIR_PREFIX, RUN_PID_FILE, removeDeadRuns, stopLeftoverServers } from "./janitor";
import { PerEngineDataPlane } from "./per-engine-data-plane";
import { ownedDirectory, type ServerOwner, serverOwner } from "./processes";
import { RealDataPlane } from "./real-data-plane";

export type DataPlaneChoice = "real" | "simulated" | "auto";

export const DATA_PLANE_CHOICES: DataPlaneChoice[] = ["real", "simulated", "auto"];

export const DEFAULT_MAX_SERVERS = 20;

export interface DataPlaneSettings {
  choice: DataPlaneChoice;
  dataDir: string | undefined;
  maxServers: number;
  log: (line: string) => void;
}

/** Lets the servers' owner reach a directory it does not own by granting search (x) on each ancestor. */
function grantSearch(owner: ServerOwner | undefined, directory: string): void {
  if (!owner) return;
  for (let current = resolve(directory); current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
  }
}

async function realPlane(settings: DataPlaneSettings): Promise<DataPlane | { missing: string }> {
  const binaries = findBinaries();
  if ("missing" in binaries) return binaries;
  const owner = serverOwner();
  if (owner && "missing" in owner) return owner;
  await removeDeadRuns(binaries, owner);
  const runDir = mkdtempSync(join(tmpdir(), RUN_DIR_PREFIX));
  grantSearch(owner, runDir);
  ownedDirectory(owner, join(runDir, "s"));
  writeFileSync(join(runDir, RUN_PID_FILE), String(process.pid));
  const storageDir = settings.dataDir ? join(settings.dataDir, "postgres") : runDir;
  if (settings.dataDir) {
    ownedDirectory(undefined, settings.dataDir, 0o755);
    grantSearch(owner, settings.dataDir);
    ownedDirectory(owner, storageDir);
    await stopLeftoverServers(binaries, owner, join(storageDir, "instances"));
    await stopLeftoverServers(binaries, owner, storageDir);
  }
  const real = new RealDataPlane({
    binaries,
    owner,
    storageDir,
    socketDir: join(runDir, "s"),
    runDir,
    maxServers: settings.maxServers,
    log: settings.log,
  });
  return new PerEngineDataPlane(real);
}

export async function chooseDataPlane(settings: DataPlaneSettings): Promise<DataPlane> {
  if (settings.choice === "simulated") return new SimulatedDataPlane();
  const real = await realPlane(settings);
  if (!("missing" in real)) return real;
  if (settings.choice === "real") throw new Error(`--data-plane real: ${real.missing}`);
  settings.log(`data plane: simulated (${real.missing})`);
  return new SimulatedDataPlane();
}
