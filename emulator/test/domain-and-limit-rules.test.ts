import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

describe('domains', () => {
  it.each([
    {
      why: 'a client may not add an email-address domain',
      kind: 'email_address',
      key: 'client',
      status: 403,
      rule: 'staff_only',
    },
    {
      why: 'the partner is a client too',
      kind: 'email_address',
      key: 'partner',
      status: 403,
      rule: 'staff_only',
    },
    {
      why: 'the vendor staff may add one',
      kind: 'email_address',
      key: 'staff',
      status: 201,
      rule: undefined,
    },
    {
      why: 'clients add chat domains themselves',
      kind: 'chat',
      key: 'client',
      status: 201,
      rule: undefined,
    },
  ])('$why', async ({ kind, key, status, rule }) => {
    const a = await t.account();
    const k = key === 'client' ? a.apiKey : key === 'staff' ? 'staff-key' : t.emu.partnerKey;
    const r = await t.call(
      'POST',
      `/v1/accounts/${a.id}/domains`,
      { kind, name: 'mail.acme.example' },
      k,
    );
    expect(r.status).toBe(status);
    if (rule) expect(r.body.error).toMatchObject({ code: 'forbidden', field: 'kind', rule });
  });

  it('a client may view and delete an email-address domain the staff added', async () => {
    const a = await t.account();
    const made = await t.call(
      'POST',
      `/v1/accounts/${a.id}/domains`,
      { kind: 'email_address', name: 'mail.acme.example' },
      'staff-key',
    );
    expect(
      (await t.call('GET', `/v1/accounts/${a.id}/domains/${made.body.id}`, undefined, a.apiKey))
        .status,
    ).toBe(200);
    expect(
      (await t.call('DELETE', `/v1/accounts/${a.id}/domains/${made.body.id}`, undefined, a.apiKey))
        .status,
    ).toBe(204);
  });

  it('user emails must use an allowed user domain once any is defined', async () => {
    const a = await t.account();
    const user = (login: string, email: string) =>
      t.call('POST', `/v1/accounts/${a.id}/users`, { name: login, login, email });
    expect((await user('free', 'free@anything.example')).status).toBe(201);
    await t.call('POST', `/v1/accounts/${a.id}/domains`, {
      kind: 'allowed_user',
      name: 'acme.example',
    });
    const refused = await user('outsider', 'out@other.example');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'email', rule: 'allowed_user_domain' });
    expect((await user('insider', 'in@acme.example')).status).toBe(201);
  });
});

describe('limits per account', () => {
  it.each([
    {
      kind: 'webhooks',
      limit: 'max_webhooks',
      body: (i: number) => ({ url: `https://h${i}.example/x` }),
    },
    {
      kind: 'users',
      limit: 'max_users',
      body: (i: number) => ({ name: `n${i}`, login: `login${i}`, email: `l${i}@acme.example` }),
    },
    {
      kind: 'locations',
      limit: 'max_locations',
      body: (i: number) => ({
        name: `L${i}`,
        e911_address: {
          line1: '1 Main St',
          city: 'Springfield',
          postal_code: '12345',
          country: 'US',
        },
      }),
    },
  ])('objects past $limit are refused, naming the limit', async ({ kind, limit, body }) => {
    const a = await t.account();
    const set = await t.call('PUT', `/_emulator/console/accounts/${a.id}/limits`, { [limit]: 2 });
    expect(set.body[limit]).toBe(2);
    expect((await t.call('GET', `/v1/accounts/${a.id}/limits`)).body[limit]).toBe(2);
    for (const i of [1, 2])
      expect((await t.call('POST', `/v1/accounts/${a.id}/${kind}`, body(i))).status).toBe(201);
    const third = await t.call('POST', `/v1/accounts/${a.id}/${kind}`, body(3));
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({
      code: 'limit_reached',
      field: limit,
      rule: 'account_limit',
    });
  });

  it('an unknown limit name is refused by name', async () => {
    const a = await t.account();
    const r = await t.call('PUT', `/_emulator/console/accounts/${a.id}/limits`, {
      max_unicorns: 3,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('max_unicorns');
  });
});
