// The drift scanner at partner scale: batches of accounts, set-based writes, concurrent kinds.
import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { ListPage, ListQuery } from '../../src/driver/platform-driver.js';
import { PlatformError } from '../../src/driver/platform-driver.js';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner, type AccountScanResult } from '../../src/drift/drift-scanner.js';
import { recordFindings } from '../../src/drift/record-findings.js';
import type { Database } from '../../src/store/database.js';
import { describeEachDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources, type AppliedResource } from './seed-resources.js';

/** Counts the statements a Kysely instance (and its transactions) sends. */
function counting(db: Kysely<Database>): { db: Kysely<Database>; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), count: () => n };
}

/** A platform whose lists can fail for one account and report how many ran at once. */
class ProbedDriver extends MemoryPlatformDriver {
  failFor = new Set<string>();
  inFlight = new Map<string, number>();
  maxInFlight = 0;
  override async list(query: ListQuery): Promise<ListPage> {
    const account = query.accountExternalId;
    if (this.failFor.has(account)) throw new PlatformError('retryable', 'platform unavailable');
    const now = (this.inFlight.get(account) ?? 0) + 1;
    this.inFlight.set(account, now);
    this.maxInFlight = Math.max(this.maxInFlight, now);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await super.list(query);
    } finally {
      this.inFlight.set(account, this.inFlight.get(account)! - 1);
    }
  }
}

interface World {
  readonly accounts: { id: string; externalId: string; users: string[] }[];
}

/** `count` accounts of two users each; the first user of every account in `edited` drifts. */
async function seedWorld(
  db: Kysely<Database>,
  driver: MemoryPlatformDriver,
  count: number,
  edited: readonly number[],
): Promise<World> {
  const rows: AppliedResource[] = [];
  const accounts: World['accounts'] = [];
  for (let a = 0; a < count; a++) {
    const id = `account_b${a}`;
    const spec = { name: `Account ${a}`, email: `a${a}@batch.example` };
    const pa = driver.seed('account', '', spec, id);
    rows.push({ id, kind: 'account', accountId: null, rootAccountId: id, spec, externalId: pa });
    const users: string[] = [];
    for (const u of [1, 2]) {
      const uid = `user_b${a}_${u}`;
      const user = { account_id: id, name: `U${u}`, login: `u${u}`, email: `u${u}@b.example` };
      const pu = driver.seed('user', pa, { ...user, account_id: pa }, uid);
      if (u === 1 && edited.includes(a)) driver.consoleEdit(pu, { name: 'Edited' });
      rows.push({
        id: uid,
        kind: 'user',
        accountId: id,
        rootAccountId: id,
        spec: user,
        externalId: pu,
      });
      users.push(uid);
    }
    accounts.push({ id, externalId: pa, users });
  }
  await seedResources(db, rows);
  return { accounts };
}

const byAccount = (results: AccountScanResult[]) =>
  Object.fromEntries(
    [...results]
      .sort((a, b) => a.accountId.localeCompare(b.accountId))
      .map((r) => [r.accountId, r.outcome === 'scanned' ? r.opened : r.outcome]),
  );

describeEachDatabase('DriftScanner batches', (database) => {
  let driver: ProbedDriver;

  beforeEach(async () => {
    const { db } = database();
    for (const table of [
      'notification_outbox',
      'notification_subscriptions',
      'drift_records',
      'unmanaged_objects',
      'drift_scans',
      'resources',
    ] as const)
      await db.deleteFrom(table).execute();
    driver = new ProbedDriver();
  });

  const scanner = (db: Kysely<Database>, options: { batchSize?: number; kinds?: number } = {}) =>
    new DriftScanner({
      db,
      driver,
      policies: new DriftPolicyCache(db),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.kinds ? { kindConcurrency: options.kinds } : {}),
    });

  it('gives every account its own findings when the due list spans several batches', async () => {
    const { db } = database();
    await seedWorld(db, driver, 5, [0, 2, 4]);
    await db
      .insertInto('notification_subscriptions')
      .values([
        {
          id: 'sub_all',
          url: 'https://x.example/a',
          secret: '{}',
          events: '["drift.detected"]',
          created_by: 't',
        },
        {
          id: 'sub_b2',
          url: 'https://x.example/b',
          secret: '{}',
          events: '["drift.detected"]',
          account_id: 'account_b2',
          created_by: 't',
        },
      ])
      .execute();
    const results = await scanner(db, { batchSize: 2 }).scanDue({ concurrency: 2 });
    // Why: a batch must not mix up whose records are whose, nor skip an account at a boundary.
    expect(byAccount(results)).toEqual({
      account_b0: 1,
      account_b1: 0,
      account_b2: 1,
      account_b3: 0,
      account_b4: 1,
    });
    const records = await db
      .selectFrom('drift_records')
      .select(['resource_id', 'account_id', 'state'])
      .orderBy('resource_id')
      .execute();
    expect(records).toEqual(
      [0, 2, 4].map((a) => ({
        resource_id: `user_b${a}_1`,
        account_id: `account_b${a}`,
        state: 'open',
      })),
    );
    const scans = await db
      .selectFrom('drift_scans')
      .select(['account_id', 'last_outcome'])
      .execute();
    expect(scans.filter((s) => s.last_outcome === 'success')).toHaveLength(5);
    // One outbox row per drift for the unscoped subscriber, one for the subscriber of b2 only.
    const outbox = await db
      .selectFrom('notification_outbox')
      .select(['subscription_id', 'payload'])
      .execute();
    const resources = (sub: string) =>
      outbox
        .filter((o) => o.subscription_id === sub)
        .map((o) => (o.payload.data as { resource_id: string }).resource_id)
        .sort();
    expect(resources('sub_all')).toEqual(['user_b0_1', 'user_b2_1', 'user_b4_1']);
    expect(resources('sub_b2')).toEqual(['user_b2_1']);
  });

  it('fails only the account whose listing failed, and records the others of its batch', async () => {
    const { db } = database();
    const world = await seedWorld(db, driver, 3, [0, 1, 2]);
    driver.failFor.add(world.accounts[1]!.externalId);
    const results = await scanner(db, { batchSize: 10 }).scanDue();
    expect(byAccount(results)).toEqual({ account_b0: 1, account_b1: 'failed', account_b2: 1 });
    const failed = await db
      .selectFrom('drift_scans')
      .selectAll()
      .where('account_id', '=', 'account_b1')
      .executeTakeFirstOrThrow();
    expect(failed.last_outcome).toBe('failed');
    expect(failed.last_error).toContain('platform unavailable');
    expect(failed.next_scan_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('resolves and refreshes records across a batch in set-based statements', async () => {
    const { db } = database();
    const world = await seedWorld(db, driver, 4, [0, 1, 2, 3]);
    const s = scanner(db, { batchSize: 10 });
    await s.scanDue();
    // Account 0 agrees again, the others still differ: one resolved, three refreshed in place.
    driver.consoleEdit(driver.objectByRef(world.accounts[0]!.users[0]!)!, { name: 'U1' });
    await db
      .updateTable('drift_scans')
      .set({ next_scan_at: new Date(0) })
      .execute();
    const second = await s.scanDue();
    const totals = second.reduce(
      (t, r) =>
        r.outcome === 'scanned'
          ? { resolved: t.resolved + r.resolved, still: t.still + r.stillOpen }
          : t,
      { resolved: 0, still: 0 },
    );
    expect(totals).toEqual({ resolved: 1, still: 3 });
    const states = await db
      .selectFrom('drift_records')
      .select(['resource_id', 'state'])
      .orderBy('resource_id')
      .execute();
    expect(states.map((r) => r.state)).toEqual(['resolved', 'open', 'open', 'open']);
  });

  it('writes a batch with as many statements for six accounts as for two', async () => {
    const { db } = database();
    await seedWorld(db, driver, 8, [0, 1, 2, 3, 4, 5, 6, 7]);
    const statements = async (limit: number) => {
      await db
        .updateTable('drift_scans')
        .set({ next_scan_at: new Date(0) })
        .execute();
      const probe = counting(db);
      await scanner(probe.db, { batchSize: 10 }).scanDue({ limit });
      return probe.count();
    };
    await statements(8); // first scan opens records; the steady state is compared below
    // Why: per-account statements are what made 1,000 accounts take 40 s.
    expect(await statements(6)).toBe(await statements(2));
  });

  it('records a batch of unchanged accounts in three statements', async () => {
    const { db } = database();
    await seedWorld(db, driver, 3, [0, 1, 2]);
    await scanner(db, { batchSize: 10 }).scanDue();
    const probe = counting(db);
    const results = await recordFindings(probe.db, {
      listedKinds: ['user'],
      accounts: ['account_b0', 'account_b1', 'account_b2'].map((accountId) => ({
        accountId,
        accountExternalId: accountId,
        rootAccountId: 'root',
        evaluation: { compared: [], skipped: [], unmanaged: [] },
        calls: 0,
        nextScanAt: new Date(),
        cleanKey: 'same',
        unchanged: true,
      })),
    });
    // Why: the steady scan is mostly unchanged accounts; lock, seen-again (records and unmanaged
    // in one statement, which also counts the open records) and drift_scans are all it needs,
    // down from six (a separate open-records select, two updates, the gone sweep).
    expect(probe.count()).toBe(3);
    expect(results.map((r) => r.stillOpen)).toEqual([1, 1, 1]);
  });

  it('lists the kinds of one account concurrently, never more than the limit at once', async () => {
    const { db } = database();
    await seedWorld(db, driver, 1, []);
    await scanner(db, { kinds: 3 }).scanDue();
    expect(driver.maxInFlight).toBe(3);
  });

  it('finds the rows of a batch through the owner index', async () => {
    const { db } = database();
    const plan = await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`explain select id from resources
        where account_id in ('account_b0', 'account_b1')`.execute(trx);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('resources_owner');
  });
});
