// The history data sources through the daemon to the bundled emulator: the arguments reach the
// platform (contact-center 000 §5 Deletion history and §8 Webhooks/History: search and date
// filters, per webhook; CPaaS 002 Seats/Logs), objects are named by telform id beside the
// platform's, and the platform's histories show who acted (X-Telform-Actor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';

type Json = Record<string, unknown>;
let d: LoggedDaemon;
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${d.daemon.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${d.daemon.adminToken!}`,
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
  const applied = await call('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=30000`);
  const status = applied.body.status as { applied_generation: number; external_id: string };
  expect(status.applied_generation, applied.text).toBe(applied.body.generation);
  return { id, externalId: status.external_id };
};
const entries = (r: { body: Json }) => r.body.entries as Json[];

let account: string;
let hookA: { id: string; externalId: string };
let user: { id: string; externalId: string };
beforeAll(async () => {
  d = await startLoggedDaemon();
  account = (await create('account', { name: 'Acme', email: 'admin@acme.example' })).id;
  const hook = { url: 'https://127.0.0.1:9/unreachable', rights: { users: true } };
  hookA = await create('webhook', { account_id: account, ...hook });
  await create('webhook', { account_id: account, ...hook });
  user = await create('user', {
    account_id: account,
    name: 'Wanda',
    login: 'wanda',
    email: 'wanda@acme.example',
  });
  await create('seat', { account_id: account, user_id: user.id });
  await d.daemon.emulator!.webhooksIdle();
}, 120_000);
afterAll(() => d?.dispose());

describe('history data sources through the daemon', () => {
  it('webhook_id (a telform id) keeps that webhook; entries carry both ids, delivery_id and payload', async () => {
    const all = await call('GET', `/v1/accounts/${account}/webhook-history`);
    expect(all.status, all.text).toBe(200);
    const one = await call('GET', `/v1/accounts/${account}/webhook-history?webhook_id=${hookA.id}`);
    // Both webhooks got every event: the filter keeps exactly hookA's half.
    expect(entries(one).length * 2).toBe(entries(all).length);
    for (const e of entries(one)) {
      expect(e).toMatchObject({
        webhook_id: hookA.id,
        platform_webhook_id: hookA.externalId,
        delivery_id: expect.any(Number),
        http_status: null,
        retry_of: null,
      });
    }
    const created = entries(one).find((e) => e.trigger === 'users.created');
    expect(JSON.parse(String(created!.payload))).toMatchObject({ trigger: 'users.created' });
  });

  it.each([
    {
      why: 'an unknown webhook id is 404 naming webhook_id',
      query: 'webhook_id=webhook_nope',
      status: 404,
      field: 'webhook_id',
    },
    {
      why: 'a since that is not a date-time is 422 naming since',
      query: 'since=yesterday',
      status: 422,
      field: 'since',
    },
    {
      why: 'an argument the data source does not have is 422 naming it',
      query: 'colour=red',
      status: 422,
      field: 'colour',
    },
  ])('$why', async ({ query, status, field }) => {
    const r = await call('GET', `/v1/accounts/${account}/webhook-history?${query}`);
    expect(r.status, r.text).toBe(status);
    expect(JSON.stringify(r.body.errors ?? [])).toContain(field);
  });

  it('since and search reach the platform: a future since and a search nothing matches find nothing', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const late = await call('GET', `/v1/accounts/${account}/seat-log?since=${future}`);
    expect(late.status, late.text).toBe(200);
    expect(entries(late)).toEqual([]);
    expect(
      entries(await call('GET', `/v1/accounts/${account}/seat-log?search=wanda-nope`)),
    ).toEqual([]);
    expect(entries(await call('GET', `/v1/accounts/${account}/seat-log`))).toHaveLength(1);
  });

  it('the seat log names the user and account by telform id and platform id, and the token that made the seat as who acted', async () => {
    const [entry] = entries(await call('GET', `/v1/accounts/${account}/seat-log`));
    expect(entry).toMatchObject({
      event: 'seat_assigned',
      impacted_user_id: user.id,
      platform_impacted_user_id: user.externalId,
      account_id: account,
      // The seat was written with the first admin token, named `admin`.
      done_by: 'admin',
    });
    expect(entry!.platform_account_id).toMatch(/\S/);
  });

  it('the deletion history shows the token that asked for the deletion, not partner or telform', async () => {
    const gone = await call('DELETE', `/v1/resources/webhook/${hookA.id}`);
    expect(gone.status, gone.text).toBe(202);
    const deadline = Date.now() + 30_000;
    let found: Json[] = [];
    while (Date.now() < deadline && found.length === 0) {
      found = entries(await call('GET', `/v1/accounts/${account}/deletion-history?search=webhook`));
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toEqual([expect.objectContaining({ entity: 'webhook', deleted_by: 'admin' })]);
  });

  it('tests the connection of a webhook through telform: the answer and the attempt in the history', async () => {
    const list = await call('GET', `/v1/resources/webhook?account_id=${account}`);
    const other = (list.body.items as Json[]).find((w) => w.id !== hookA.id)!;
    const r = await call('POST', `/v1/resources/webhook/${String(other.id)}/test`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ webhook_id: other.id, http_status: null, ok: false });
    expect(r.body.latency_ms).toEqual(expect.any(Number));
    const history = await call(
      'GET',
      `/v1/accounts/${account}/webhook-history?search=webhook.test`,
    );
    expect(entries(history)).toEqual([
      expect.objectContaining({ delivery_id: r.body.delivery_id, webhook_id: other.id }),
    ]);
    const unknown = await call('POST', '/v1/resources/webhook/webhook_nope/test');
    expect(unknown.status).toBe(404);
  });

  it('retries a delivery through telform, recorded as a retry and audited', async () => {
    const [first] = entries(await call('GET', `/v1/accounts/${account}/webhook-history`));
    const r = await call(
      'POST',
      `/v1/accounts/${account}/webhook-history/${String(first!.delivery_id)}/retry`,
    );
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ retry_of: first!.delivery_id, ok: false });
    const [latest] = entries(await call('GET', `/v1/accounts/${account}/webhook-history`));
    expect(latest).toMatchObject({ delivery_id: r.body.delivery_id, retry_of: first!.delivery_id });
    const missing = await call('POST', `/v1/accounts/${account}/webhook-history/999999/retry`);
    expect(missing.status, missing.text).toBe(404);
    const audit = await call('GET', '/v1/audit?access=write&limit=50');
    expect(JSON.stringify(audit.body)).toContain('retry');
  });
});
