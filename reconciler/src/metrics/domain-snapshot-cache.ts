import type { DomainSnapshot } from './domain-snapshot.js';

export interface DomainSnapshotCacheOptions {
  /**
   * A snapshot older than this is read again at the next scrape (default 60 s): how late a
   * change made on another replica, which sends this one no event, may show.
   */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * The domain gauges' values between scrapes. A scrape reads the cached snapshot; the store is
 * read again only when the snapshot is older than `maxAgeMs` or something this daemon did
 * changed it (`invalidate()`: a drift scan recorded, a job run finished). Concurrent scrapes
 * share one read. A failed read keeps the last snapshot (and is retried at the next scrape).
 */
export class DomainSnapshotCache {
  private snapshot: DomainSnapshot | null = null;
  private takenAt = Number.NEGATIVE_INFINITY;
  /** Bumped by invalidate(): a read that started before the bump does not count as fresh. */
  private generation = 0;
  private freshGeneration = -1;
  private reading: Promise<void> | null = null;
  private readingGeneration = -1;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<DomainSnapshot>,
    options: DomainSnapshotCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Something changed what the gauges count: the next scrape reads the store. */
  invalidate(): void {
    this.generation += 1;
  }

  /** The snapshot to show now; null only while no read has ever succeeded. */
  async current(): Promise<DomainSnapshot | null> {
    if (this.isFresh()) return this.snapshot;
    // A read that began before the last invalidate() may miss that change: wait, then read anew.
    if (this.reading && this.readingGeneration !== this.generation) await this.reading;
    if (this.isFresh()) return this.snapshot;
    if (!this.reading) {
      this.readingGeneration = this.generation;
      this.reading = this.read().finally(() => {
        this.reading = null;
      });
    }
    await this.reading;
    return this.snapshot;
  }

  private isFresh(): boolean {
    return this.freshGeneration === this.generation && this.now() - this.takenAt < this.maxAgeMs;
  }

  private async read(): Promise<void> {
    const generation = this.generation;
    const startedAt = this.now();
    try {
      this.snapshot = await this.load();
      this.takenAt = startedAt;
      this.freshGeneration = generation;
    } catch {
      // The gauges keep their last values while the database does not answer.
    }
  }
}
