import { expect, it } from 'vitest';
import { reconcileResource } from '../../src/reconcile/reconcile-resource.js';
import { KindGraph } from '../../src/reconcile/kind-graph.js';
import { WorkerPool } from '../../src/reconcile/worker-pool.js';
import { WorkQueue } from '../../src/reconcile/work-queue.js';
import { describeEachDatabase } from '../support/databases.js';
import { accountSpec, makeHarness, scope, userSpec, type Harness } from './engine-harness.js';

async function declare(h: Harness, accounts: number, usersEach: number): Promise<string[]> {
  const ids: string[] = [];
  for (let a = 0; a < accounts; a++) {
    const account = await h.store.create('account', { ...accountSpec, name: `Acme ${a}` }, scope);
    ids.push(account.id);
    for (let u = 0; u < usersEach; u++)
      ids.push((await h.store.create('user', userSpec(account.id, u), scope)).id);
  }
  return ids;
}

async function untilSynced(h: Harness, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await h.db
      .selectFrom('resources')
      .select(['applied_generation', 'generation'])
      .execute();
    if (rows.length === count && rows.every((r) => r.applied_generation === r.generation)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('resources did not converge in time');
}

function pool(h: Harness, concurrency = 8): WorkerPool {
  return new WorkerPool(h.queue, (row) => reconcileResource(h.deps, row), {
    concurrency,
    pollMs: 20,
  });
}

describeEachDatabase('WorkerPool', (database) => {
  it('converges accounts and their users, each created exactly once', async () => {
    const h = makeHarness(database().db);
    await h.db.deleteFrom('resources').execute();
    const ids = await declare(h, 4, 20);
    const p = pool(h);
    p.start();
    await untilSynced(h, ids.length);
    await p.stop();
    for (const id of ids) expect(h.driver.count('create', id)).toBe(1);
    expect(
      await h.db.selectFrom('resources').select('id').where('claimed_by', 'is not', null).execute(),
    ).toEqual([]);
  });

  it('stops gracefully: in-flight reconciles finish and leave no lease behind', async () => {
    const h = makeHarness(database().db);
    await h.db.deleteFrom('resources').execute();
    await declare(h, 2, 30);
    const slow = { ...h.deps, driver: h.driver };
    h.driver.failWhen(() => undefined);
    const p = new WorkerPool(
      h.queue,
      async (row) => {
        await new Promise((r) => setTimeout(r, 20));
        return reconcileResource(slow, row);
      },
      { concurrency: 4, pollMs: 20 },
    );
    p.start();
    await new Promise((r) => setTimeout(r, 60));
    await p.stop();
    const finished = [...p.outcomes().values()].reduce((a, b) => a + b, 0);
    expect(finished).toBeGreaterThan(0);
    expect(
      await h.db.selectFrom('resources').select('id').where('claimed_by', 'is not', null).execute(),
    ).toEqual([]);
  });

  it('wakes on demand instead of waiting for the poll interval', async () => {
    const h = makeHarness(database().db);
    await h.db.deleteFrom('resources').execute();
    const p = new WorkerPool(h.queue, (row) => reconcileResource(h.deps, row), {
      concurrency: 2,
      pollMs: 60_000,
    });
    p.start();
    await new Promise((r) => setTimeout(r, 50));
    await h.store.create('account', accountSpec, scope);
    p.wake();
    await untilSynced(h, 1, 5_000);
    await p.stop();
  });
});

describeEachDatabase('WorkerPool claims', (database) => {
  it('a finished reconcile claims again only when rows may have been left due', async () => {
    const h = makeHarness(database().db);
    await h.db.deleteFrom('resources').execute();
    let claims = 0;
    const claim = h.queue.claim.bind(h.queue);
    h.queue.claim = (limit) => {
      claims++;
      return claim(limit);
    };
    const p = new WorkerPool(h.queue, (row) => reconcileResource(h.deps, row), {
      concurrency: 4,
      pollMs: 60_000,
    });
    p.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(claims).toBe(1);
    await h.store.create('account', accountSpec, scope);
    p.wake();
    await untilSynced(h, 1, 5_000);
    await new Promise((r) => setTimeout(r, 50));
    // The start and the wake; the one row left three slots free, so nothing else was due.
    expect(claims).toBe(2);
    await p.stop();
  });

  it('claims a row written while it was in flight again at once, not at the poll', async () => {
    const h = makeHarness(database().db);
    await h.db.deleteFrom('resources').execute();
    const account = await h.store.create('account', accountSpec, scope);
    const queue = new WorkQueue(h.db, new KindGraph(), {
      owner: 'test',
      leaseMs: 30_000,
      onDueNow: () => pool.wake(),
    });
    const deps = { ...h.deps, queue };
    let renamed = false;
    const pool: WorkerPool = new WorkerPool(
      queue,
      async (row) => {
        if (!renamed) {
          renamed = true;
          await h.store.replace('account', account.id, { ...accountSpec, name: 'Renamed' }, scope);
        }
        return reconcileResource(deps, row);
      },
      { concurrency: 2, pollMs: 60_000 },
    );
    pool.start();
    pool.wake();
    await untilSynced(h, 1, 5_000);
    expect((await h.row(account.id))?.applied_generation).toBe(2);
    await pool.stop();
  });
});

describeEachDatabase('Two worker pools on one database', (database) => {
  it('share the work with no resource applied twice', async () => {
    const a = makeHarness(database().db, 'replica-a');
    const b = makeHarness(database().db, 'replica-b');
    await a.db.deleteFrom('resources').execute();
    const ids = await declare(a, 5, 20);
    const shared = { ...b.deps, driver: a.driver };
    const pa = pool(a, 6);
    const pb = new WorkerPool(b.queue, (row) => reconcileResource(shared, row), {
      concurrency: 6,
      pollMs: 20,
    });
    pa.start();
    pb.start();
    await untilSynced(a, ids.length);
    await Promise.all([pa.stop(), pb.stop()]);
    for (const id of ids) expect(a.driver.count('create', id)).toBe(1);
    if (database().dialect === 'postgres') {
      expect(pb.outcomes().get('created') ?? 0).toBeGreaterThan(0);
      expect(pa.outcomes().get('created') ?? 0).toBeGreaterThan(0);
    }
  });
});
