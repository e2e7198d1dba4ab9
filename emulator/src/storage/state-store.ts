import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { Journal } from './journal.js';
import type { JournalEntry } from './journal.js';

/**
 * The emulator's storage: named collections of JSON records held in memory, made durable by a
 * journal when a data dir is given. Mutations apply synchronously (so a rule check and the write
 * it guards cannot interleave with another request) and `durable()` resolves once every mutation
 * made so far is on disk.
 */
export class StateStore {
  private readonly colls = new Map<string, Map<string, unknown>>();
  private lastWrite: Promise<void> = Promise.resolve();

  private constructor(
    private journal: Journal | undefined,
    private readonly release: (() => Promise<void>) | undefined,
  ) {}

  static memory(): StateStore {
    return new StateStore(undefined, undefined);
  }

  /**
   * Opens (or creates) a data dir, holding an exclusive lock on it while open. A lock left by a
   * killed process goes stale after 5 s; by default opening waits that long for it.
   */
  static async open(dataDir: string, lockWaitMs = 6_000): Promise<StateStore> {
    mkdirSync(dataDir, { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(dataDir, {
        lockfilePath: `${dataDir}/emulator.lock`,
        stale: 5_000,
        realpath: false,
        retries: {
          retries: Math.floor(lockWaitMs / 500),
          factor: 1,
          minTimeout: 500,
          maxTimeout: 500,
        },
      });
    } catch (err) {
      throw new Error(
        `emulator data dir ${dataDir} is in use by another process (${(err as Error).message})`,
        { cause: err },
      );
    }
    const store = new StateStore(undefined, release);
    store.journal = await Journal.open(
      dataDir,
      (e) => store.apply(e),
      () => store.snapshot(),
    );
    return store;
  }

  get<T>(coll: string, key: string): T | undefined {
    return this.colls.get(coll)?.get(key) as T | undefined;
  }

  /** Records in insertion order (first put of a key decides its place). */
  values<T>(coll: string): IterableIterator<T> {
    return (this.colls.get(coll) ?? new Map()).values() as IterableIterator<T>;
  }

  entries<T>(coll: string): IterableIterator<[string, T]> {
    return (this.colls.get(coll) ?? new Map()).entries() as IterableIterator<[string, T]>;
  }

  size(coll: string): number {
    return this.colls.get(coll)?.size ?? 0;
  }

  put(coll: string, key: string, value: unknown): void {
    this.write({ op: 'put', coll, key, value });
  }

  del(coll: string, key: string): void {
    if (this.colls.get(coll)?.has(key)) this.write({ op: 'del', coll, key });
  }

  /** Resolves when every mutation made so far is durable. */
  durable(): Promise<void> {
    return this.lastWrite;
  }

  async close(): Promise<void> {
    await this.lastWrite.catch(() => undefined);
    await this.journal?.close();
    await this.release?.();
  }

  private write(entry: JournalEntry): void {
    this.apply(entry);
    if (this.journal) this.lastWrite = this.journal.append([entry]);
  }

  private apply(entry: JournalEntry): void {
    let coll = this.colls.get(entry.coll);
    if (!coll) this.colls.set(entry.coll, (coll = new Map()));
    if (entry.op === 'put') coll.set(entry.key, entry.value);
    else coll.delete(entry.key);
  }

  private *snapshot(): Iterable<JournalEntry> {
    for (const [name, coll] of this.colls) {
      for (const [key, value] of coll) yield { op: 'put', coll: name, key, value };
    }
  }
}
