import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

/** Creates `n` users in `acct`; returns their platform ids. */
async function users(acct: string, n: number, prefix = 'usr'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await t.call('POST', `/v1/accounts/${acct}/users`, {
      name: `${prefix}${i}`,
      login: `${prefix}${i}`,
      email: `${prefix}${i}@acme.example`,
    });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  return ids;
}

const setPurchased = (acct: string, n: number) =>
  t.call('PUT', `/_emulator/console/accounts/${acct}/limits`, { max_seats: n });

describe('seats', () => {
  it('concurrent assignments never exceed a sub-account seat limit', async () => {
    const a = await t.account();
    const sub = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, {
      name: 'Branch',
      seat_limit: 5,
    });
    const ids = await users(sub.body.id, 30);
    const results = await Promise.all(
      ids.map((user_id) => t.call('POST', `/v1/accounts/${sub.body.id}/seats`, { user_id })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(25);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({
      field: 'seat_limit',
      rule: 'seat_limit',
    });
    const usage = await t.call('GET', `/v1/accounts/${sub.body.id}/seat_usage`);
    expect(usage.body).toMatchObject({ assigned: 5, seat_limit: 5, remaining: 0 });
  });

  it('concurrent assignments across sub-accounts never exceed the seats purchased', async () => {
    const a = await t.account();
    await setPurchased(a.id, 8);
    const subs = await Promise.all(
      [1, 2, 3].map((i) => t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, { name: `S${i}` })),
    );
    const all = (
      await Promise.all(
        subs.map((s, i) =>
          users(s.body.id, 5, `p${i}x`).then((ids) => ids.map((u) => [s.body.id, u] as const)),
        ),
      )
    ).flat();
    const results = await Promise.all(
      all.map(([acct, user_id]) => t.call('POST', `/v1/accounts/${acct}/seats`, { user_id })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(8);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({
      field: 'max_seats',
      rule: 'seats_purchased',
    });
  });

  it.each([
    {
      why: 'a user of another account cannot take a seat here',
      other: true,
      status: 422,
      field: 'user_id',
    },
    { why: 'a user holds one seat at most', other: false, status: 409, field: 'user_id' },
  ])('$why', async ({ other, status, field }) => {
    const a = await t.account();
    const b = await t.account();
    const [u] = await users(other ? b.id : a.id, 1);
    if (!other) await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id: u });
    const r = await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id: u });
    expect(r.status).toBe(status);
    expect(r.body.error.field).toBe(field);
  });

  it('a seat limit cannot drop below the seats already assigned', async () => {
    const a = await t.account();
    const sub = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, {
      name: 'B',
      seat_limit: 3,
    });
    for (const user_id of await users(sub.body.id, 2))
      await t.call('POST', `/v1/accounts/${sub.body.id}/seats`, { user_id });
    const r = await t.call('PUT', `/v1/accounts/${a.id}/sub_accounts/${sub.body.id}`, {
      name: 'B',
      seat_limit: 1,
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ field: 'seat_limit', rule: 'not_below_assigned' });
  });

  // The warning threshold depends on how many seats the account can use: 85% up to 50,
  // 95% from 51 to 100, 97% above 100. Each pair sits on both sides of a threshold.
  it.each([
    { purchased: 20, assigned: 16, threshold: 85, warn: false, why: '80% of 20 is under 85%' },
    {
      purchased: 20,
      assigned: 17,
      threshold: 85,
      warn: true,
      why: '85% of 20 reaches the small-account threshold',
    },
    {
      purchased: 50,
      assigned: 43,
      threshold: 85,
      warn: true,
      why: '50 seats still use the 85% rule',
    },
    {
      purchased: 51,
      assigned: 48,
      threshold: 95,
      warn: false,
      why: '51 seats switch to 95%: 94% is quiet',
    },
    { purchased: 60, assigned: 57, threshold: 95, warn: true, why: '95% of 60 warns' },
    {
      purchased: 101,
      assigned: 97,
      threshold: 97,
      warn: false,
      why: 'above 100 seats the rule is 97%: 96% is quiet',
    },
    { purchased: 101, assigned: 98, threshold: 97, warn: true, why: '98 of 101 is past 97%' },
  ])('seat usage warning: $why', async ({ purchased, assigned, threshold, warn }) => {
    const a = await t.account();
    await setPurchased(a.id, purchased);
    await t.call('PUT', `/_emulator/console/accounts/${a.id}/limits`, { max_users: 200 });
    for (const user_id of await users(a.id, assigned)) {
      const r = await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id });
      expect(r.status).toBe(201);
    }
    const usage = await t.call('GET', `/v1/accounts/${a.id}/seat_usage`);
    expect(usage.body).toMatchObject({
      purchased,
      assigned,
      remaining: purchased - assigned,
      warning_threshold_percent: threshold,
      warning_active: warn,
    });
  });

  it('lists inactive users with seats: no login for over 3 months, or no role', async () => {
    const a = await t.account();
    const [recent, stale, never, noRole] = await users(a.id, 4);
    for (const user_id of [recent, stale, never, noRole])
      await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id });
    const now = Date.now();
    await t.call('POST', `/_emulator/console/accounts/${a.id}/users/${recent}/login`, {
      at: new Date(now - 10 * 86_400_000).toISOString(),
    });
    await t.call('POST', `/_emulator/console/accounts/${a.id}/users/${stale}/login`, {
      at: new Date(now - 100 * 86_400_000).toISOString(),
    });
    await t.call('POST', `/_emulator/console/accounts/${a.id}/users/${noRole}/login`, {
      at: new Date(now).toISOString(),
    });
    const patched = await t.call('PATCH', `/_emulator/console/accounts/${a.id}/users/${noRole}`, {
      role: null,
    });
    expect(patched.status).toBe(200);
    const usage = await t.call('GET', `/v1/accounts/${a.id}/seat_usage`);
    const inactive = Object.fromEntries(
      usage.body.inactive_users_with_seats.map((u: { user_id: string; reason: string }) => [
        u.user_id,
        u.reason,
      ]),
    );
    // `never` was created today: never logged in is not "inactive for over 3 months" yet
    // (history-filters.test.ts ages one past three months).
    expect(inactive).toEqual({ [stale!]: 'no_login', [noRole!]: 'no_role' });
    expect(never).toBeDefined();
  });

  it('logs assignments and removals, including the seat freed by deleting its user', async () => {
    const a = await t.account();
    const [u1, u2] = await users(a.id, 2);
    const s1 = await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id: u1 });
    await t.call('POST', `/v1/accounts/${a.id}/seats`, { user_id: u2 });
    await t.call('DELETE', `/v1/accounts/${a.id}/seats/${s1.body.id}`);
    await t.call('DELETE', `/v1/accounts/${a.id}/users/${u2}`);
    const log = await t.call('GET', `/v1/accounts/${a.id}/seat_log`);
    expect(
      log.body.entries.map((e: { event: string; impacted_user_id: string; done_by: string }) => [
        e.event,
        e.impacted_user_id,
        e.done_by,
      ]),
    ).toEqual([
      ['seat_removed', u2, 'System'],
      ['seat_removed', u1, 'partner'],
      ['seat_assigned', u2, 'partner'],
      ['seat_assigned', u1, 'partner'],
    ]);
    expect((await t.call('GET', `/v1/accounts/${a.id}/seats`)).body.items).toEqual([]);
  });
});
