import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const sipUser = (login: string, extension: string) => ({
  name: login,
  login,
  email: `${login}@acme.example`,
  connection_method: { type: 'sip_phone', extension },
});

describe('extensions', () => {
  it.each([
    {
      why: 'an extension of the account length is accepted',
      length: 4,
      ext: '1001',
      status: 201,
      rule: undefined,
    },
    {
      why: 'a shorter one is refused by the account rule',
      length: 4,
      ext: '101',
      status: 422,
      rule: 'extension_length',
    },
    { why: 'a longer one too', length: 3, ext: '1001', status: 422, rule: 'extension_length' },
  ])('$why', async ({ length, ext, status, rule }) => {
    const a = await t.account();
    await t.call('PUT', `/v1/accounts/${a.id}/settings/telephony_settings`, {
      extension_length: length,
    });
    const r = await t.call('POST', `/v1/accounts/${a.id}/users`, sipUser('ext', ext));
    expect(r.status).toBe(status);
    if (rule) expect(r.body.error).toMatchObject({ field: 'connection_method.extension', rule });
  });

  it('an extension belongs to one user of the account', async () => {
    const a = await t.account();
    expect(
      (await t.call('POST', `/v1/accounts/${a.id}/users`, sipUser('first', '2001'))).status,
    ).toBe(201);
    const dup = await t.call('POST', `/v1/accounts/${a.id}/users`, sipUser('second', '2001'));
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ field: 'connection_method.extension', rule: 'unique' });
  });
});

describe('devices', () => {
  it('bind to a button template and a location of the same account only', async () => {
    const a = await t.account();
    const b = await t.account();
    const tpl = await t.call('POST', `/v1/accounts/${a.id}/button_templates`, {
      name: 'T',
      keys: [{ position: 1, type: 'line', value: '1001' }],
    });
    const foreign = await t.call('POST', `/v1/accounts/${b.id}/button_templates`, {
      name: 'T',
      keys: [{ position: 1, type: 'line', value: '1001' }],
    });
    const ok = await t.call('POST', `/v1/accounts/${a.id}/devices`, {
      mac_address: '80:5e:c0:00:00:01',
      model: 'yealink-t54w',
      button_template_id: tpl.body.id,
    });
    expect(ok.status).toBe(201);
    const bad = await t.call('POST', `/v1/accounts/${a.id}/devices`, {
      mac_address: '80:5e:c0:00:00:02',
      model: 'yealink-t54w',
      button_template_id: foreign.body.id,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ field: 'button_template_id', rule: 'reference' });
  });

  it('a MAC address is registered once across the platform', async () => {
    const a = await t.account();
    const b = await t.account();
    const mac = '80:5e:c0:00:00:99';
    expect(
      (
        await t.call('POST', `/v1/accounts/${a.id}/devices`, {
          mac_address: mac,
          model: 'poly-vvx450',
        })
      ).status,
    ).toBe(201);
    const dup = await t.call('POST', `/v1/accounts/${b.id}/devices`, {
      mac_address: mac,
      model: 'poly-vvx450',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ field: 'mac_address', rule: 'unique' });
  });
});
