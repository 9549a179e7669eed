// Files the emulator keeps beside its state (backup archives, published downloads, generated passwords): under
// `--data-dir` each is a file of DIR/files/ readable by its owner only, which state.json names; otherwise in memory.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NAME = /^[A-Za-z0-9._-]+$/;

export class FileStore {
  private readonly memory = new Map<string, Buffer>();
  /** When each file was last written (a counter): a sweep spares the files written after the state it reads. */
  private readonly written = new Map<string, number>();
  private writes = 0;
  private readonly directory: string | undefined;

  constructor(dataDir: string | undefined) {
    this.directory = dataDir ? join(dataDir, "files") : undefined;
  }

  private pathOf(name: string): string | undefined {
    if (!NAME.test(name)) throw new Error(`not a stored file name: ${name}`);
    return this.directory && join(this.directory, name);
  }

  /** Stores `content` as `name` (letters, digits, `.`, `_`, `-`), replacing any file of that name; answers `name`. */
  put(name: string, content: Buffer | string): string {
    const path = this.pathOf(name);
    const bytes = Buffer.from(content);
    if (path && this.directory) {
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(path, bytes, { mode: 0o600 });
    } else {
      this.memory.set(name, bytes);
    }
    this.writes += 1;
    this.written.set(name, this.writes);
    return name;
  }

  get(name: string): Buffer {
    const path = this.pathOf(name);
    if (!path) {
      const content = this.memory.get(name);
      if (!content) throw new Error(`stored file ${name} is missing`);
      return content;
    }
    return readFileSync(path);
  }

  /** A point in the store's history, for `sweep`. */
  mark(): number {
    return this.writes;
  }

  /**
   * Removes the files of the data directory written before `mark` that `state` (the text of the state saved then)
   * does not name: those of deleted backups, downloads and addons.
   */
  sweep(state: string, mark: number): void {
    if (!this.directory) return;
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return;
    }
    for (const name of names) {
      if ((this.written.get(name) ?? 0) > mark || state.includes(name)) continue;
      rmSync(join(this.directory, name), { force: true });
      this.written.delete(name);
    }
  }
}
