import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const newUser = (acct: string, login: string, key?: string) =>
  t.call(
    'POST',
    `/v1/accounts/${acct}/users`,
    { name: login, login, email: `${login}@acme.example` },
    key,
  );

describe('out-of-band changes (the vendor console)', () => {
  it('a console edit changes what the API reads and is logged with actor console', async () => {
    const a = await t.account();
    const u = await newUser(a.id, 'olga');
    const r = await t.call('PATCH', `/_emulator/console/accounts/${a.id}/users/${u.body.id}`, {
      display_name: 'Changed in console',
      privileges: { admin: true },
    });
    expect(r.status).toBe(200);
    const read = await t.call('GET', `/v1/accounts/${a.id}/users/${u.body.id}`);
    expect(read.body.attributes).toMatchObject({
      display_name: 'Changed in console',
      privileges: { admin: true },
      login: 'olga',
    });
    const log = await t.call('GET', `/v1/accounts/${a.id}/activity?actor=console`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        event: 'user.update',
        actor: 'console',
        resource: `user/${u.body.id}`,
        outcome: 'success',
      }),
    ]);
  });

  it.each([
    {
      why: 'settings documents',
      path: 'settings/security_policy',
      setup: { two_factor_required: false },
      patch: { two_factor_required: true },
    },
    { why: 'the account itself', path: '', setup: undefined, patch: { supervision_enabled: true } },
  ])('edits $why', async ({ path, setup, patch }) => {
    const a = await t.account();
    if (setup) await t.call('PUT', `/v1/accounts/${a.id}/${path}`, setup);
    const target = path ? `/${path}` : '';
    expect(
      (await t.call('PATCH', `/_emulator/console/accounts/${a.id}${target}`, patch)).status,
    ).toBe(200);
    const read = await t.call('GET', `/v1/accounts/${a.id}${target}`);
    expect(read.body.attributes).toMatchObject(patch);
  });

  it('console edits obey the platform rules', async () => {
    const a = await t.account();
    const u = await newUser(a.id, 'pete');
    const r = await t.call('PATCH', `/_emulator/console/accounts/${a.id}/users/${u.body.id}`, {
      login: 'NOT VALID',
    });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('login');
  });

  it('the console is closed to account keys', async () => {
    const a = await t.account();
    expect(
      (
        await t.call(
          'PATCH',
          `/_emulator/console/accounts/${a.id}`,
          { supervision_enabled: true },
          a.apiKey,
        )
      ).status,
    ).toBe(403);
  });
});

describe('activity log', () => {
  it('records every operation with outcome, and filters by each column', async () => {
    const a = await t.account();
    const start = new Date().toISOString();
    await newUser(a.id, 'quinn', a.apiKey);
    await newUser(a.id, 'Bad Login');
    await t.call('GET', `/v1/accounts/${a.id}/users`);
    await t.call(
      'POST',
      `/v1/accounts/${a.id}/domains`,
      { kind: 'email_address', name: 'x.example' },
      a.apiKey,
    );
    const q = async (query: string) =>
      (await t.call('GET', `/v1/accounts/${a.id}/activity?${query}`)).body.entries.map(
        (e: { event: string; outcome: string }) => `${e.event}:${e.outcome}`,
      );
    expect(await q(`from=${start}&event=user.create,user.list,domain.create`)).toEqual([
      'domain.create:denied',
      'user.list:success',
      'user.create:failure',
      'user.create:success',
    ]);
    expect(await q('type=read&resource=user')).toEqual(['user.list:success']);
    expect(await q('outcome=denied')).toEqual(['domain.create:denied']);
    expect(await q(`actor=account:${a.id}&event=user.create`)).toEqual(['user.create:success']);
    expect((await q('ip=127.0.0')).length).toBeGreaterThanOrEqual(4);
    expect(await q('ip=10.9.')).toEqual([]);
    expect(await q('to=2000-01-01T00:00:00Z')).toEqual([]);
    const bad = await t.call('GET', `/v1/accounts/${a.id}/activity?from=yesterday`);
    expect(bad.body.error).toMatchObject({ field: 'from', rule: 'date_time' });
  });
});

describe('deletion history', () => {
  it('records who deleted what and how many, an account with all it owned', async () => {
    const a = await t.account();
    const sub = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, { name: 'Gone' });
    const u = await newUser(sub.body.id, 'rita');
    await newUser(sub.body.id, 'sam');
    await t.call('DELETE', `/v1/accounts/${sub.body.id}/users/${u.body.id}`, undefined, a.apiKey);
    await t.call('DELETE', `/v1/accounts/${a.id}/sub_accounts/${sub.body.id}`);
    const entries = (await t.call('GET', `/v1/accounts/${a.id}/deletion_history`)).body.entries;
    expect(entries.map((e: Record<string, unknown>) => [e.deleted_by, e.entity, e.count])).toEqual([
      ['partner', 'sub_account', 2],
    ]);
    expect((await t.call('GET', `/v1/accounts/${sub.body.id}`)).status).toBe(404);
  });
});

describe('bulk listing', () => {
  it('pages stay stable while objects are created and deleted between them', async () => {
    const a = await t.account();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await newUser(a.id, `bulk${i}`)).body.id);
    const first = await t.call('GET', `/v1/accounts/${a.id}/users?limit=4`);
    await t.call('DELETE', `/v1/accounts/${a.id}/users/${ids[0]}`);
    await t.call('DELETE', `/v1/accounts/${a.id}/users/${ids[5]}`);
    const added = (await newUser(a.id, 'bulk-new')).body.id;
    const seen = first.body.items.map((i: { id: string }) => i.id);
    let cursor = first.body.next_cursor;
    while (cursor) {
      const page = await t.call('GET', `/v1/accounts/${a.id}/users?limit=4&cursor=${cursor}`);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual([
      ...ids.slice(0, 4),
      ...ids.slice(4).filter((id) => id !== ids[5]),
      added,
    ]);
  });

  it.each([
    { why: 'a forged cursor', query: 'cursor=abc', field: 'cursor' },
    { why: 'a page size past 500', query: 'limit=501', field: 'limit' },
  ])('refuses $why', async ({ query, field }) => {
    const a = await t.account();
    const r = await t.call('GET', `/v1/accounts/${a.id}/users?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
  });
});
