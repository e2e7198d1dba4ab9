import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { provisioningTokenRotationJob } from '../../../src/jobs/definitions/provisioning-token-rotation-job.js';
import { retentionJob } from '../../../src/jobs/definitions/retention-job.js';
import { seatUsageJob } from '../../../src/jobs/definitions/seat-usage-job.js';
import type { JobContext } from '../../../src/jobs/job-definition.js';
import { SubscriptionStore } from '../../../src/notifications/subscription-store.js';
import { AesGcmSecretBox } from '../../../src/secrets/aes-gcm-secret-box.js';
import { describeEachDatabase } from '../../support/databases.js';
import { MemoryPlatformDriver } from '../../drift/memory-platform-driver.js';
import { seedResources } from '../../drift/seed-resources.js';

const day = 24 * 3600_000;

describeEachDatabase('job definitions', (database) => {
  let driver: MemoryPlatformDriver;
  let ctx: JobContext;
  const outbox = () =>
    database()
      .db.selectFrom('notification_outbox')
      .select(['event', 'payload'])
      .orderBy('id')
      .execute();

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['notification_subscriptions', 'drift_records', 'resources'] as const)
      await db.deleteFrom(table).execute();
    driver = new MemoryPlatformDriver();
    ctx = { db, replica: 'test', trigger: 'manual' };
    const pa = driver.seed('account', '', {}, 'account_a');
    const pu = driver.seed('user', pa, {}, 'user_idle');
    await seedResources(db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: {},
        externalId: pa,
      },
      {
        id: 'user_idle',
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: {},
        externalId: pu,
      },
    ]);
    await new SubscriptionStore(db, new AesGcmSecretBox(randomBytes(32))).create(
      {
        url: 'http://127.0.0.1:9/hook',
        secret: 'subscriber-secret-123456',
        events: ['seats.warning', 'seats.inactive_users', 'provisioning.token_rotated'],
      },
      'admin',
    );
    driver.data.set(`seat_usage:${pa}`, {
      purchased: 20,
      assigned: 18,
      seat_limit: null,
      inactive_users_with_seats: [
        { user_id: pu, reason: 'no_login', last_login_at: null },
        { user_id: 'u-stranger', reason: 'no_role' },
      ],
    });
  });

  it('seat usage warns by the 85% rule and lists inactive users as telform ids, notifying both', async () => {
    const summary = await seatUsageJob(driver).run(ctx);
    expect(summary).toMatchObject({
      accounts: 1,
      warnings: [{ account_id: 'account_a', usage_percent: 90, threshold_percent: 85 }],
      failures: [],
    });
    expect(summary.inactive_users).toEqual([
      {
        account_id: 'account_a',
        users: [
          {
            user_id: 'user_idle',
            platform_user_id: expect.any(String),
            reason: 'no_login',
            last_login_at: null,
          },
          { user_id: null, platform_user_id: 'u-stranger', reason: 'no_role', last_login_at: null },
        ],
      },
    ]);
    expect((await outbox()).map((o) => o.event)).toEqual(['seats.warning', 'seats.inactive_users']);
  });

  it('seat usage under the threshold warns nobody', async () => {
    const [key] = [...driver.data.keys()];
    driver.data.set(key!, {
      purchased: 20,
      assigned: 16,
      seat_limit: null,
      inactive_users_with_seats: [],
    });
    expect(await seatUsageJob(driver).run(ctx)).toMatchObject({ warnings: [], inactive_users: [] });
    expect(await outbox()).toEqual([]);
  });

  it('seat usage fails the run when no account could be read', async () => {
    driver.data.clear();
    await expect(seatUsageJob(driver).run(ctx)).rejects.toThrow(
      /could not be read for any account/,
    );
  });

  it('rotates only provisioning tokens older than their period, and never writes the token anywhere', async () => {
    const { db } = database();
    const now = new Date('2026-11-22T03:15:00Z');
    const pa = (
      await db
        .selectFrom('resources')
        .select('external_id')
        .where('id', '=', 'account_a')
        .executeTakeFirstOrThrow()
    ).external_id!;
    const old = driver.seed('provisioning', pa, { token: 'tok-old' }, 'prov_old');
    const fresh = driver.seed('provisioning', pa, { token: 'tok-fresh' }, 'prov_fresh');
    await seedResources(db, [
      {
        id: 'prov_old',
        kind: 'provisioning',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: { rotation_period_days: 30 },
        externalId: old,
      },
      {
        id: 'prov_fresh',
        kind: 'provisioning',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: { rotation_period_days: 30 },
        externalId: fresh,
      },
      {
        id: 'prov_manual',
        kind: 'provisioning',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: {},
        externalId: 'p-x',
      },
    ]);
    const observed = (at: Date) => JSON.stringify({ token_rotated_at: at.toISOString() });
    await db
      .updateTable('resources')
      .set({ observed: observed(new Date(now.getTime() - 31 * day)) })
      .where('id', '=', 'prov_old')
      .execute();
    await db
      .updateTable('resources')
      .set({ observed: observed(new Date(now.getTime() - 29 * day)) })
      .where('id', '=', 'prov_fresh')
      .execute();
    const summary = await provisioningTokenRotationJob(driver.rotateProvisioningToken, {
      now: () => now,
    }).run(ctx);
    expect(summary).toMatchObject({
      checked: 3,
      not_due: 2,
      rotated: [{ resource_id: 'prov_old' }],
      failures: [],
    });
    expect(driver.objects.get(old)!.attributes.token).not.toBe('tok-old');
    expect(driver.objects.get(fresh)!.attributes.token).toBe('tok-fresh');
    const requeued = await db
      .selectFrom('resources')
      .select('id')
      .where('next_reconcile_at', 'is not', null)
      .execute();
    expect(requeued).toEqual([{ id: 'prov_old' }]);
    const events = await outbox();
    expect(events.map((e) => e.event)).toEqual(['provisioning.token_rotated']);
    expect(JSON.stringify(events)).not.toContain(String(driver.objects.get(old)!.attributes.token));
  });

  it('retention deletes aged resolved drift and finished notifications, never open drift', async () => {
    const { db } = database();
    const now = new Date();
    const record = (id: string, state: 'open' | 'resolved', ageDays: number) => ({
      resource_id: id,
      kind: 'user',
      account_id: 'account_a',
      root_account_id: 'account_a',
      fields: '[]',
      action: 'reported' as const,
      state,
      first_seen_at: new Date(now.getTime() - 200 * day),
      last_seen_at: new Date(now.getTime() - ageDays * day),
      resolved_at: state === 'resolved' ? new Date(now.getTime() - ageDays * day) : null,
    });
    await db
      .insertInto('drift_records')
      .values([
        record('user_old', 'resolved', 91),
        record('user_recent', 'resolved', 10),
        record('user_open', 'open', 150),
      ])
      .execute();
    const [sub] = await db.selectFrom('notification_subscriptions').select('id').execute();
    await db
      .insertInto('notification_outbox')
      .values([
        {
          subscription_id: sub!.id,
          event: 'seats.warning',
          payload: '{}',
          state: 'pending',
          next_attempt_at: new Date(now.getTime() - 60 * day),
        },
        {
          subscription_id: sub!.id,
          event: 'seats.warning',
          payload: '{}',
          next_attempt_at: new Date(now.getTime() - 60 * day),
        },
      ])
      .execute();
    await db
      .updateTable('notification_outbox')
      .set({ state: 'delivered', delivered_at: new Date(now.getTime() - 40 * day) })
      .where(
        'id',
        '=',
        (
          await db
            .selectFrom('notification_outbox')
            .select('id')
            .orderBy('id', 'desc')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    const pruned: Date[] = [];
    const summary = await retentionJob({
      now: () => now,
      audit: { days: 365, prune: async (before) => (pruned.push(before), { pruned: 0 }) },
    }).run(ctx);
    expect(summary).toMatchObject({
      drift_records: 1,
      notifications: 1,
      audit_events: { pruned: 0 },
    });
    const left = await db
      .selectFrom('drift_records')
      .select('resource_id')
      .orderBy('resource_id')
      .execute();
    expect(left.map((r) => r.resource_id)).toEqual(['user_open', 'user_recent']);
    expect(await db.selectFrom('notification_outbox').select('state').execute()).toEqual([
      { state: 'pending' },
    ]);
    expect(Math.round((now.getTime() - pruned[0]!.getTime()) / day)).toBe(365);
  });
});
