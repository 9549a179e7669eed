// `--data-dir`: the modules' and downloads' state kept in one JSON file, written atomically whenever a change was
// marked, and read back at start; the files it names (archives, passwords) live beside it (files.ts).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DownloadStore } from "./downloads";
import type { FileStore } from "./files";
import type { ApiModule } from "./framework";

const STATE_FILE = "state.json";
/** 2: archives and passwords moved out of the state into files. */
const STATE_VERSION = 2;

interface Snapshot {
  version?: number;
  modules?: Record<string, unknown>;
  downloads?: unknown;
}

export class Persistence {
  private dirty = false;
  /** Writes run one after the other, so a later state never lands before an earlier one. */
  private writing: Promise<void> = Promise.resolve();
  private readonly statePath: string | undefined;

  constructor(
    private readonly dataDir: string | undefined,
    private readonly modules: ApiModule[],
    private readonly downloads: DownloadStore,
    private readonly files: FileStore,
  ) {
    this.statePath = dataDir ? join(dataDir, STATE_FILE) : undefined;
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** Reads the state saved by a previous run, if any, into the modules and the download store. */
  async load(): Promise<void> {
    if (!this.dataDir || !this.statePath) return;
    mkdirSync(this.dataDir, { recursive: true });
    let text: string;
    try {
      text = readFileSync(this.statePath, "utf8");
    } catch {
      return;
    }
    const snapshot = JSON.parse(text) as Snapshot;
    if (snapshot.version !== STATE_VERSION) {
      throw new Error(`${this.statePath}: unsupported emulator state version ${String(snapshot.version)}`);
    }
    for (const module of this.modules) {
      const state = snapshot.modules?.[module.name];
      if (state !== undefined) await module.importState(state);
    }
    this.downloads.importState(snapshot.downloads);
  }

  /** Writes the state when something changed since the last write (and a data directory is set). */
  persist(): Promise<void> {
    // A failed write is reported to the request that made it; the next one still runs.
    this.writing = this.writing.catch(() => undefined).then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const statePath = this.statePath;
    if (!statePath || !this.dirty) return;
    this.dirty = false;
    const mark = this.files.mark();
    const modules: Record<string, unknown> = {};
    for (const module of this.modules) modules[module.name] = await module.exportState();
    const snapshot: Snapshot = { version: STATE_VERSION, modules, downloads: this.downloads.exportState() };
    const temporary = `${statePath}.${process.pid}.tmp`;
    const text = JSON.stringify(snapshot);
    writeFileSync(temporary, text);
    renameSync(temporary, statePath);
    this.files.sweep(text, mark);
  }
}
