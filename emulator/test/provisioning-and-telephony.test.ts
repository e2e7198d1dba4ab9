import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const boot = async (url: string) => (await fetch(url)).status;

describe('provisioning', () => {
  it('rotating the token invalidates the old one: phones must use the new URL', async () => {
    const a = await t.account();
    const first = await t.call('PUT', `/v1/accounts/${a.id}/settings/provisioning`, {
      phone_admin_password: 'admin-pass-1',
    });
    expect(first.status).toBe(201);
    const oldUrl = first.body.attributes.provisioning_url as string;
    expect(oldUrl).toContain(first.body.attributes.token);
    expect(JSON.stringify(first.body)).not.toContain('admin-pass-1');
    expect(await boot(oldUrl)).toBe(200);
    const rotated = await t.call('POST', `/v1/accounts/${a.id}/settings/provisioning/rotate`);
    const newUrl = rotated.body.attributes.provisioning_url as string;
    expect(newUrl).not.toBe(oldUrl);
    expect(await boot(oldUrl)).toBe(404);
    expect(await boot(newUrl)).toBe(200);
  });

  it.each([
    { why: 'a changed rotate_trigger rotates the token', trigger: '2026-12', rotates: true },
    { why: 'the same rotate_trigger keeps it', trigger: '2026-11', rotates: false },
  ])('$why', async ({ trigger, rotates }) => {
    const a = await t.account();
    const first = await t.call('PUT', `/v1/accounts/${a.id}/settings/provisioning`, {
      rotate_trigger: '2026-11',
    });
    const again = await t.call('PUT', `/v1/accounts/${a.id}/settings/provisioning`, {
      rotate_trigger: trigger,
    });
    expect(again.body.attributes.token !== first.body.attributes.token).toBe(rotates);
    expect(await boot(first.body.attributes.provisioning_url)).toBe(rotates ? 404 : 200);
  });

  it('with rotation_period_days, the platform rotates a token older than the period', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const clocked = await testEmulator({ clock: () => new Date(now) });
    try {
      const a = await clocked.account();
      const first = await clocked.call('PUT', `/v1/accounts/${a.id}/settings/provisioning`, {
        rotation_period_days: 30,
      });
      now += 29 * 86_400_000;
      const before = await clocked.call('GET', `/v1/accounts/${a.id}/settings/provisioning`);
      expect(before.body.attributes.token).toBe(first.body.attributes.token);
      now += 2 * 86_400_000;
      expect(await boot(first.body.attributes.provisioning_url)).toBe(404);
      const after = await clocked.call('GET', `/v1/accounts/${a.id}/settings/provisioning`);
      expect(after.body.attributes.token).not.toBe(first.body.attributes.token);
      expect(after.body.attributes.token_rotated_at).toBe(new Date(now).toISOString());
      expect(await boot(after.body.attributes.provisioning_url)).toBe(200);
    } finally {
      await clocked.close();
    }
  });

  it('a settings document reset by delete is gone until written again', async () => {
    const a = await t.account();
    await t.call('PUT', `/v1/accounts/${a.id}/settings/data_retention`, {
      recordings: { unlimited: false, days: 30 },
    });
    expect((await t.call('DELETE', `/v1/accounts/${a.id}/settings/data_retention`)).status).toBe(
      204,
    );
    expect((await t.call('GET', `/v1/accounts/${a.id}/settings/data_retention`)).status).toBe(404);
  });
});

describe('SSO', () => {
  it('generates the SP initiation and ACS URLs', async () => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/sso_connectors`, {
      name: 'contoso',
      sp_entity_id: 'https://sp.example/contoso',
      idp_signature_certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      idp_login_url: 'https://idp.example/saml/login',
    });
    expect(r.status).toBe(201);
    expect(r.body.attributes).toMatchObject({
      sp_initiation_url: `${t.emu.url}/login/saml/contoso/`,
      acs_url: `${t.emu.url}/login/saml/contoso/acs`,
      name_id_format: 'email',
    });
  });
});

describe('fax limits per rolling hour', () => {
  it.each([
    { direction: 'outbound', limit: 2 },
    { direction: 'inbound', limit: 3 },
  ])('$direction faxes past $limit per hour are rejected', async ({ direction, limit }) => {
    const a = await t.account();
    await t.call('PUT', `/v1/accounts/${a.id}/settings/telephony_settings`, {
      [`${direction}_fax_limit_per_hour`]: limit,
    });
    for (let i = 0; i < limit; i++)
      expect((await t.call('POST', `/v1/accounts/${a.id}/faxes`, { direction })).status).toBe(202);
    const over = await t.call('POST', `/v1/accounts/${a.id}/faxes`, { direction });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({
      code: 'fax_limit_exceeded',
      field: `${direction}_fax_limit_per_hour`,
    });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(3500);
  });
});

describe('customization', () => {
  it('cannot change in place: delete it and create a new one', async () => {
    const a = await t.account();
    const path = `/v1/accounts/${a.id}/settings/customization`;
    expect((await t.call('PUT', path, { hostname: 'portal.acme.example' })).status).toBe(201);
    expect((await t.call('PUT', path, { hostname: 'portal.acme.example' })).status).toBe(200);
    const changed = await t.call('PUT', path, { hostname: 'portal.acme.example', theme: 'dark' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.rule).toBe('delete_and_recreate');
    expect((await t.call('DELETE', path)).status).toBe(204);
    expect(
      (await t.call('PUT', path, { hostname: 'portal.acme.example', theme: 'dark' })).status,
    ).toBe(201);
  });
});

describe('E911 notifications', () => {
  it('account and location recipients are both notified, neither replaces the other', async () => {
    const acctRecipients = ['noc@acme.example'];
    const a = await t.account({ emergency_notification_recipients: acctRecipients });
    const loc = await t.call('POST', `/v1/accounts/${a.id}/locations`, {
      name: 'HQ',
      e911_address: {
        line1: '1 Main St',
        city: 'Springfield',
        postal_code: '12345',
        country: 'US',
      },
      emergency_notification_recipients: ['hq-security@acme.example'],
    });
    expect(loc.status).toBe(201);
    const cases = [
      {
        body: { location_id: loc.body.id },
        want: ['noc@acme.example', 'hq-security@acme.example'],
      },
      { body: { number: '933' }, want: ['noc@acme.example'] },
    ];
    for (const { body, want } of cases) {
      const r = await t.call('POST', `/_emulator/console/accounts/${a.id}/emergency-calls`, body);
      expect(r.body.notified).toEqual(want);
    }
  });
});
