/**
 * Every plain setting of the five vendor documents through the emulator's HTTP API, one case per
 * product item: a valid value is kept and read back as written, and the product's rule refuses
 * a bad one with 422 naming the field (nothing is written). The items with behaviour of their
 * own (closed sets, uploads, seats, histories, credentials) have their own test files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

type Attrs = Record<string, unknown>;
let n = 0;
const user = (extra: Attrs) => ({
  name: 'Agent',
  login: `agent${++n}`,
  email: `agent${n}@acme.example`,
  ...extra,
});
const sso = (extra: Attrs) => ({
  name: `idp${++n}`,
  sp_entity_id: 'https://idp.acme.example/saml/metadata',
  idp_signature_certificate:
    '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=\n-----END CERTIFICATE-----\n',
  idp_login_url: 'https://idp.acme.example/saml/login',
  idp_logout_url: 'https://idp.acme.example/saml/logout',
  ...extra,
});

interface Case {
  /** The product item the case pins (document and item). */
  readonly why: string;
  /** Where it is written: the account itself, a settings document, or a collection. */
  readonly at:
    'account' | `settings/${string}` | 'users' | 'sso_connectors' | 'notification_subscriptions';
  readonly good: Attrs;
  /** A value the product refuses, and the field the refusal names. */
  readonly bad: Attrs;
  readonly field: string;
}

const cases: Case[] = [
  {
    why: '000 Password expiration: yes/no, and the days when yes',
    at: 'account',
    good: { password_expiration: { enabled: true, days: 90 } },
    bad: { password_expiration: { enabled: true, days: 400 } },
    field: 'password_expiration.days',
  },
  {
    why: '000 Supervision: on or off for all users',
    at: 'account',
    good: { supervision_enabled: true },
    bad: { supervision_enabled: 'yes' },
    field: 'supervision_enabled',
  },
  {
    why: '000 Head of line (default number): a phone number',
    at: 'account',
    good: { head_of_line_number: '+33180000000' },
    bad: { head_of_line_number: '0180000000' },
    field: 'head_of_line_number',
  },
  {
    why: '000 Original number presentation: yes/no on transfers',
    at: 'account',
    good: { original_number_presentation: true },
    bad: { original_number_presentation: 1 },
    field: 'original_number_presentation',
  },
  {
    why: '000 National trunk: a region code such as +33',
    at: 'account',
    good: { national_trunk: { enabled: true, region_code: '+44' } },
    bad: { national_trunk: { enabled: true, region_code: '44' } },
    field: 'national_trunk.region_code',
  },
  {
    why: '004 General: the billing address',
    at: 'account',
    good: {
      billing_address: {
        line1: '1 Main St',
        city: 'Springfield',
        postal_code: '12345',
        country: 'US',
      },
    },
    bad: { billing_address: { line1: '1 Main St', city: 'Springfield', country: 'US' } },
    field: 'billing_address.postal_code',
  },
  {
    why: '000 Data retention: unlimited, or 1-365 days',
    at: 'settings/data_retention',
    good: {
      recordings: { unlimited: false, days: 365 },
      voice_mailbox: { unlimited: false, days: 30 },
      personal_voicemail: { unlimited: true },
      ivr_recorder: { unlimited: false, days: 1 },
    },
    bad: { ivr_recorder: { unlimited: false, days: 366 } },
    field: 'ivr_recorder.days',
  },
  {
    why: '000 SMS settings: the provider URL (https)',
    at: 'settings/sms_settings',
    good: { provider_url: 'https://sms.provider.example/send' },
    bad: { provider_url: 'http://sms.provider.example/send' },
    field: 'provider_url',
  },
  {
    why: '002 Two-factor authentication for all users',
    at: 'settings/security_policy',
    good: { two_factor_required: true },
    bad: { two_factor_required: 'always' },
    field: 'two_factor_required',
  },
  {
    why: '002 Maximum user inactivity: 15 to 365 days',
    at: 'settings/security_policy',
    good: { max_user_inactivity_days: 15, max_login_attempts: 5, password_validity_days: 90 },
    bad: { max_user_inactivity_days: 14 },
    field: 'max_user_inactivity_days',
  },
  {
    why: '002 Maximum login attempts',
    at: 'settings/security_policy',
    good: { max_login_attempts: 3 },
    bad: { max_login_attempts: 0 },
    field: 'max_login_attempts',
  },
  {
    why: '002 Password validity in days (empty: never expires)',
    at: 'settings/security_policy',
    good: { password_validity_days: null },
    bad: { password_validity_days: 0 },
    field: 'password_validity_days',
  },
  {
    why: '004 Default outbound number',
    at: 'settings/telephony_settings',
    good: { default_outbound_number: '+33180000001' },
    bad: { default_outbound_number: 'reception' },
    field: 'default_outbound_number',
  },
  {
    why: '004 Transcription and recording toggles',
    at: 'settings/telephony_settings',
    good: { transcription_enabled: true, recording_enabled: false },
    bad: { recording_enabled: 'on' },
    field: 'recording_enabled',
  },
  {
    why: '004 Parking timeout',
    at: 'settings/telephony_settings',
    good: { parking_timeout_seconds: 120 },
    bad: { parking_timeout_seconds: 10 },
    field: 'parking_timeout_seconds',
  },
  {
    why: '004 Inbound and outbound fax limits per rolling hour',
    at: 'settings/telephony_settings',
    good: { inbound_fax_limit_per_hour: 50, outbound_fax_limit_per_hour: 20 },
    bad: { outbound_fax_limit_per_hour: -1 },
    field: 'outbound_fax_limit_per_hour',
  },
  {
    why: '003 User: display name, manual call number, CRM post URL',
    at: 'users',
    good: user({
      display_name: 'Ann',
      manual_call_number: '+33612345678',
      crm_post_url: 'https://crm.acme.example/post',
    }),
    bad: user({ manual_call_number: 'call me' }),
    field: 'manual_call_number',
  },
  {
    why: '003 Transfer caller ID: the campaign number or the contact number',
    at: 'users',
    good: user({ transfer_caller_id: 'contact_number' }),
    bad: user({ transfer_caller_id: 'agent_number' }),
    field: 'transfer_caller_id',
  },
  {
    why: '001 Incoming calls: per client, enabled or disabled; the user may configure them',
    at: 'users',
    good: user({ incoming_calls: { mode: 'per_client', user_can_configure: true } }),
    bad: user({ incoming_calls: { mode: 'sometimes' } }),
    field: 'incoming_calls.mode',
  },
  {
    why: '001 Outgoing calls: a call method only when enabled',
    at: 'users',
    good: user({
      outgoing_calls: { mode: 'enabled', call_method: 'desk_phone', user_can_configure: true },
    }),
    bad: user({ outgoing_calls: { mode: 'disabled', call_method: 'desk_phone' } }),
    field: 'outgoing_calls.call_method',
  },
  {
    why: '003 Connection method: an extension for every method but the webphone',
    at: 'users',
    good: user({ connection_method: { type: 'webphone' } }),
    bad: user({ connection_method: { type: 'dial_in' } }),
    field: 'connection_method.extension',
  },
  {
    why: '002 Notification subscriptions: a low-balance alert needs its threshold',
    at: 'notification_subscriptions',
    good: { event: 'low_balance', recipient: 'billing@acme.example', threshold: 100 },
    bad: { event: 'low_balance', recipient: 'billing@acme.example' },
    field: 'threshold',
  },
  {
    why: '002 Notification subscriptions: account balance and campaign events take no threshold',
    at: 'notification_subscriptions',
    good: { event: 'campaign_events', recipient: 'ops@acme.example', enabled: false },
    bad: { event: 'account_balance', recipient: 'cfo@acme.example', threshold: 5 },
    field: 'threshold',
  },
  {
    why: '002 SSO: SP entity ID, IdP certificate, login and logout URLs; auto-create users and groups',
    at: 'sso_connectors',
    good: sso({ auto_create_users: true, auto_create_groups: true }),
    bad: sso({ idp_logout_url: 'http://idp.acme.example/saml/logout' }),
    field: 'idp_logout_url',
  },
  {
    why: '002 SSO: the NameID format is an email address only',
    at: 'sso_connectors',
    good: sso({ name_id_format: 'email' }),
    bad: sso({ name_id_format: 'upn' }),
    field: 'name_id_format',
  },
];

describe('vendor settings are kept as written and refused by the product rules', () => {
  it.each(cases)('$why', async ({ at, good, bad, field }) => {
    const a = await t.account();
    const write = (body: Attrs) =>
      at === 'account'
        ? t.call('PUT', `/v1/accounts/${a.id}`, {
            name: 'Acme',
            email: 'admin@acme.example',
            ...body,
          })
        : at.startsWith('settings/')
          ? t.call('PUT', `/v1/accounts/${a.id}/${at}`, body)
          : t.call('POST', `/v1/accounts/${a.id}/${at}`, body);
    const ok = await write(good);
    expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
    const path =
      at === 'account'
        ? `/v1/accounts/${a.id}`
        : at.startsWith('settings/')
          ? `/v1/accounts/${a.id}/${at}`
          : `/v1/accounts/${a.id}/${at}/${String(ok.body.id)}`;
    const read = await t.call('GET', path);
    expect(read.body.attributes).toMatchObject(good);

    const refused = await write(bad);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.field).toBe(field);
    // Nothing of the refused write was kept.
    expect((await t.call('GET', path)).body.attributes).toMatchObject(good);
  });

  it('002 SSO: the SP initiation URL and the ACS URL are generated by the platform', async () => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/sso_connectors`, sso({}));
    expect(r.status).toBe(201);
    expect(r.body.attributes.sp_initiation_url).toMatch(/^https?:\/\/\S+/);
    expect(r.body.attributes.acs_url).toMatch(/^https?:\/\/\S+/);
    expect(r.body.attributes.acs_url).not.toBe(r.body.attributes.sp_initiation_url);
  });
});
