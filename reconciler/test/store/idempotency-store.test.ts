import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { IdempotencyStore, requestHash } from '../../src/store/idempotency-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('IdempotencyStore', (database) => {
  let store: IdempotencyStore;
  beforeAll(() => {
    store = new IdempotencyStore(database().db);
  });
  const hash = (body: unknown) => requestHash('POST', '/v1/resources/user', body);

  it('runs the work once and replays the stored response for the same request', async () => {
    let runs = 0;
    const work = async () => ({ statusCode: 201, body: { n: ++runs } });
    const request = { principal: 'ci', key: 'k-1', requestHash: hash({ a: 1 }) };
    const first = await store.run(request, work);
    const second = await store.run(request, work);
    expect(first).toEqual({ statusCode: 201, body: { n: 1 }, replayed: false });
    expect(second).toEqual({ statusCode: 201, body: { n: 1 }, replayed: true });
    expect(runs).toBe(1);
  });

  it('refuses the same key for a different request, without running the work', async () => {
    let runs = 0;
    const work = async () => ({ statusCode: 201, body: { n: ++runs } });
    await store.run({ principal: 'ci', key: 'k-2', requestHash: hash({ a: 1 }) }, work);
    const reused = store.run({ principal: 'ci', key: 'k-2', requestHash: hash({ a: 2 }) }, work);
    await expect(reused).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    await expect(reused).rejects.toBeInstanceOf(StoreError);
    expect(runs).toBe(1);
  });

  it('keeps keys per principal: another token may use the same key', async () => {
    const work = async () => ({ statusCode: 201, body: {} });
    await store.run({ principal: 'ci', key: 'k-3', requestHash: hash(1) }, work);
    const other = await store.run({ principal: 'ops', key: 'k-3', requestHash: hash(2) }, work);
    expect(other.replayed).toBe(false);
  });

  // The lookup deletes an expired key in the same statement (one statement on the write path):
  // the key must then be free for a new request, the old response never replayed.
  it('frees a key past its 24 h lifetime: a new request runs and takes it', async () => {
    const old = { principal: 'ci', key: 'k-expired', requestHash: hash('old') };
    await store.run(old, async () => ({ statusCode: 201, body: { n: 'old' } }));
    await database()
      .db.updateTable('idempotency_keys')
      .set({ created_at: sql<Date>`now() - interval '25 hours'` })
      .where('key', '=', 'k-expired')
      .execute();
    const fresh = { ...old, requestHash: hash('new') };
    const ran = await store.run(fresh, async () => ({ statusCode: 201, body: { n: 'new' } }));
    expect(ran).toEqual({ statusCode: 201, body: { n: 'new' }, replayed: false });
    const replay = await store.run(fresh, async () => ({ statusCode: 500, body: {} }));
    expect(replay).toEqual({ statusCode: 201, body: { n: 'new' }, replayed: true });
  });

  it('stores nothing when the work fails, so a retry runs it again', async () => {
    const request = { principal: 'ci', key: 'k-4', requestHash: hash(4) };
    const failing = store.run(request, async () => {
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    const retried = await store.run(request, async () => ({ statusCode: 201, body: { ok: true } }));
    expect(retried.replayed).toBe(false);
  });

  it('lets one of two concurrent requests with one key win; the other replays it', async () => {
    const request = { principal: 'ci', key: 'k-5', requestHash: hash(5) };
    let runs = 0;
    const work = async () => {
      const n = ++runs;
      await new Promise((r) => setTimeout(r, 50));
      return { statusCode: 201, body: { n } };
    };
    const [x, y] = await Promise.all([store.run(request, work), store.run(request, work)]);
    expect([x.replayed, y.replayed].sort()).toEqual([false, true]);
    expect(x.body).toEqual(y.body);
  });
});
