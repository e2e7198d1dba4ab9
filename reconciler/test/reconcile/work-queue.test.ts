import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { KindGraph } from '../../src/reconcile/kind-graph.js';
import { ResourceChanges } from '../../src/reconcile/resource-changes.js';
import { WorkQueue } from '../../src/reconcile/work-queue.js';
import { describeEachDatabase } from '../support/databases.js';
import { accountSpec, makeHarness, scope, userSpec, type Harness } from './engine-harness.js';

describeEachDatabase('WorkQueue', (database) => {
  let h: Harness;
  beforeEach(async () => {
    await database().db.deleteFrom('resources').execute();
    h = makeHarness(database().db, 'replica-1');
  });

  it('hands each due row to exactly one of two replicas claiming at the same time', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    for (let i = 0; i < 40; i++) await h.store.create('user', userSpec(account.id, i), scope);
    const other = makeHarness(h.db, 'replica-2');
    const claims = await Promise.all([
      h.queue.claim(15),
      other.queue.claim(15),
      h.queue.claim(15),
      other.queue.claim(15),
    ]);
    const ids = claims.flat().map((r) => r.id);
    expect(ids).toHaveLength(41);
    expect(new Set(ids).size).toBe(41);
    expect(await h.queue.claim(10)).toEqual([]);
  });

  it('claims parents first for applies and children first for deletes', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create('user', userSpec(account.id), scope);
    const seat = await h.store.create('seat', { account_id: account.id, user_id: user.id }, scope);
    expect((await h.queue.claim(3)).map((r) => r.kind)).toEqual(['account', 'user', 'seat']);

    await h.db
      .updateTable('resources')
      .set({ claimed_by: null, claimed_until: null, deletion_requested_at: sql`now()` })
      .execute();
    expect((await h.queue.claim(3)).map((r) => r.id)).toEqual([seat.id, user.id, account.id]);
  });

  it('gives an expired lease to another replica, and refuses a late outcome from the first', async () => {
    await h.store.create('account', accountSpec, scope);
    const [mine] = await h.queue.claim(1);
    await h.db
      .updateTable('resources')
      .set({ claimed_until: sql`now() - interval '1 second'` })
      .execute();
    const other = makeHarness(h.db, 'replica-2');
    expect(await other.queue.claim(1)).toHaveLength(1);
    expect(await h.queue.complete(mine!, { attempts: 7 }, null)).toBe(false);
    expect((await h.row(mine!.id))?.attempts).toBe(0);
  });

  it('tells the long-polls of every recorded outcome, and of nothing when the lease was lost', async () => {
    const changes = new ResourceChanges();
    const queue = new WorkQueue(h.db, new KindGraph(), {
      owner: 'replica-1',
      leaseMs: 30_000,
      changes,
    });
    const account = await h.store.create('account', accountSpec, scope);
    const seen: string[] = [];
    const sub = changes.subscribe(account.id);
    const [row] = await queue.claim(1);
    expect(await queue.complete(row!, { attempts: 1 }, null)).toBe(true);
    // The signal carries the row as the update recorded it: the long-poll reads nothing more.
    const recorded = await sub.next(0);
    expect(recorded?.row).toMatchObject({ id: account.id, attempts: 1, claimed_by: null });
    seen.push('after complete');
    const lost = await queue.complete(row!, { attempts: 2 }, null);
    expect(lost).toBe(false);
    const started = Date.now();
    await sub.next(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25); // no signal for a lost lease
    sub.close();
    expect(seen).toEqual(['after complete']);
    expect(changes.size()).toBe(0);
  });

  it('releases claims on a graceful stop so the rows are due again at once', async () => {
    await h.store.create('account', accountSpec, scope);
    const rows = await h.queue.claim(1);
    expect(await h.queue.depth()).toBe(0);
    await h.queue.release(rows.map((r) => r.id));
    expect(await h.queue.depth()).toBe(1);
  });

  it('requeues rows applied longer ago than the resync age, and only those', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    await h.drain();
    expect(await h.queue.requeueApplied(60_000)).toBe(0);
    await h.db
      .updateTable('resources')
      .set({ last_reconciled_at: sql`now() - interval '2 minutes'` })
      .execute();
    expect(await h.queue.requeueApplied(60_000)).toBe(1);
    expect((await h.queue.claim(5)).map((r) => r.id)).toEqual([account.id]);
  });
});

describeEachDatabase('WorkQueue.forget', (database) => {
  let h: Harness;
  beforeEach(async () => {
    await database().db.deleteFrom('drift_records').execute();
    await database().db.deleteFrom('resources').execute();
    h = makeHarness(database().db, 'replica-1');
  });

  const openRecord = (resourceId: string, accountId: string) =>
    h.db
      .insertInto('drift_records')
      .values({
        resource_id: resourceId,
        kind: 'user',
        account_id: accountId,
        root_account_id: accountId,
        fields: JSON.stringify([{ field: 'name', desired: 'a', actual: 'b' }]),
        action: 'reported',
        state: 'open',
        first_seen_at: new Date(),
        last_seen_at: new Date(),
      })
      .execute();

  it("resolves the deleted resource's open drift at once, and no one else's", async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const gone = await h.store.create('user', userSpec(account.id, 1), scope);
    const kept = await h.store.create('user', userSpec(account.id, 2), scope);
    await openRecord(gone.id, account.id);
    await openRecord(kept.id, account.id);
    await h.db
      .updateTable('resources')
      .set({ deletion_requested_at: sql`now()` })
      .where('id', '=', gone.id)
      .execute();
    const claimed = await h.queue.claim(10);
    const row = claimed.find((r) => r.id === gone.id)!;
    expect(await h.queue.forget(row)).toBe(true);
    const records = await h.db
      .selectFrom('drift_records')
      .select(['resource_id', 'state', 'resolved_at'])
      .execute();
    expect(records.find((r) => r.resource_id === gone.id)).toMatchObject({ state: 'resolved' });
    expect(records.find((r) => r.resource_id === gone.id)?.resolved_at).toBeInstanceOf(Date);
    expect(records.find((r) => r.resource_id === kept.id)).toMatchObject({ state: 'open' });
  });

  it('changes nothing when the lease was lost (another replica owns the row now)', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create('user', userSpec(account.id, 1), scope);
    await openRecord(user.id, account.id);
    await h.db
      .updateTable('resources')
      .set({ deletion_requested_at: sql`now()` })
      .execute();
    const row = (await h.queue.claim(10)).find((r) => r.id === user.id)!;
    await h.db.updateTable('resources').set({ claimed_by: 'replica-2' }).execute();
    expect(await h.queue.forget(row)).toBe(false);
    const [record] = await h.db.selectFrom('drift_records').select('state').execute();
    expect(record?.state).toBe('open');
  });
});
