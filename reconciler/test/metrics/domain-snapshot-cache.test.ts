// The cache in front of the domain gauges: a scrape reads the store only when the snapshot is
// stale or this daemon changed what it counts, and never more than once for concurrent scrapes.
import { describe, expect, it } from 'vitest';
import { DomainSnapshotCache } from '../../src/metrics/domain-snapshot-cache.js';
import type { DomainSnapshot } from '../../src/metrics/domain-snapshot.js';

const snapshotWith = (count: number): DomainSnapshot => ({
  openDrift: [{ kind: 'user', action: 'reported', count }],
  unmanaged: [],
  jobSuccesses: [],
});

/** A loader counting its reads; each read answers the count so far. */
function fixture(maxAgeMs = 1000) {
  let clock = 0;
  let reads = 0;
  let fail = false;
  let gate: Promise<void> | null = null;
  const cache = new DomainSnapshotCache(
    async () => {
      reads += 1;
      const n = reads;
      if (gate) await gate;
      if (fail) throw new Error('database down');
      return snapshotWith(n);
    },
    { maxAgeMs, now: () => clock },
  );
  return {
    cache,
    reads: () => reads,
    advance: (ms: number) => (clock += ms),
    failReads: (on: boolean) => (fail = on),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const shown = async (cache: DomainSnapshotCache) =>
  (await cache.current())?.openDrift[0]?.count ?? null;

describe('DomainSnapshotCache', () => {
  const cases: {
    name: string;
    why: string;
    steps: (f: ReturnType<typeof fixture>) => Promise<void>;
    reads: number;
    shows: number | null;
  }[] = [
    {
      name: 'scrapes within maxAge',
      why: 'a scrape must stay cheap: repeated scrapes reuse the snapshot',
      steps: async (f) => {
        await f.cache.current();
        f.advance(999);
        await f.cache.current();
      },
      reads: 1,
      shows: 1,
    },
    {
      name: 'a scrape after maxAge',
      why: 'changes made on another replica send this one no event; age bounds how late they show',
      steps: async (f) => {
        await f.cache.current();
        f.advance(1000);
        await f.cache.current();
      },
      reads: 2,
      shows: 2,
    },
    {
      name: 'a scrape after invalidate()',
      why: 'a scan or job on this daemon shows at the next scrape, not a minute later',
      steps: async (f) => {
        await f.cache.current();
        f.cache.invalidate();
        await f.cache.current();
      },
      reads: 2,
      shows: 2,
    },
    {
      name: 'concurrent scrapes',
      why: 'the three gauges of one scrape (and parallel scrapers) share a single read',
      steps: async (f) => {
        await Promise.all([f.cache.current(), f.cache.current(), f.cache.current()]);
      },
      reads: 1,
      shows: 1,
    },
    {
      name: 'invalidate() while a read is in flight',
      why: 'that read may have started before the change committed: it must not count as fresh',
      steps: async (f) => {
        const release = f.hold();
        const first = f.cache.current();
        f.cache.invalidate();
        const second = f.cache.current();
        release();
        await Promise.all([first, second]);
        await f.cache.current();
      },
      reads: 2,
      shows: 2,
    },
    {
      name: 'a failed read',
      why: 'with the database down a scrape still answers, with the last values; the next retries',
      steps: async (f) => {
        await f.cache.current();
        f.cache.invalidate();
        f.failReads(true);
        expect(await shown(f.cache)).toBe(1);
        f.failReads(false);
        await f.cache.current();
      },
      reads: 3,
      shows: 3,
    },
    {
      name: 'a first read that fails',
      why: 'before any snapshot the gauges are empty rather than made-up zeros',
      steps: async (f) => {
        f.failReads(true);
      },
      reads: 1,
      shows: null,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.why}`, async () => {
      const f = fixture();
      await c.steps(f);
      const value = await shown(f.cache);
      expect({ reads: f.reads(), shows: value }).toEqual({ reads: c.reads, shows: c.shows });
    });
  }
});
