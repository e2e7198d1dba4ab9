import { beforeEach, expect, it } from 'vitest';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { describeEachDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

const alice = {
  account_id: 'account_a',
  name: 'Alice',
  login: 'alice',
  email: 'alice@acme.example',
};
const bob = { account_id: 'account_a', name: 'Bob', login: 'bob', email: 'bob@acme.example' };
const acme = { name: 'Acme', email: 'admin@acme.example' };

describeEachDatabase('DriftScanner', (database) => {
  let driver: MemoryPlatformDriver;
  let scanner: DriftScanner;
  let policies: DriftPolicyCache;
  let ids: { account: string; alice: string; bob: string };
  let n = 0;

  beforeEach(async () => {
    const { db } = database();
    await db.deleteFrom('drift_records').execute();
    await db.deleteFrom('drift_policies').execute();
    await db.deleteFrom('unmanaged_objects').execute();
    await db.deleteFrom('drift_scans').execute();
    await db.deleteFrom('resources').execute();
    n += 1;
    driver = new MemoryPlatformDriver();
    const pa = driver.seed('account', '', acme, 'account_a');
    ids = {
      account: pa,
      alice: driver.seed('user', pa, { ...alice, account_id: pa }, `user_alice${n}`),
      bob: driver.seed('user', pa, { ...bob, account_id: pa }, `user_bob${n}`),
    };
    await seedResources(db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: acme,
        externalId: pa,
      },
      {
        id: `user_alice${n}`,
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: alice,
        externalId: ids.alice,
      },
      {
        id: `user_bob${n}`,
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: bob,
        externalId: ids.bob,
      },
    ]);
    policies = new DriftPolicyCache(db);
    scanner = new DriftScanner({ db, driver, policies, pageSize: 1 });
  });

  const openRecords = () =>
    database()
      .db.selectFrom('drift_records')
      .selectAll()
      .where('state', '=', 'open')
      .orderBy('resource_id')
      .execute();

  it('turns an out-of-band change into a drift record with the right fields within one scan', async () => {
    driver.consoleEdit(ids.alice, { name: 'Mallory', privileges: { admin: true } });
    const result = await scanner.scanAccount('account_a');
    expect(result).toMatchObject({ outcome: 'scanned', opened: 1, compared: 3, resolved: 0 });
    const [record, ...rest] = await openRecords();
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      resource_id: `user_alice${n}`,
      kind: 'user',
      account_id: 'account_a',
      action: 'reported',
    });
    expect(record!.fields).toEqual([
      { field: 'name', desired: 'Alice', actual: 'Mallory' },
      { field: 'privileges.admin', desired: false, actual: true },
    ]);
    // Bulk list: one observe of the account, and per kind one call per page (2 users, page 1);
    // one read of the activity log names who made the change.
    expect(driver.calls.observe).toBe(1);
    expect(driver.calls.activity).toBe(1);
    expect(driver.calls.list).toBe(result.outcome === 'scanned' ? result.calls - 2 : -1);
    expect(driver.calls.update + driver.calls.create + driver.calls.delete).toBe(0);
  });

  it('keeps one open record across scans and resolves it when the platform agrees again', async () => {
    driver.consoleEdit(ids.bob, { role: 'admin' });
    await scanner.scanAccount('account_a');
    const [first] = await openRecords();
    await scanner.scanAccount('account_a');
    const [second, ...more] = await openRecords();
    expect(more).toEqual([]);
    expect(second!.id).toBe(first!.id);
    expect(second!.last_seen_at.getTime()).toBeGreaterThanOrEqual(first!.last_seen_at.getTime());
    driver.consoleEdit(ids.bob, { role: 'agent' });
    expect(await scanner.scanAccount('account_a')).toMatchObject({ resolved: 1 });
    const row = await database()
      .db.selectFrom('drift_records')
      .selectAll()
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'resolved', action: 'reported' });
    expect(row.resolved_at).not.toBeNull();
  });

  it('never reports an ignored field, and resolves an open record once its fields are ignored', async () => {
    driver.consoleEdit(ids.alice, { display_name: 'Al' });
    await scanner.scanAccount('account_a');
    expect(await openRecords()).toHaveLength(1);
    await database()
      .db.insertInto('drift_policies')
      .values({
        target_id: 'account_a',
        target_type: 'account',
        ignore_fields: '["display_name"]',
        updated_by: 't',
      })
      .execute();
    await policies.refresh();
    driver.consoleEdit(ids.bob, { display_name: 'B' });
    await scanner.scanAccount('account_a');
    expect(await openRecords()).toEqual([]);
    const resolved = await database().db.selectFrom('drift_records').selectAll().execute();
    expect(resolved.map((r) => [r.resource_id, r.state, r.action])).toEqual([
      [`user_alice${n}`, 'resolved', 'ignored'],
    ]);
  });

  it('under `correct`, records the action and requeues the resource for the engine', async () => {
    const { db } = database();
    await db
      .insertInto('drift_policies')
      .values({
        target_id: `user_bob${n}`,
        target_type: 'resource',
        mode: 'correct',
        updated_by: 't',
      })
      .execute();
    await policies.refresh();
    driver.consoleEdit(ids.bob, { email: 'bob@evil.example' });
    driver.consoleEdit(ids.alice, { email: 'alice@evil.example' });
    const result = await scanner.scanAccount('account_a');
    expect(result).toMatchObject({ opened: 2, corrected: 1 });
    const records = await openRecords();
    expect(records.map((r) => [r.resource_id, r.action])).toEqual([
      [`user_alice${n}`, 'reported'],
      [`user_bob${n}`, 'corrected'],
    ]);
    const queued = await db
      .selectFrom('resources')
      .select(['id', 'next_reconcile_at'])
      .where('next_reconcile_at', 'is not', null)
      .execute();
    expect(queued.map((r) => r.id)).toEqual([`user_bob${n}`]);
    expect(
      policies.correctDrift({
        id: `user_bob${n}`,
        account_id: 'account_a',
        root_account_id: 'account_a',
      }),
    ).toBe(true);
    expect(
      policies.correctDrift({
        id: `user_alice${n}`,
        account_id: 'account_a',
        root_account_id: 'account_a',
      }),
    ).toBe(false);
  });

  it('lists unmanaged objects and leaves them on the platform', async () => {
    const stranger = driver.seed('user', ids.account, {
      ...alice,
      login: 'eve',
      account_id: ids.account,
    });
    const result = await scanner.scanAccount('account_a');
    expect(result).toMatchObject({ unmanaged: 1, opened: 0 });
    const rows = await database().db.selectFrom('unmanaged_objects').selectAll().execute();
    expect(rows.map((r) => [r.kind, r.external_id, r.gone_at])).toEqual([['user', stranger, null]]);
    expect(driver.objects.has(stranger)).toBe(true);
    expect(driver.calls.delete).toBe(0);
    driver.remove(stranger);
    await scanner.scanAccount('account_a');
    const after = await database()
      .db.selectFrom('unmanaged_objects')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(after.gone_at).not.toBeNull();
  });

  it('reports an object deleted out of band, and skips resources the engine has not applied yet', async () => {
    const { db } = database();
    driver.remove(ids.alice);
    await db
      .updateTable('resources')
      .set({ generation: 2 })
      .where('id', '=', `user_bob${n}`)
      .execute();
    driver.consoleEdit(ids.bob, { name: 'Robert' });
    const result = await scanner.scanAccount('account_a');
    expect(result).toMatchObject({ compared: 2, skipped: 1 });
    const records = await openRecords();
    expect(records.map((r) => [r.resource_id, r.fields])).toEqual([
      [`user_alice${n}`, [{ field: '(exists)', desired: true, actual: false }]],
    ]);
  });

  it('records a platform failure without touching drift records', async () => {
    driver.consoleEdit(ids.alice, { name: 'Mallory' });
    await scanner.scanAccount('account_a');
    driver.failLists = true;
    const result = await scanner.scanAccount('account_a');
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(await openRecords()).toHaveLength(1);
    const state = await database()
      .db.selectFrom('drift_scans')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(state).toMatchObject({ last_outcome: 'failed' });
    expect(state.last_error).toContain('platform unavailable');
  });

  it('scans due accounts only, once their interval has passed', async () => {
    const first = await scanner.scanDue();
    expect(first.map((r) => r.accountId)).toEqual(['account_a']);
    expect(await scanner.scanDue()).toEqual([]);
  });
});
