import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { TokenCache } from '../../src/auth/token-cache.js';
import { TokenStore, type VerifyResult } from '../../src/auth/token-store.js';
import type { ListenHandlers } from '../../src/store/open-database.js';
import { describeEachDatabase } from '../support/databases.js';

/** The store, counting the lookups that reach it. */
function counted(store: TokenStore) {
  const counter = { lookups: 0 };
  return {
    counter,
    verify: (token: string): Promise<VerifyResult> => {
      counter.lookups += 1;
      return store.verify(token);
    },
  };
}

let n = 0;
const uniqueName = () => `cache-${process.pid}-${++n}`;

describeEachDatabase('TokenCache', (database) => {
  it('serves a verified token from memory: the store is asked once', async () => {
    const { db } = database();
    const store = new TokenStore(db);
    const { token } = await store.create({ name: uniqueName(), role: 'operator', createdBy: 't' });
    const inner = counted(store);
    const cache = new TokenCache(inner, db);
    for (let i = 0; i < 5; i++) expect(await cache.verify(token)).toMatchObject({ ok: true });
    expect(inner.counter.lookups).toBe(1);
  });

  it('refuses a token revoked by another replica on the very next request (epoch check)', async () => {
    const { db } = database();
    const { token, info } = await new TokenStore(db).create({
      name: uniqueName(),
      role: 'admin',
      createdBy: 't',
    });
    const cache = new TokenCache(new TokenStore(db), db);
    expect(await cache.verify(token)).toMatchObject({ ok: true });
    // Another process's store (a second daemon, or `telform token revoke` on the database).
    await new TokenStore(db).revoke(info.id);
    expect(await cache.verify(token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('drops a cached token when it expires, and refuses it from then on', async () => {
    const { db } = database();
    let clock = Date.now();
    const store = new TokenStore(db, () => new Date(clock));
    const { token } = await store.create({
      name: uniqueName(),
      role: 'auditor',
      createdBy: 't',
      expiresAt: new Date(clock + 60_000),
    });
    const cache = new TokenCache(store, db, { now: () => clock, ttlMs: 3_600_000 });
    expect(await cache.verify(token)).toMatchObject({ ok: true });
    clock += 61_000;
    expect(await cache.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(await cache.verify(`tf_${'A'.repeat(43)}`)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('falls back to epoch checks when its subscription is lost, then subscribes again', async () => {
    const { db } = database();
    const store = new TokenStore(db);
    const { token, info } = await store.create({
      name: uniqueName(),
      role: 'admin',
      createdBy: 't',
    });
    let handlers: ListenHandlers | undefined;
    const listen = vi.fn(async (_channel: string, h: ListenHandlers) => {
      handlers = h;
      return { close: async () => {} };
    });
    const cache = new TokenCache(store, db, { listen, resubscribeMs: 10 });
    await cache.start();
    expect(cache.listening()).toBe(true);
    expect(await cache.verify(token)).toMatchObject({ ok: true });
    handlers!.onLost(new Error('connection reset'));
    expect(cache.listening()).toBe(false);
    // No notice will come now: the epoch check alone must catch the revocation.
    await new TokenStore(db).revoke(info.id);
    expect(await cache.verify(token)).toEqual({ ok: false, reason: 'revoked' });
    await vi.waitFor(() => expect(listen).toHaveBeenCalledTimes(2), { timeout: 10_000 });
    await vi.waitFor(() => expect(cache.listening()).toBe(true), { timeout: 10_000 });
    await cache.close();
  });

  // Postgres: a connection of its own; PGlite: its in-process listeners (one process per directory).
  it('hears a revocation by LISTEN and serves hits with no query meanwhile', async () => {
    const { db, opened } = database();
    const store = new TokenStore(db);
    const { token, info } = await store.create({
      name: uniqueName(),
      role: 'admin',
      createdBy: 't',
    });
    const inner = counted(store);
    const cache = new TokenCache(inner, db, { listen: opened.listen! });
    await cache.start();
    try {
      expect(cache.listening()).toBe(true);
      await cache.verify(token);
      await cache.verify(token);
      expect(inner.counter.lookups).toBe(1);
      await new TokenStore(db).revoke(info.id);
      // The notice travels on its own connection: wait for it, with a generous deadline.
      await vi.waitFor(
        async () => expect(await cache.verify(token)).toEqual({ ok: false, reason: 'revoked' }),
        { timeout: 15_000, interval: 20 },
      );
    } finally {
      await cache.close();
    }
  });

  describe('refusals (the negative cache)', () => {
    const randomToken = () => `tf_${randomBytes(32).toString('base64url')}`;
    const cases: {
      why: string;
      tokens: () => Promise<string[]>;
      options?: { negativeTtlMs?: number; maxNegativeEntries?: number };
      advanceMs?: number;
      invalidate?: boolean;
      lookups: number;
    }[] = [
      {
        why: 'a flood of one random token costs one lookup, not one per request',
        tokens: async () => Array(20).fill(randomToken()),
        lookups: 1,
      },
      {
        why: 'distinct random tokens cost one lookup each, never more',
        tokens: async () => Array.from({ length: 10 }, randomToken).flatMap((t) => [t, t, t]),
        lookups: 10,
      },
      {
        why: 'a token change notice (invalidate) keeps refusals: they are final',
        tokens: async () => Array(5).fill(randomToken()),
        invalidate: true,
        lookups: 1,
      },
      {
        why: 'a refusal is asked again once its time is up',
        tokens: async () => Array(5).fill(randomToken()),
        options: { negativeTtlMs: 1_000 },
        advanceMs: 1_001,
        lookups: 2,
      },
      {
        why: 'memory is bounded: the oldest refusal goes first and is looked up again',
        tokens: async () => {
          const [a, b, c] = [randomToken(), randomToken(), randomToken()];
          return [a, b, c, c, a];
        },
        options: { maxNegativeEntries: 2 },
        lookups: 4,
      },
    ];
    it.each(cases)('$why', async ({ tokens, options, advanceMs, invalidate, lookups }) => {
      const { db } = database();
      let clock = Date.now();
      const inner = counted(new TokenStore(db));
      const cache = new TokenCache(inner, db, { ...options, now: () => clock });
      const list = await tokens();
      for (const [i, token] of list.entries()) {
        // Halfway, the clock moves or a notice arrives.
        if (i === list.length >> 1) {
          clock += advanceMs ?? 0;
          if (invalidate) cache.invalidate();
        }
        expect(await cache.verify(token)).toEqual({ ok: false, reason: 'unknown' });
      }
      expect(inner.counter.lookups).toBe(lookups);
    });

    it.each([
      { lanes: 1, why: 'one lane: lookups run one after another' },
      { lanes: 2, why: 'the default: two at once, never more' },
    ])('lets the event loop turn between the lookups of a flood ($why)', async ({ lanes }) => {
      const { db } = database();
      const store = new TokenStore(db);
      let inFlight = 0;
      let most = 0;
      // Each lookup notes whether a macrotask (a socket read, in the daemon) ran before it.
      let turned = 0;
      const turnedBefore: number[] = [];
      const inner = {
        verify: async (token: string) => {
          turnedBefore.push(turned);
          inFlight += 1;
          most = Math.max(most, inFlight);
          try {
            return await store.verify(token);
          } finally {
            inFlight -= 1;
          }
        },
      };
      const cache = new TokenCache(inner, db, { lookupLanes: lanes });
      const ticker = setInterval(() => (turned += 1), 0);
      try {
        const results = await Promise.all(
          Array.from({ length: 12 }, () => cache.verify(randomToken())),
        );
        expect(results.every((r) => !r.ok && r.reason === 'unknown')).toBe(true);
      } finally {
        clearInterval(ticker);
      }
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(lanes);
      // Lookups did not all start in one go, as a chain of promises would: timers ran between.
      expect(new Set(turnedBefore).size).toBeGreaterThan(1);
    });

    it('serves a revoked token refused from memory, and never caches it as good again', async () => {
      const { db } = database();
      const store = new TokenStore(db);
      const { token, info } = await store.create({
        name: uniqueName(),
        role: 'admin',
        createdBy: 't',
      });
      await store.revoke(info.id);
      const inner = counted(store);
      const cache = new TokenCache(inner, db);
      for (let i = 0; i < 3; i++) {
        expect(await cache.verify(token)).toEqual({ ok: false, reason: 'revoked' });
      }
      expect(inner.counter.lookups).toBe(1);
      expect(cache.holds(token)).toBe(false);
    });
  });
});
