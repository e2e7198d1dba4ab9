// The CPaaS "Notifications" tab (002 Account settings > Notifications): the notifications of
// the events an account subscribed to (low balance alerts, account balance changes, campaign
// updates), each with its type and creation time, newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator, type TestEmulator } from './support/emulator-client.js';

let now = Date.parse('2026-11-02T08:00:00Z');
let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator({ clock: () => new Date(now) });
});
afterAll(() => t.close());

const subscribe = async (acct: string, body: Record<string, unknown>) => {
  const r = await t.call('POST', `/v1/accounts/${acct}/notification_subscriptions`, body);
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const balance = (acct: string, value: unknown) =>
  t.call('POST', `/_emulator/console/accounts/${acct}/balance`, { balance: value });
const feed = (acct: string, query = '', key?: string) =>
  t.call('GET', `/v1/accounts/${acct}/notifications${query}`, undefined, key);

describe('notifications feed (002 Notifications: type and creation time of subscribed events)', () => {
  let acct: { id: string; apiKey: string };
  let low: string;
  let changes: string;
  let campaigns: string;
  beforeAll(async () => {
    acct = await t.account();
    low = await subscribe(acct.id, {
      event: 'low_balance',
      recipient: 'billing@acme.example',
      threshold: 100,
    });
    changes = await subscribe(acct.id, { event: 'account_balance', recipient: 'cfo@acme.example' });
    campaigns = await subscribe(acct.id, {
      event: 'campaign_events',
      recipient: 'ops@acme.example',
    });
    // A disabled subscription is not notified.
    await subscribe(acct.id, {
      event: 'account_balance',
      recipient: 'off@acme.example',
      enabled: false,
    });
    now = Date.parse('2026-11-02T09:00:00Z');
    expect((await balance(acct.id, 250)).status).toBe(200);
    now = Date.parse('2026-11-03T09:00:00Z');
    expect((await balance(acct.id, 80)).status).toBe(200);
    now = Date.parse('2026-11-04T09:00:00Z');
    // Still below the threshold: a balance change, but no second low-balance alert.
    expect((await balance(acct.id, 60)).status).toBe(200);
    now = Date.parse('2026-11-05T09:00:00Z');
    const c = await t.call('POST', `/_emulator/console/accounts/${acct.id}/campaign-events`, {
      campaign: 'Black Friday',
      status: 'finished',
    });
    expect(c.status).toBe(200);
  });

  it('lists each notification with its type, time, subscription and text, newest first', async () => {
    // The account's own key reads it, as the console's Notifications tab does.
    const r = await feed(acct.id, '', acct.apiKey);
    expect(r.status).toBe(200);
    const rows = (r.body.entries as Record<string, unknown>[]).map((e) => [
      e.event,
      e.created_at,
      e.subscription_id,
      e.message,
    ]);
    expect(rows).toEqual([
      ['campaign_events', '2026-11-05T09:00:00.000Z', campaigns, 'Campaign Black Friday: finished'],
      [
        'account_balance',
        '2026-11-04T09:00:00.000Z',
        changes,
        'Account balance is 60.00 (was 80.00)',
      ],
      [
        'account_balance',
        '2026-11-03T09:00:00.000Z',
        changes,
        'Account balance is 80.00 (was 250.00)',
      ],
      ['low_balance', '2026-11-03T09:00:00.000Z', low, 'Low balance: 80.00 is below 100.00'],
      ['account_balance', '2026-11-02T09:00:00.000Z', changes, 'Account balance is 250.00'],
    ]);
    expect(r.body.next_cursor).toBeNull();
    expect((r.body.entries as { recipient: string }[])[0]!.recipient).toBe('ops@acme.example');
  });

  it.each([
    {
      why: 'the type filter keeps one kind of notification',
      query: '?event=low_balance',
      times: ['2026-11-03T09:00:00.000Z'],
    },
    {
      why: 'since and until bound the creation time (a date alone is the whole day)',
      query: '?since=2026-11-03T00:00:00Z&until=2026-11-04',
      times: ['2026-11-04T09:00:00.000Z', '2026-11-03T09:00:00.000Z', '2026-11-03T09:00:00.000Z'],
    },
  ])('$why', async ({ query, times }) => {
    const r = await feed(acct.id, query);
    expect(r.status).toBe(200);
    expect((r.body.entries as { created_at: string }[]).map((e) => e.created_at)).toEqual(times);
  });

  it('pages with the cursor: each page continues with older notifications, none twice', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await feed(acct.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...(r.body.entries as { notification_id: number }[]).map((e) => e.notification_id));
      cursor = r.body.next_cursor as string | null;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it.each([
    { why: 'an unknown type is refused by name', query: '?event=promotions', field: 'event' },
    { why: 'a forged cursor is refused', query: '?cursor=not-a-cursor', field: 'cursor' },
    { why: 'a bad date is refused', query: '?since=yesterday', field: 'since' },
    { why: 'a page size past 1000 is refused', query: '?limit=5000', field: 'limit' },
  ])('$why', async ({ query, field }) => {
    const r = await feed(acct.id, query);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(field);
  });

  it('keeps accounts apart: another account sees neither the feed nor its own in it', async () => {
    const other = await t.account();
    expect((await feed(acct.id, '', other.apiKey)).status).toBe(404);
    const own = await feed(other.id, '', other.apiKey);
    expect(own.status).toBe(200);
    expect(own.body.entries).toEqual([]);
  });

  it("a sub-account's notifications are its own (002 Accounts: Notifications of one sub-account)", async () => {
    const sub = await t.call('POST', `/v1/accounts/${acct.id}/sub_accounts`, { name: 'Lyon' });
    expect(sub.status).toBe(201);
    const subId = sub.body.id as string;
    await subscribe(subId, { event: 'account_balance', recipient: 'lyon@acme.example' });
    expect((await balance(subId, 10)).status).toBe(200);
    const own = await feed(subId);
    expect((own.body.entries as { recipient: string }[]).map((e) => e.recipient)).toEqual([
      'lyon@acme.example',
    ]);
    expect((await feed(acct.id)).body.entries).toHaveLength(5);
  });

  it('refuses a balance that is not a number, naming the field, and changes nothing', async () => {
    const r = await balance(acct.id, 'lots');
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('balance');
    expect((await feed(acct.id)).body.entries).toHaveLength(5);
  });
});

describe('low-balance alerts (002 Subscriptions: "Low account balance")', () => {
  it('alert once when the balance falls below the threshold, again after it climbed back', async () => {
    const a = await t.account();
    await subscribe(a.id, {
      event: 'low_balance',
      recipient: 'billing@acme.example',
      threshold: 100,
    });
    for (const b of [150, 90, 50, 120, 80]) expect((await balance(a.id, b)).status).toBe(200);
    const r = await feed(a.id, '?event=low_balance');
    expect((r.body.entries as { message: string }[]).map((e) => e.message)).toEqual([
      'Low balance: 80.00 is below 100.00',
      'Low balance: 90.00 is below 100.00',
    ]);
  });
});
