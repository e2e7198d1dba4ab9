import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const user = (login: string, extra: Record<string, unknown> = {}) => ({
  name: login,
  login,
  email: `${login}@acme.example`,
  ...extra,
});

describe('accounts and API keys', () => {
  it('creating an account returns its own key once, and reads never show it', async () => {
    const r = await t.call('POST', '/v1/accounts', { name: 'Acme', email: 'a@acme.example' });
    expect(r.status).toBe(201);
    expect(r.body.api_key).toMatch(/^acct_/);
    const read = await t.call('GET', `/v1/accounts/${r.body.id}`);
    expect(read.body.api_key).toBeUndefined();
    expect(read.body.attributes).toMatchObject({
      name: 'Acme',
      country: 'US',
      platform_account_id: r.body.id,
    });
  });

  it.each([
    { why: 'no key at all', key: '', status: 401 },
    { why: 'an unknown key', key: 'nope', status: 401 },
  ])('refuses $why with 401', async ({ key, status }) => {
    const a = await t.account();
    const r = await t.call('GET', `/v1/accounts/${a.id}/users`, undefined, key);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe('unauthenticated');
  });

  it('an account key acts on its account and its sub-accounts, and sees no other account', async () => {
    const a = await t.account();
    const other = await t.account();
    const sub = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, { name: 'Branch' });
    expect(sub.status).toBe(201);
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`, undefined, a.apiKey)).status).toBe(
      200,
    );
    expect(
      (await t.call('GET', `/v1/accounts/${sub.body.id}/users`, undefined, a.apiKey)).status,
    ).toBe(200);
    expect(
      (await t.call('GET', `/v1/accounts/${other.id}/users`, undefined, a.apiKey)).status,
    ).toBe(404);
    expect(
      (await t.call('POST', '/v1/accounts', { name: 'x', email: 'x@x.example' }, a.apiKey)).status,
    ).toBe(403);
  });

  it('a disabled sub-account refuses its own key; its partner still manages it', async () => {
    const a = await t.account();
    const sub = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, { name: 'Branch' });
    const put = await t.call('PUT', `/v1/accounts/${a.id}/sub_accounts/${sub.body.id}`, {
      name: 'Branch',
      enabled: false,
    });
    expect(put.body.attributes.enabled).toBe(false);
    const own = await t.call(
      'GET',
      `/v1/accounts/${sub.body.id}/users`,
      undefined,
      sub.body.api_key,
    );
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('account_disabled');
    expect((await t.call('GET', `/v1/accounts/${sub.body.id}/users`)).status).toBe(200);
  });
});

describe('idempotent creation', () => {
  it('a second create with the same client_reference returns the first object with 200', async () => {
    const a = await t.account();
    const first = await t.call('POST', `/v1/accounts/${a.id}/users`, {
      ...user('ann'),
      client_reference: 'user_a',
    });
    const second = await t.call('POST', `/v1/accounts/${a.id}/users`, {
      ...user('ann'),
      client_reference: 'user_a',
    });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    const found = await t.call('GET', `/v1/accounts/${a.id}/users?client_reference=user_a`);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
  });

  it('a replayed account creation does not repeat the API key', async () => {
    const h = { 'idempotency-key': 'acct-1' };
    const body = { name: 'Once', email: 'once@acme.example' };
    const first = await t.call('POST', '/v1/accounts', body, undefined, h);
    const replay = await t.call('POST', '/v1/accounts', body, undefined, h);
    expect(first.body.api_key).toMatch(/^acct_/);
    expect(replay.body).toEqual({ ...first.body, api_key: undefined });
  });

  it('an Idempotency-Key replays the first answer and refuses a different request', async () => {
    const a = await t.account();
    const h = { 'idempotency-key': 'k-1' };
    const first = await t.call('POST', `/v1/accounts/${a.id}/users`, user('bob'), undefined, h);
    const replay = await t.call('POST', `/v1/accounts/${a.id}/users`, user('bob'), undefined, h);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    const reused = await t.call('POST', `/v1/accounts/${a.id}/users`, user('carl'), undefined, h);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({
      code: 'idempotency_key_reused',
      field: 'Idempotency-Key',
    });
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).body.items).toHaveLength(1);
  });
});

describe('errors like a vendor', () => {
  it.each([
    {
      why: 'a schema rule names the field and the rule',
      body: user('Bad Login'),
      status: 422,
      field: 'login',
      rule: 'pattern',
    },
    {
      why: 'a computed attribute is refused',
      body: user('dan', { platform_user_id: 'u-1' }),
      status: 422,
      field: 'platform_user_id',
      rule: 'readOnly',
    },
    {
      why: 'a desired-only attribute is telform bookkeeping, unknown to a platform',
      body: user('fay', { password: 'fay-passw0rd', password_wo_version: 1 }),
      status: 422,
      field: 'password_wo_version',
      rule: 'unknown_attribute',
    },
    {
      why: 'a required attribute',
      body: { name: 'x', login: 'xyz' },
      status: 422,
      field: 'email',
      rule: 'required',
    },
    {
      why: 'call_method only with outgoing mode enabled',
      body: user('eve', { outgoing_calls: { mode: 'disabled', call_method: 'webphone' } }),
      status: 422,
      field: 'outgoing_calls',
    },
  ])('$why', async ({ body, status, field, rule }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/users`, body);
    expect(r.status).toBe(status);
    expect(r.body.error.field).toContain(field);
    if (rule) expect(r.body.error.rule).toBe(rule);
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).body.items).toEqual([]);
  });

  it('secrets are write-only: accepted, never returned, kept when omitted on update', async () => {
    const a = await t.account();
    const body = {
      provider_url: 'https://sms.example/send',
      authentication: { enabled: true, login: 'l', password: 'hunter22' },
    };
    const put = await t.call('PUT', `/v1/accounts/${a.id}/settings/sms_settings`, body);
    expect(put.status).toBe(201);
    expect(JSON.stringify(put.body)).not.toContain('hunter22');
    const again = await t.call('PUT', `/v1/accounts/${a.id}/settings/sms_settings`, {
      provider_url: 'https://sms.example/v2',
      authentication: { enabled: true, login: 'l' },
    });
    expect(again.status).toBe(200);
    const act = await t.call('GET', `/v1/accounts/${a.id}/activity`);
    expect(JSON.stringify(act.body)).not.toContain('hunter22');
  });
});
