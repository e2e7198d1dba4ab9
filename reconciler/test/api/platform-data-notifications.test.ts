// The notifications feed through the daemon to the bundled emulator (CPaaS 002 Account settings
// > Notifications: the subscribed events' notifications with their type and creation time; the
// Accounts page's "Notifications" of one sub-account): filters reach the platform, pages follow
// telform's cursor, subscriptions are named by telform id, and a scoped token sees its own
// accounts only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';

type Json = Record<string, unknown>;
let d: LoggedDaemon;
const call = async (method: string, path: string, body?: unknown, token?: string) => {
  const res = await fetch(`${d.daemon.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token ?? d.daemon.adminToken!}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
};
const create = async (kind: string, attrs: Json) => {
  const r = await call('POST', `/v1/resources/${kind}`, attrs);
  expect(r.status, r.text).toBe(201);
  const id = String(r.body.id);
  const applied = await call('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=60000`);
  const status = applied.body.status as { applied_generation: number; external_id: string };
  expect(status.applied_generation, applied.text).toBe(applied.body.generation);
  return { id, externalId: status.external_id };
};
// What happens on the platform outside its API: the balance changes (the console simulation).
const setBalance = async (accountExternalId: string, balance: number) => {
  const emu = d.daemon.emulator!;
  const res = await fetch(`${emu.url}/_emulator/console/accounts/${accountExternalId}/balance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ balance }),
  });
  expect(res.status).toBe(200);
};
const entries = (r: { body: Json }) => r.body.entries as Json[];

let account: { id: string; externalId: string };
let other: { id: string; externalId: string };
let low: { id: string; externalId: string };
let changes: { id: string; externalId: string };
beforeAll(async () => {
  d = await startLoggedDaemon();
  account = await create('account', { name: 'Acme', email: 'admin@acme.example' });
  other = await create('account', { name: 'Globex', email: 'admin@globex.example' });
  low = await create('notification_subscription', {
    account_id: account.id,
    event: 'low_balance',
    recipient: 'billing@acme.example',
    threshold: 100,
  });
  changes = await create('notification_subscription', {
    account_id: account.id,
    event: 'account_balance',
    recipient: 'cfo@acme.example',
  });
  // 250, then 80 (a change and a low-balance alert), then 60, 40, 20: seven notifications.
  for (const b of [250, 80, 60, 40, 20]) await setBalance(account.externalId, b);
}, 180_000);
afterAll(() => d?.dispose());

describe('GET /v1/accounts/{id}/notifications', () => {
  it('names the subscription by telform id beside the platform id, newest first', async () => {
    const r = await call('GET', `/v1/accounts/${account.id}/notifications`);
    expect(r.status, r.text).toBe(200);
    expect(entries(r)).toHaveLength(6);
    expect(entries(r)[0]).toMatchObject({
      event: 'account_balance',
      subscription_id: changes.id,
      platform_subscription_id: changes.externalId,
      recipient: 'cfo@acme.example',
      message: 'Account balance is 20.00 (was 40.00)',
      created_at: expect.any(String),
      notification_id: expect.any(Number),
    });
    expect(r.body.next_cursor).toBeNull();
  });

  it('the type filter reaches the platform', async () => {
    const r = await call('GET', `/v1/accounts/${account.id}/notifications?event=low_balance`);
    expect(entries(r)).toEqual([
      expect.objectContaining({
        subscription_id: low.id,
        message: expect.stringContaining('80.00'),
      }),
    ]);
  });

  it('pages with an opaque cursor: every notification once, newest first', async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await call(
        'GET',
        `/v1/accounts/${account.id}/notifications?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.status, r.text).toBe(200);
      ids.push(...entries(r).map((e) => Number(e.notification_id)));
      cursor = r.body.next_cursor as string | null;
      if (!cursor) break;
    }
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it.each([
    {
      why: 'a forged cursor is 422 naming cursor, as every list of the API answers it',
      query: 'cursor=not-ours',
      status: 422,
      field: 'cursor',
    },
    {
      why: 'a type the product does not have is 422 naming event',
      query: 'event=promotions',
      status: 422,
      field: 'event',
    },
    {
      why: 'a page past 1000 is 422 naming limit',
      query: 'limit=5000',
      status: 422,
      field: 'limit',
    },
    {
      why: 'an until that is not a date-time is 422 naming until',
      query: 'until=soon',
      status: 422,
      field: 'until',
    },
  ])('$why', async ({ query, status, field }) => {
    const r = await call('GET', `/v1/accounts/${account.id}/notifications?${query}`);
    expect(r.status, r.text).toBe(status);
    expect(JSON.stringify(r.body.errors ?? [])).toContain(field);
  });

  it('a token scoped to another account does not see this feed (404), and reads its own', async () => {
    const t = await call('POST', '/v1/tokens', {
      name: 'globex-reader',
      role: 'operator',
      scope_account_id: other.id,
    });
    expect(t.status, t.text).toBe(201);
    const token = String(t.body.token);
    const hidden = await call('GET', `/v1/accounts/${account.id}/notifications`, undefined, token);
    expect(hidden.status, hidden.text).toBe(404);
    const own = await call('GET', `/v1/accounts/${other.id}/notifications`, undefined, token);
    expect(own.status, own.text).toBe(200);
    expect(own.body).toMatchObject({ account_id: other.id, entries: [], next_cursor: null });
  });
});
