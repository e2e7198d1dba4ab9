// Histories as the vendor consoles show them. Product sources (shared/vendor-docs):
// contact-center "5. Deletion History" and "8. Webhooks / History" (000), CPaaS "Seats / Logs"
// and "Inactive users with seats" (002).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator, type TestEmulator } from './support/emulator-client.js';
import { selfSignedCert, webhookReceiver } from './support/webhook-receiver.js';

const DAY = 86_400_000;
let now = Date.parse('2026-11-20T12:00:00Z');
let t: TestEmulator;
let rx: Awaited<ReturnType<typeof webhookReceiver>>;
beforeAll(async () => {
  const tls = selfSignedCert();
  t = await testEmulator({ webhookCa: tls.cert, clock: () => new Date(now) });
  rx = await webhookReceiver(tls);
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

const as = (person: string) => ({ 'x-telform-actor': person });
const user = async (acct: string, login: string) => {
  const r = await t.call('POST', `/v1/accounts/${acct}/users`, {
    name: login,
    login,
    email: `${login}@acme.example`,
    role: 'agent',
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const del = (acct: string, path: string, person?: string) =>
  t.call('DELETE', `/v1/accounts/${acct}/${path}`, undefined, undefined, person ? as(person) : {});

describe('deletion history (000 §5: search and date filters; user name or System)', () => {
  let acct: string;
  beforeAll(async () => {
    acct = (await t.account()).id;
    now = Date.parse('2026-11-01T09:00:00Z');
    await del(acct, `users/${await user(acct, 'ann')}`, 'alice');
    now = Date.parse('2026-11-10T09:00:00Z');
    const hook = await t.call('POST', `/v1/accounts/${acct}/webhooks`, { url: rx.url });
    await del(acct, `webhooks/${hook.body.id}`);
    now = Date.parse('2026-11-20T12:00:00Z');
  });
  const read = (query: string) => t.call('GET', `/v1/accounts/${acct}/deletion_history?${query}`);

  it.each([
    { why: 'no filter: every deletion, newest first', query: '', want: ['webhook', 'user'] },
    {
      why: 'since drops what came before it',
      query: 'since=2026-11-05T00:00:00Z',
      want: ['webhook'],
    },
    { why: 'until drops what came after it', query: 'until=2026-11-05T00:00:00Z', want: ['user'] },
    {
      why: 'a date alone as until covers that whole day',
      query: 'until=2026-11-10',
      want: ['webhook', 'user'],
    },
    { why: 'search matches the entity', query: 'search=WEBHOOK', want: ['webhook'] },
    { why: 'search matches the person who deleted', query: 'search=alic', want: ['user'] },
    { why: 'a search nothing contains finds nothing', query: 'search=zebra', want: [] },
  ])('$why', async ({ query, want }) => {
    const r = await read(query);
    expect(r.status).toBe(200);
    expect(r.body.entries.map((e: { entity: string }) => e.entity)).toEqual(want);
  });

  it('shows the person named by X-Telform-Actor, and the key (partner) when none is named', async () => {
    const r = await read('');
    expect(r.body.entries.map((e: { deleted_by: string }) => e.deleted_by)).toEqual([
      'partner',
      'alice',
    ]);
  });

  it.each([
    {
      why: 'a time that is not ISO 8601',
      query: 'since=yesterday',
      field: 'since',
      rule: 'date_time',
    },
    {
      why: 'a range that ends before it starts',
      query: 'since=2026-11-10&until=2026-11-01',
      field: 'since',
      rule: 'not_after_until',
    },
    {
      why: 'a search longer than the search bar takes',
      query: `search=${'x'.repeat(201)}`,
      field: 'search',
      rule: 'max_length',
    },
  ])('refuses $why with 400 naming the parameter', async ({ query, field, rule }) => {
    const r = await read(query);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field, rule });
  });

  it.each([
    { why: 'a control character (percent-encoded)', header: 'eve%07' },
    { why: 'a name past 128 characters', header: 'x'.repeat(129) },
    { why: 'a broken percent-encoding', header: 'ann%E0%A4%A' },
  ])('refuses an X-Telform-Actor with $why and deletes nothing', async ({ header }) => {
    const id = await user(acct, `bob${header.length}`);
    const r = await del(acct, `users/${id}`, header);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'X-Telform-Actor', rule: 'actor_name' });
    expect((await t.call('GET', `/v1/accounts/${acct}/users/${id}`)).status).toBe(200);
  });

  it('decodes a percent-encoded name, so any name fits in the header', async () => {
    const id = await user(acct, 'zoe');
    await del(acct, `users/${id}`, encodeURIComponent('José Núñez'));
    const r = await read('search=Núñez');
    expect(r.body.entries.map((e: { deleted_by: string }) => e.deleted_by)).toEqual(['José Núñez']);
  });

  it('records the person on the activity entry too, beside the key', async () => {
    const r = await t.call(
      'GET',
      `/v1/accounts/${acct}/activity?event=user.delete&outcome=success`,
    );
    const who = r.body.entries.map((e: { actor: string; on_behalf_of?: string }) => [
      e.actor,
      e.on_behalf_of,
    ]);
    expect(who).toEqual([
      ['partner', 'José Núñez'],
      ['partner', 'alice'],
    ]);
  });
});

describe('seat log (002 Seats/Logs: who, search, filters by account and date)', () => {
  let root: string;
  let sub: string;
  let rootUser: string;
  beforeAll(async () => {
    root = (await t.account()).id;
    sub = (await t.call('POST', `/v1/accounts/${root}/sub_accounts`, { name: 'Branch' })).body.id;
    rootUser = await user(root, 'carl');
    const subUser = await user(sub, 'dora');
    now = Date.parse('2026-11-02T09:00:00Z');
    await t.call(
      'POST',
      `/v1/accounts/${root}/seats`,
      { user_id: rootUser },
      undefined,
      as('alice'),
    );
    now = Date.parse('2026-11-12T09:00:00Z');
    await t.call('POST', `/v1/accounts/${sub}/seats`, { user_id: subUser }, undefined, as('bob'));
    now = Date.parse('2026-11-20T12:00:00Z');
  });
  const read = (query: string) => t.call('GET', `/v1/accounts/${root}/seat_log?${query}`);
  const who = (r: { body: { entries: { done_by: string }[] } }) =>
    r.body.entries.map((e) => e.done_by);

  it.each([
    {
      why: 'the top-level log covers its sub-accounts, newest first',
      query: '',
      want: ['bob', 'alice'],
    },
    { why: 'since drops what came before it', query: 'since=2026-11-05', want: ['bob'] },
    { why: 'until drops what came after it', query: 'until=2026-11-05T00:00:00Z', want: ['alice'] },
    { why: 'the account filter keeps one account', query: `account=${'SUB'}`, want: ['bob'] },
    { why: 'search finds the impacted user', query: `search=${'ROOTUSER'}`, want: ['alice'] },
  ])('$why', async ({ query, want }) => {
    const r = await read(query.replace('SUB', sub).replace('ROOTUSER', rootUser));
    expect(r.status).toBe(200);
    expect(who(r)).toEqual(want);
  });

  it('refuses an account outside the subtree with 400 naming the filter', async () => {
    const other = (await t.account()).id;
    const r = await read(`account=${other}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ field: 'account', rule: 'in_subtree' });
  });
});

describe('webhook history (000 §8: History with Enter/Expand/Retry; Settings: test the connection)', () => {
  let acct: string;
  let hookA: string;
  let hookB: string;
  beforeAll(async () => {
    acct = (await t.account()).id;
    const mk = async () =>
      (
        await t.call('POST', `/v1/accounts/${acct}/webhooks`, {
          url: rx.url,
          rights: { users: true },
        })
      ).body.id as string;
    hookA = await mk();
    hookB = await mk();
    await user(acct, 'erin');
    await t.emu.webhooksIdle();
  });
  const read = (query: string) => t.call('GET', `/v1/accounts/${acct}/webhook_history?${query}`);

  it('webhook_id keeps one webhook; an unknown id has no deliveries', async () => {
    const a = await read(`webhook_id=${hookA}`);
    expect(a.body.entries.map((e: { webhook_id: string }) => e.webhook_id)).toEqual([hookA]);
    expect((await read('webhook_id=wh-nope')).body.entries).toEqual([]);
    expect((await read('')).body.entries).toHaveLength(2);
  });

  it('each entry keeps its delivery_id and the payload that was posted (Expand)', async () => {
    const [entry] = (await read(`webhook_id=${hookB}`)).body.entries;
    expect(entry.delivery_id).toEqual(expect.any(Number));
    expect(JSON.parse(entry.payload)).toMatchObject({ trigger: 'users.created', account_id: acct });
    expect(rx.received.map((r) => r.body)).toContain(entry.payload);
  });

  it('search matches the trigger; since drops older deliveries', async () => {
    expect((await read('search=users.created')).body.entries).toHaveLength(2);
    expect((await read('search=campaign')).body.entries).toHaveLength(0);
    expect((await read('since=2026-11-21T00:00:00Z')).body.entries).toHaveLength(0);
  });

  it('test the connection posts a test event and reports status and latency', async () => {
    const before = rx.received.length;
    rx.answerWith(503);
    const r = await t.call('POST', `/v1/accounts/${acct}/webhooks/${hookA}/test`);
    rx.answerWith(200);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ webhook_id: hookA, http_status: 503, ok: false });
    expect(r.body.latency_ms).toEqual(expect.any(Number));
    expect(JSON.parse(rx.received[before]!.body)).toMatchObject({ trigger: 'webhook.test' });
    const [last] = (await read('search=webhook.test')).body.entries;
    expect(last).toMatchObject({ delivery_id: r.body.delivery_id, http_status: 503 });
  });

  it('test the connection reports an unreachable endpoint as no status, and 404 for an unknown webhook', async () => {
    const dead = await t.call('POST', `/v1/accounts/${acct}/webhooks`, {
      url: 'https://127.0.0.1:9/unreachable',
    });
    const r = await t.call('POST', `/v1/accounts/${acct}/webhooks/${dead.body.id}/test`);
    expect(r.body).toMatchObject({ http_status: null, ok: false });
    expect((await t.call('POST', `/v1/accounts/${acct}/webhooks/wh-nope/test`)).status).toBe(404);
  });
});

describe('inactive users with seats (002: no login for over 3 months, or no role)', () => {
  it('a user who never logged in becomes inactive only three months after creation', async () => {
    const acct = (await t.account()).id;
    now = Date.parse('2026-08-01T00:00:00Z');
    const newcomer = await user(acct, 'fred');
    await t.call('POST', `/v1/accounts/${acct}/seats`, { user_id: newcomer });
    const inactive = async () =>
      (await t.call('GET', `/v1/accounts/${acct}/seat_usage`)).body.inactive_users_with_seats;
    now += 89 * DAY;
    expect(await inactive()).toEqual([]);
    now += 2 * DAY;
    expect(await inactive()).toEqual([
      { user_id: newcomer, reason: 'no_login', last_login_at: null },
    ]);
    now = Date.parse('2026-11-20T12:00:00Z');
  });
});
