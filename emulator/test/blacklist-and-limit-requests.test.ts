/**
 * Two things the contact-center console shows or does beside plain settings (000): the email
 * blacklist behind an email-address domain ("Security > Email address domains": clicking a
 * domain shows the users who blacklisted it or an address in it, and the source, manual or
 * automatic), and "request a limit increase" on the Limits tab, with the vendor's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

async function accountWithDomain() {
  const a = await t.account();
  const dom = await t.call(
    'POST',
    `/v1/accounts/${a.id}/domains`,
    { kind: 'email_address', name: 'mail.acme.example' },
    'staff-key',
  );
  expect(dom.status).toBe(201);
  const user = await t.call('POST', `/v1/accounts/${a.id}/users`, {
    name: 'Nadia Roux',
    login: 'nadia',
    email: 'nadia@acme.example',
  });
  return { a, domainId: dom.body.id as string, userId: user.body.id as string };
}

const blacklist = (accountId: string, body: Record<string, unknown>) =>
  t.call('POST', `/_emulator/console/accounts/${accountId}/email-blacklist`, body);

describe('email blacklist (000 Security, Email address domains)', () => {
  it('shows who blacklisted the domain or an address in it, with the source', async () => {
    const { a, domainId, userId } = await accountWithDomain();
    expect(
      (await blacklist(a.id, { user_id: userId, domain: 'mail.acme.example', source: 'manual' }))
        .status,
    ).toBe(201);
    expect(
      (
        await blacklist(a.id, {
          user_id: userId,
          address: 'Bounce@mail.acme.example',
          source: 'automatic',
        })
      ).status,
    ).toBe(201);
    // Blacklisting the same thing twice keeps the first entry.
    expect(
      (await blacklist(a.id, { user_id: userId, domain: 'mail.acme.example', source: 'manual' }))
        .status,
    ).toBe(200);
    // A client (the account's own key) reads it, as "clients can view" the domains.
    const r = await t.call('GET', `/v1/accounts/${a.id}/email_blacklist`, undefined, a.apiKey);
    expect(r.status).toBe(200);
    expect(r.body.entries).toEqual([
      {
        domain: 'mail.acme.example',
        platform_domain_id: domainId,
        address: 'bounce@mail.acme.example',
        platform_user_id: userId,
        user_name: 'Nadia Roux',
        source: 'automatic',
        blacklisted_at: expect.any(String),
      },
      {
        domain: 'mail.acme.example',
        platform_domain_id: domainId,
        platform_user_id: userId,
        user_name: 'Nadia Roux',
        source: 'manual',
        blacklisted_at: expect.any(String),
      },
    ]);
    const other = await t.call('GET', `/v1/accounts/${a.id}/email_blacklist?domain=other.example`);
    expect(other.body.entries).toEqual([]);
    // Clients may delete a domain: its blacklist goes with it.
    expect(
      (await t.call('DELETE', `/v1/accounts/${a.id}/domains/${domainId}`)).status,
    ).toBeLessThan(300);
    expect((await t.call('GET', `/v1/accounts/${a.id}/email_blacklist`)).body.entries).toEqual([]);
  });

  it.each([
    {
      why: 'only email-address domains of the account hold a blacklist',
      body: { domain: 'elsewhere.example', source: 'manual' },
      field: 'domain',
    },
    {
      why: 'an address must be in one of those domains',
      body: { address: 'x@elsewhere.example', source: 'manual' },
      field: 'address',
    },
    {
      why: 'the source is manual or automatic',
      body: { domain: 'mail.acme.example', source: 'bulk' },
      field: 'source',
    },
    {
      why: 'a domain or an address, not both',
      body: { domain: 'mail.acme.example', address: 'a@mail.acme.example', source: 'manual' },
      field: 'domain',
    },
    {
      why: 'the user must be a user of the account',
      body: { user_id: 'u-0', domain: 'mail.acme.example', source: 'manual' },
      field: 'user_id',
    },
  ])('refuses: $why', async ({ body, field }) => {
    const { a, userId } = await accountWithDomain();
    const r = await blacklist(a.id, { user_id: userId, ...body });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe(field);
    expect((await t.call('GET', `/v1/accounts/${a.id}/email_blacklist`)).body.entries).toEqual([]);
  });
});

describe('limit increase requests (000 Limits: "you can request a limit increase here")', () => {
  const ask = (accountId: string, body: Record<string, unknown>) =>
    t.call('POST', `/v1/accounts/${accountId}/limit_increase_requests`, {
      limit: 'max_users',
      requested: 500,
      reason: 'seasonal agents',
      ...body,
    });
  const decide = (accountId: string, id: string, body: Record<string, unknown>) =>
    t.call(
      'POST',
      `/_emulator/console/accounts/${accountId}/limit_increase_requests/${id}/decision`,
      body,
    );

  it('is pending until the vendor approves it, and an approval raises the limit', async () => {
    const a = await t.account();
    const before = (await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_users as number;
    const r = await ask(a.id, { requested: before + 100 });
    expect(r.status).toBe(201);
    expect(r.body.attributes).toMatchObject({
      status: 'pending',
      current_limit: before,
      platform_request_id: r.body.id,
    });
    const path = `/v1/accounts/${a.id}/limit_increase_requests/${r.body.id}`;
    const approved = await decide(a.id, r.body.id, { decision: 'approved', note: 'ok for Q4' });
    expect(approved.status).toBe(200);
    const read = await t.call('GET', path);
    expect(read.body.attributes).toMatchObject({
      status: 'approved',
      decision_note: 'ok for Q4',
      current_limit: before + 100,
    });
    expect((await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_users).toBe(before + 100);
    // A decision is final.
    expect((await decide(a.id, r.body.id, { decision: 'rejected' })).status).toBe(409);
    // Forgetting a decided request keeps the raised limit.
    expect((await t.call('DELETE', path)).status).toBeLessThan(300);
    expect((await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_users).toBe(before + 100);
  });

  // The Audio Clips and playlist limits are limits like the others: readable and raisable.
  it.each(['max_audio_clips', 'max_playlists'])('%s can be read and raised', async (limit) => {
    const a = await t.account();
    const before = (await t.call('GET', `/v1/accounts/${a.id}/limits`)).body[limit] as number;
    expect(before).toBeGreaterThan(0);
    const r = await ask(a.id, { limit, requested: before + 5 });
    expect(r.status).toBe(201);
    expect((await decide(a.id, r.body.id, { decision: 'approved' })).status).toBe(200);
    expect((await t.call('GET', `/v1/accounts/${a.id}/limits`)).body[limit]).toBe(before + 5);
  });

  it('a rejection leaves the limit as it was', async () => {
    const a = await t.account();
    const before = (await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_webhooks as number;
    const r = await ask(a.id, { limit: 'max_webhooks', requested: before + 1 });
    const rejected = await decide(a.id, r.body.id, {
      decision: 'rejected',
      note: 'use fewer hooks',
    });
    expect(rejected.body.attributes).toMatchObject({ status: 'rejected', current_limit: before });
    expect((await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_webhooks).toBe(before);
  });

  it.each([
    {
      why: 'asking for no more than the current limit',
      body: { requested: 1 },
      status: 422,
      field: 'requested',
    },
    { why: 'an unknown limit', body: { limit: 'max_planets' }, status: 422, field: 'limit' },
  ])('refuses $why', async ({ body, status, field }) => {
    const a = await t.account();
    const r = await ask(a.id, body);
    expect(r.status).toBe(status);
    expect(r.body.error.field).toBe(field);
  });

  it('refuses a second pending request for the same limit, and an edit', async () => {
    const a = await t.account();
    const before = (await t.call('GET', `/v1/accounts/${a.id}/limits`)).body.max_users as number;
    const first = await ask(a.id, { requested: before + 10 });
    expect(first.status).toBe(201);
    const second = await ask(a.id, { requested: before + 20 });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ field: 'limit', rule: 'one_pending' });
    const edit = await t.call(
      'PUT',
      `/v1/accounts/${a.id}/limit_increase_requests/${first.body.id}`,
      {
        limit: 'max_users',
        requested: before + 30,
        reason: 'seasonal agents',
      },
    );
    expect(edit.status).toBe(422);
    expect(edit.body.error).toMatchObject({ field: 'requested', rule: 'immutable' });
    // A client cannot decide its own request.
    const self = await t.call(
      'POST',
      `/_emulator/console/accounts/${a.id}/limit_increase_requests/${first.body.id}/decision`,
      { decision: 'approved' },
      a.apiKey,
    );
    expect(self.status).toBe(403);
  });
});
