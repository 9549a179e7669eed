// Runs the PostgreSQL programs: as the `postgres` user when the emulator runs as root (PostgreSQL refuses root),
// else as the current user; input on stdin, output collected, errors carrying the program's own message.
import { spawn } from "node:child_process";
import { chownSync, mkdirSync, readFileSync } from "node:fs";

/** Whom the servers run as: undefined means the current user. */
export interface ServerOwner {
  uid: number;
  gid: number;
}

function passwdEntry(name: string): ServerOwner | undefined {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** The owner of the servers' files and processes, or why there can be none. */
export function serverOwner(): ServerOwner | undefined | { missing: string } {
  if (process.getuid?.() !== 0) return undefined;
  return (
    passwdEntry("postgres") ?? {
      missing: "the emulator runs as root and there is no postgres user to run servers as",
    }
  );
}

export class ProgramError extends Error {}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Ignore the program's output (pg_ctl start: the server it leaves behind would keep a pipe open). */
  quiet?: boolean;
}

/** Runs `program` to its end; resolves with its stdout, rejects with its stderr's last lines. */
export function run(
  owner: ServerOwner | undefined,
  program: string,
  args: string[],
  options: RunOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...(owner ?? {}),
      env: { PATH: process.env.PATH ?? "", LC_ALL: "C.UTF-8", ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", options.quiet ? "ignore" : "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve(Buffer.concat(stdout));
      const message = Buffer.concat(stderr).toString("utf8").trim().split("\n").slice(-3).join("; ");
      reject(new ProgramError(`${program.split("/").pop()} failed (exit ${code}): ${message}`));
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input);
  });
}

/** Creates a directory the servers' owner can write (PostgreSQL wants its data directories private to it). */
export function ownedDirectory(owner: ServerOwner | undefined, path: string, mode = 0o700): void {
  mkdirSync(path, { recursive: true, mode });
  if (owner) chownSync(path, owner.uid, owner.gid);
}
