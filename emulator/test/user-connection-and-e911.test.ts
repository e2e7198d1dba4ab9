/**
 * Platform-generated values, pinned against the vendor documents: the dialer's dial-in and SIP
 * credentials (003, "Connection method"), a user's own country and language (000, "Country and
 * language": My Account overrides the client account) and the carrier's check of an E911
 * address (004, "Locations").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

let n = 0;
const user = (connection_method: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'Agent',
  login: `agent${++n}`,
  email: `agent${n}@acme.example`,
  connection_method,
  ...extra,
});

describe('connection credentials (003 Connection method)', () => {
  it.each([
    {
      why: 'dial-in: "a unique identification number and PIN that identifies the caller"',
      method: { type: 'dial_in', extension: '1001' },
      want: { dial_in_id: /^\d{8}$/, dial_in_pin: /^\d{6}$/ },
      absent: ['sip_username', 'sip_password'],
    },
    {
      why: 'SIP phone: "unique information must be entered in the user\'s SIP device"',
      method: { type: 'sip_phone', extension: '1002' },
      want: { sip_username: /^sip\d{10}$/, sip_password: /^[\w-]{24}$/, sip_registrar: /^sip\./ },
      absent: ['dial_in_id', 'dial_in_pin'],
    },
    {
      why: 'webphone needs no credentials: the browser is the phone',
      method: { type: 'webphone' },
      want: {},
      absent: ['dial_in_id', 'dial_in_pin', 'sip_username', 'sip_password'],
    },
  ])('$why', async ({ method, want, absent }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/users`, user(method));
    expect(r.status).toBe(201);
    for (const [name, pattern] of Object.entries(want)) {
      expect(r.body.attributes[name]).toMatch(pattern);
    }
    for (const name of absent) expect(r.body.attributes).not.toHaveProperty(name);
    // The platform generates them: a client may not set them.
    const forged = await t.call('POST', `/v1/accounts/${a.id}/users`, {
      ...user(method),
      dial_in_pin: '000000',
    });
    expect(forged.status).toBe(422);
  });

  it('credentials survive unrelated edits and are replaced when the method changes', async () => {
    const a = await t.account();
    const body = user({ type: 'dial_in', extension: '1003' });
    const first = await t.call('POST', `/v1/accounts/${a.id}/users`, body);
    const path = `/v1/accounts/${a.id}/users/${first.body.id}`;
    // A configured phone line keeps working when the admin renames the user.
    const renamed = await t.call('PUT', path, { ...body, name: 'Renamed' });
    expect(renamed.body.attributes.dial_in_pin).toBe(first.body.attributes.dial_in_pin);
    expect(renamed.body.attributes.dial_in_id).toBe(first.body.attributes.dial_in_id);
    const sip = await t.call('PUT', path, {
      ...body,
      connection_method: { type: 'sip_phone', extension: '1003' },
    });
    expect(sip.body.attributes.sip_password).toEqual(expect.any(String));
    expect(sip.body.attributes).not.toHaveProperty('dial_in_pin');
    const back = await t.call('PUT', path, body);
    expect(back.body.attributes.dial_in_pin).toMatch(/^\d{6}$/);
    expect(back.body.attributes).not.toHaveProperty('sip_password');
    // The read answers the same credentials as the write did.
    expect((await t.call('GET', path)).body.attributes.dial_in_id).toBe(
      back.body.attributes.dial_in_id,
    );
  });
});

describe('country and language per user (000 Country and language)', () => {
  it('a user keeps its own country and language beside the account defaults', async () => {
    const a = await t.account({ country: 'FR', language: 'fr' });
    const r = await t.call(
      'POST',
      `/v1/accounts/${a.id}/users`,
      user({ type: 'webphone' }, { country: 'GB', language: 'en-GB', time_zone: 'Europe/London' }),
    );
    expect(r.status).toBe(201);
    expect(r.body.attributes).toMatchObject({ country: 'GB', language: 'en-GB' });
    const acct = await t.call('GET', `/v1/accounts/${a.id}`);
    expect(acct.body.attributes).toMatchObject({ country: 'FR', language: 'fr' });
  });

  it('refuses a country that is not an ISO 3166-1 alpha-2 code, naming the field', async () => {
    const a = await t.account();
    const r = await t.call(
      'POST',
      `/v1/accounts/${a.id}/users`,
      user({ type: 'webphone' }, { country: 'France' }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('country');
  });
});

describe('effective country, language and time zone (000: My Account overrides the account)', () => {
  it.each([
    {
      why: "the user's own values win over the account's",
      own: { country: 'GB', language: 'en-GB', time_zone: 'Europe/London' },
      sub: false,
      want: {
        effective_country: 'GB',
        effective_language: 'en-GB',
        effective_time_zone: 'Europe/London',
      },
    },
    {
      why: "a user without its own takes the account's",
      own: {},
      sub: false,
      want: {
        effective_country: 'FR',
        effective_language: 'fr',
        effective_time_zone: 'Europe/Paris',
      },
    },
    {
      why: "in a sub-account (which has no country): the sub-account's language and time zone, the parent's country",
      own: {},
      sub: true,
      want: {
        effective_country: 'FR',
        effective_language: 'de',
        effective_time_zone: 'Europe/Berlin',
      },
    },
    {
      why: 'one own value overrides only itself',
      own: { language: 'es' },
      sub: true,
      want: {
        effective_country: 'FR',
        effective_language: 'es',
        effective_time_zone: 'Europe/Berlin',
      },
    },
  ])('$why', async ({ own, sub, want }) => {
    const a = await t.account({ country: 'FR', language: 'fr', time_zone: 'Europe/Paris' });
    let where = a.id;
    if (sub) {
      const s = await t.call('POST', `/v1/accounts/${a.id}/sub_accounts`, {
        name: 'Berlin',
        language: 'de',
        time_zone: 'Europe/Berlin',
      });
      expect(s.status).toBe(201);
      where = s.body.id as string;
    }
    const r = await t.call('POST', `/v1/accounts/${where}/users`, user({ type: 'webphone' }, own));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.attributes).toMatchObject(want);
  });

  it("follows the account: a new account country shows on the user's next read", async () => {
    const a = await t.account({ country: 'FR' });
    const u = await t.call('POST', `/v1/accounts/${a.id}/users`, user({ type: 'webphone' }));
    const moved = await t.call('PATCH', `/_emulator/console/accounts/${a.id}`, { country: 'BE' });
    expect(moved.status).toBe(200);
    const r = await t.call('GET', `/v1/accounts/${a.id}/users/${u.body.id}`);
    expect(r.body.attributes).toMatchObject({ effective_country: 'BE' });
    expect(r.body.attributes.country).toBeUndefined();
  });
});

describe('E911 address check (004 Locations)', () => {
  const address = (over: Record<string, unknown>) => ({
    line1: '1600 Pennsylvania Ave NW',
    city: 'Washington',
    region: 'DC',
    postal_code: '20500',
    country: 'US',
    ...over,
  });
  it.each([
    {
      why: 'a full US street address is matched by the carrier',
      e911: address({}),
      validated: true,
      reason: undefined,
    },
    {
      why: 'a French address in the carrier coverage is matched',
      e911: address({
        line1: '10 Rue de la Republique',
        city: 'Lyon',
        region: undefined,
        postal_code: '69002',
        country: 'FR',
      }),
      validated: true,
      reason: undefined,
    },
    {
      why: 'a US address without its state cannot be routed to a PSAP: accepted, flagged',
      e911: address({ region: undefined }),
      validated: false,
      reason: /e911_address\.region/,
    },
    {
      why: 'a street line without a street number cannot be matched: accepted, flagged',
      e911: address({ line1: 'Pennsylvania Avenue' }),
      validated: false,
      reason: /no street number/,
    },
    {
      why: 'a country outside the carrier coverage: accepted, flagged',
      e911: address({ region: undefined, postal_code: '1000', country: 'LU' }),
      validated: false,
      reason: /does not cover country LU/,
    },
  ])('$why', async ({ e911, validated, reason }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/locations`, {
      name: 'Site',
      e911_address: e911,
    });
    expect(r.status).toBe(201);
    expect(r.body.attributes.e911_validated).toBe(validated);
    if (reason) expect(r.body.attributes.e911_validation_reason).toMatch(reason);
    else expect(r.body.attributes).not.toHaveProperty('e911_validation_reason');
  });

  it.each([
    {
      why: 'a PO box is not a place emergency services can be sent to',
      e911: address({ line1: 'PO Box 1234' }),
      field: 'e911_address.line1',
      rule: 'e911_dispatchable',
    },
    {
      why: 'a postal code not of the country format is refused',
      e911: address({ postal_code: '2050' }),
      field: 'e911_address.postal_code',
      rule: 'e911_postal_code',
    },
  ])('refuses: $why, and writes nothing', async ({ e911, field, rule }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/locations`, {
      name: 'Site',
      e911_address: e911,
    });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ field, rule });
    const list = await t.call('GET', `/v1/accounts/${a.id}/locations`);
    expect(list.body.items ?? list.body.data ?? list.body).toHaveLength(0);
  });

  it('re-checks the address on every update: fixing it validates the location', async () => {
    const a = await t.account();
    const created = await t.call('POST', `/v1/accounts/${a.id}/locations`, {
      name: 'Site',
      e911_address: address({ region: undefined }),
    });
    expect(created.body.attributes.e911_validated).toBe(false);
    const fixed = await t.call('PUT', `/v1/accounts/${a.id}/locations/${created.body.id}`, {
      name: 'Site',
      e911_address: address({}),
    });
    expect(fixed.body.attributes.e911_validated).toBe(true);
    expect(fixed.body.attributes).not.toHaveProperty('e911_validation_reason');
  });
});
