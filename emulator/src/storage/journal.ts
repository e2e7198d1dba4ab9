import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** One durable change: a record put into or removed from a named collection. */
export type JournalEntry =
  | { readonly op: 'put'; readonly coll: string; readonly key: string; readonly value: unknown }
  | { readonly op: 'del'; readonly coll: string; readonly key: string };

/**
 * Append-only journal of JSON lines in the data dir, with group commit: entries appended in the
 * same tick share one write and one fsync, and `append` resolves only once they are on disk, so
 * the emulator answers a write after it is durable. A torn last line (kill -9 mid-write) is
 * ignored on replay.
 */
export class Journal {
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private handle: FileHandle | undefined;

  private constructor(private readonly path: string) {}

  /** Replays the journal, rewrites it compacted from `snapshot()`, and opens it for appends. */
  static async open(
    dir: string,
    replay: (entry: JournalEntry) => void,
    snapshot: () => Iterable<JournalEntry>,
  ): Promise<Journal> {
    const path = join(dir, 'journal.jsonl');
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          continue; // torn tail of a write interrupted by a crash: it was never acknowledged
        }
        replay(entry);
      }
    }
    // Compaction: the live state alone, written beside the journal and swapped in atomically.
    const tmp = `${path}.compact`;
    const fd = openSync(tmp, 'w', 0o600); // secrets and key hashes: owner only
    for (const entry of snapshot()) writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    const journal = new Journal(path);
    journal.handle = await open(path, 'a', 0o600);
    return journal;
  }

  /** Queues entries; resolves when they are written and fsynced. */
  append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) this.pending.push(`${JSON.stringify(e)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flushing = this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    await Promise.resolve();
    while (this.pending.length > 0) {
      const chunk = this.pending.join('');
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        if (!this.handle) throw new Error('journal is closed');
        await this.handle.appendFile(chunk);
        await this.handle.datasync();
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    if (this.flushing) await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }
}
