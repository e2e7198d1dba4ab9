import { beforeEach, expect, it } from 'vitest';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { queryDrift } from '../../src/drift/drift-query.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { describeEachDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

const acme = { name: 'Acme', email: 'admin@acme.example' };
const user = (login: string) => ({
  account_id: 'account_pc',
  name: login,
  login,
  email: `${login}@acme.example`,
});

// Drift records name the platform change that caused them, from the platform's activity log.
describeEachDatabase('drift attribution', (database) => {
  let driver: MemoryPlatformDriver;
  let scanner: DriftScanner;
  let ext: { account: string; alice: string; bob: string };

  beforeEach(async () => {
    const { db } = database();
    for (const t of [
      'notification_outbox',
      'notification_subscriptions',
      'drift_records',
      'drift_policies',
      'drift_scans',
      'resources',
    ] as const)
      await db.deleteFrom(t).execute();
    driver = new MemoryPlatformDriver();
    const pa = driver.seed('account', '', acme, 'account_pc');
    ext = {
      account: pa,
      alice: driver.seed('user', pa, { ...user('alice'), account_id: pa }, 'user_pc_alice'),
      bob: driver.seed('user', pa, { ...user('bob'), account_id: pa }, 'user_pc_bob'),
    };
    const row = (id: string, spec: Record<string, unknown>, externalId: string) => ({
      id,
      kind: 'user',
      accountId: 'account_pc',
      rootAccountId: 'account_pc',
      spec,
      externalId,
    });
    await seedResources(db, [
      { ...row('account_pc', acme, pa), kind: 'account', accountId: null },
      row('user_pc_alice', user('alice'), ext.alice),
      row('user_pc_bob', user('bob'), ext.bob),
    ]);
    scanner = new DriftScanner({ db, driver, policies: new DriftPolicyCache(db) });
  });

  const changes = async () =>
    Object.fromEntries(
      (await queryDrift(database().db, { visibleAccountIds: null, limit: 100 })).records.map(
        (r) => [r.resource_id, r.platform_change],
      ),
    );

  it('names the console user, time, address and event of each drifted resource', async () => {
    driver.consoleEdit(
      ext.alice,
      { name: 'Mallory' },
      'console:dana',
      new Date('2026-11-22T06:00:00Z'),
    );
    driver.consoleEdit(
      ext.bob,
      { name: 'Robert' },
      'console:eve',
      new Date('2026-11-22T06:05:00Z'),
    );
    await scanner.scanAccount('account_pc');
    expect(await changes()).toEqual({
      user_pc_alice: {
        actor: 'console:dana',
        at: '2026-11-22T06:00:00.000Z',
        ip: '203.0.113.7',
        event: 'user.update',
      },
      user_pc_bob: {
        actor: 'console:eve',
        at: '2026-11-22T06:05:00.000Z',
        ip: '203.0.113.7',
        event: 'user.update',
      },
    });
    // One read of the log named both, not one per resource.
    expect(driver.calls.activity).toBe(1);
  });

  it('costs no log read when nothing drifted', async () => {
    await scanner.scanAccount('account_pc');
    expect(driver.calls.activity).toBe(0);
  });

  it('a later change to a still-open record names the newer actor', async () => {
    driver.consoleEdit(ext.alice, { name: 'Mallory' }, 'console:dana');
    await scanner.scanAccount('account_pc');
    driver.consoleEdit(ext.alice, { name: 'Mallory II' }, 'console:frank');
    await scanner.scanAccount('account_pc');
    expect((await changes()).user_pc_alice).toMatchObject({ actor: 'console:frank' });
  });

  it('a removal is named by its delete event', async () => {
    driver.remove(ext.bob, 'console:dana');
    await scanner.scanAccount('account_pc');
    expect((await changes()).user_pc_bob).toMatchObject({
      actor: 'console:dana',
      event: 'user.delete',
    });
  });

  it('an unavailable log leaves the record unnamed and the scan succeeds', async () => {
    driver.consoleEdit(ext.alice, { name: 'Mallory' }, 'console:dana');
    driver.failActivity = true;
    expect(await scanner.scanAccount('account_pc')).toMatchObject({
      outcome: 'scanned',
      opened: 1,
    });
    expect((await changes()).user_pc_alice).toBeNull();
    // The next scan with the log back names it.
    driver.failActivity = false;
    await scanner.scanAccount('account_pc');
    expect((await changes()).user_pc_alice).toMatchObject({ actor: 'console:dana' });
  });

  it('an unavailable log on a later scan keeps the name already found', async () => {
    driver.consoleEdit(ext.alice, { name: 'Mallory' }, 'console:dana');
    await scanner.scanAccount('account_pc');
    driver.failActivity = true;
    await scanner.scanAccount('account_pc');
    expect((await changes()).user_pc_alice).toMatchObject({ actor: 'console:dana' });
  });

  it('a change older than the log pages read is left unnamed, not misattributed', async () => {
    driver.consoleEdit(ext.alice, { name: 'Mallory' }, 'console:dana');
    // 5 pages of 1000 writes to other objects after it: past the lookup's bound.
    for (let i = 0; i < 5000; i++)
      driver.logWrite(
        { kind: 'user', account: ext.account, externalId: `p-other-${i}` },
        'user.update',
        'partner',
        new Date(),
      );
    await scanner.scanAccount('account_pc');
    expect((await changes()).user_pc_alice).toBeNull();
    expect(driver.calls.activity).toBe(5);
  });

  it('drift notifications carry the platform change: detected and, with its cause, resolved', async () => {
    const { db } = database();
    await db
      .insertInto('notification_subscriptions')
      .values({
        id: 'sub_pc',
        url: 'https://hooks.example/drift',
        secret: '{}',
        events: '["drift.detected","drift.resolved"]',
        created_by: 't',
      })
      .execute();
    const at = new Date('2026-11-22T06:00:00Z');
    driver.consoleEdit(ext.alice, { name: 'Mallory' }, 'console:dana', at);
    // Bob drifts too, but his change is older than anything the log still holds: unnamed.
    driver.objects.get(ext.bob)!.attributes.name = 'Robert';
    await scanner.scanAccount('account_pc');
    driver.consoleEdit(ext.alice, { name: 'alice' }, 'console:erin');
    await scanner.scanAccount('account_pc');
    const sent = await db
      .selectFrom('notification_outbox')
      .select('payload')
      .orderBy('id')
      .execute();
    const dana = {
      actor: 'console:dana',
      at: at.toISOString(),
      ip: '203.0.113.7',
      event: 'user.update',
    };
    expect(
      sent.map(({ payload }) => {
        const data = payload.data as { resource_id: string; platform_change: unknown };
        return [payload.event, data.resource_id, data.platform_change];
      }),
    ).toEqual([
      ['drift.detected', 'user_pc_alice', dana],
      ['drift.detected', 'user_pc_bob', null],
      // The resolved event names the change that caused the drift, as the record does.
      ['drift.resolved', 'user_pc_alice', dana],
    ]);
  });
});
