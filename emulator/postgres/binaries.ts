// Finds the PostgreSQL programs the real data plane runs: the newest /usr/lib/postgresql/*/bin that has them all,
// else the PATH.
import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

const PROGRAMS = ["initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore", "pg_basebackup"] as const;

export type Program = (typeof PROGRAMS)[number];

export type Binaries = Record<Program, string>;

const DEBIAN_ROOT = "/usr/lib/postgresql";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromDirectory(directory: string): Binaries | undefined {
  const paths = PROGRAMS.map((program) => [program, join(directory, program)] as const);
  return paths.every(([, path]) => isExecutable(path)) ? (Object.fromEntries(paths) as Binaries) : undefined;
}

function debianDirectories(): string[] {
  try {
    return readdirSync(DEBIAN_ROOT)
      .filter((version) => /^\d+$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => join(DEBIAN_ROOT, version, "bin"));
  } catch {
    return [];
  }
}

/** The programs, or why they cannot be used (for the line `auto` prints when it falls back to simulated). */
export function findBinaries(): Binaries | { missing: string } {
  for (const directory of debianDirectories()) {
    const found = fromDirectory(directory);
    if (found) return found;
  }
  const found: Partial<Binaries> = {};
  for (const program of PROGRAMS) {
    const directory = (process.env.PATH ?? "")
      .split(delimiter)
      .find((candidate) => candidate !== "" && isExecutable(join(candidate, program)));
    if (!directory) return { missing: `${program} was not found on the PATH or under ${DEBIAN_ROOT}/*/bin` };
    found[program] = join(directory, program);
  }
  return found as Binaries;
}
