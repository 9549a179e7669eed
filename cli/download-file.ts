// Streams a presigned download URL to a file (via a temp file renamed at the end) or to stdout, without holding it in
// memory, with a progress line on stderr. The URL is fetched without credentials: its query string is the credential.
import { randomBytes } from "node:crypto";
import { createWriteStream, type Stats, statSync } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import * as path from "node:path";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { redactDownloadUrl } from "../sdk";

/** The presigned URL was refused (403): it expired, or its signature no longer holds. */
export class ExpiredUrlError extends Error {
  constructor(url: string) {
    super(`the download URL ${redactDownloadUrl(url)} was refused (HTTP 403): it has expired`);
    this.name = "ExpiredUrlError";
  }
}

/** Where the bytes go: `-` for stdout, an existing directory (file name from the server), or a file path. */
export type OutputTarget =
  | { kind: "stdout" }
  | { kind: "directory"; dir: string }
  | { kind: "file"; file: string };

export function outputTarget(output: string | undefined, cwd: string): OutputTarget {
  if (output === "-") return { kind: "stdout" };
  const resolved = path.resolve(cwd, output ?? ".");
  let stats: Stats | undefined;
  try {
    stats = statSync(resolved);
  } catch {
    stats = undefined;
  }
  if (stats?.isDirectory()) return { kind: "directory", dir: resolved };
  if (output?.endsWith("/") || output?.endsWith(path.sep)) {
    throw new Error(`output directory ${resolved} does not exist`);
  }
  return { kind: "file", file: resolved };
}

/** The file name a download should get: Content-Disposition first, then the last segment of the URL path. */
export function downloadFileName(url: string, contentDisposition: string | null, fallback: string): string {
  const fromHeader =
    /filename\*=UTF-8''([^;]+)/i.exec(contentDisposition ?? "")?.[1] ??
    /filename="?([^";]+)"?/i.exec(contentDisposition ?? "")?.[1];
  const fromPath = new URL(url).pathname.split("/").filter(Boolean).pop();
  const candidate = fromHeader ?? fromPath;
  let decoded = candidate;
  try {
    decoded = candidate === undefined ? undefined : decodeURIComponent(candidate);
  } catch {
    decoded = candidate;
  }
  // Never let a server-chosen name escape the target directory.
  const safe = decoded === undefined ? "" : path.basename(decoded.replace(/\\/g, "/"));
  return safe === "" || safe === "." || safe === ".." ? fallback : safe;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const BAR_WIDTH = 24;
/** A terminal redraws one line in place; a log or a pipe gets a new line now and then instead. */
const TTY_REDRAW_MS = 100;
const LOG_LINE_MS = 5000;

export function progressLine(received: number, total: number | undefined, elapsedMs: number): string {
  const rate = `${formatBytes(Math.round((received * 1000) / Math.max(elapsedMs, 1)))}/s`;
  if (total === undefined || total <= 0) return `${formatBytes(received)}  ${rate}`;
  const ratio = Math.min(1, received / total);
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${formatBytes(received)} / ${formatBytes(total)}  ${rate}`;
}

function progressCounter(total: number | undefined, stderr: Writable, now: () => number): Transform {
  const terminal = (stderr as Writable & { isTTY?: boolean }).isTTY === true;
  const interval = terminal ? TTY_REDRAW_MS : LOG_LINE_MS;
  const startedAt = now();
  let received = 0;
  let drawnAt = startedAt;
  const draw = (last: boolean) => {
    const line = progressLine(received, total, now() - startedAt);
    if (terminal) stderr.write(`\r${line}\x1b[K${last ? "\n" : ""}`);
    else stderr.write(`${line}\n`);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (now() - drawnAt >= interval) {
        drawnAt = now();
        draw(false);
      }
      done(null, chunk);
    },
    flush(done) {
      draw(true);
      done();
    },
  });
}

export interface DownloadOptions {
  url: string;
  target: OutputTarget;
  /** File name used when neither the response nor the URL names one. */
  fallbackName: string;
  stdout: Writable;
  stderr: Writable;
  now?: () => number;
}

/** Downloads `url`; returns the written file path (or `-`) and its size. 403 → ExpiredUrlError. */
export async function downloadToTarget(options: DownloadOptions): Promise<{ path: string; bytes: number }> {
  const now = options.now ?? Date.now;
  const response = await fetch(options.url, { redirect: "follow" });
  if (response.status === 403) {
    await response.body?.cancel();
    throw new ExpiredUrlError(options.url);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`downloading ${redactDownloadUrl(options.url)} failed with HTTP ${response.status}`);
  }
  const lengthHeader = response.headers.get("content-length");
  const total = lengthHeader === null ? undefined : Number(lengthHeader);
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const progress = progressCounter(total, options.stderr, now);

  if (options.target.kind === "stdout") {
    await pipeline(body, progress, counted, options.stdout, { end: false });
    return { path: "-", bytes };
  }
  const finalPath =
    options.target.kind === "file"
      ? options.target.file
      : path.join(
          options.target.dir,
          downloadFileName(options.url, response.headers.get("content-disposition"), options.fallbackName),
        );
  const partialPath = path.join(
    path.dirname(finalPath),
    `.${path.basename(finalPath)}.${randomBytes(4).toString("hex")}.partial`,
  );
  try {
    await pipeline(body, progress, counted, createWriteStream(partialPath, { flags: "wx" }));
    if (total !== undefined && !Number.isNaN(total) && bytes !== total) {
      throw new Error(`the download ended after ${bytes} of ${total} bytes`);
    }
    await rename(partialPath, finalPath);
  } catch (error) {
    await unlink(partialPath).catch(() => undefined);
    throw error;
  }
  return { path: finalPath, bytes };
}
