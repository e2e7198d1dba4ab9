import { describe, expect, it } from 'vitest';
import { catalog, getKind } from '../src/catalog.js';
import type { KindSchema } from '../src/catalog.js';
import { compileKind } from '../src/compile-kind.js';
import { validateResource } from '../src/validate.js';
import type { ValidationMode } from '../src/validate.js';
import { editExample } from './fixtures/edit-example.js';
import { gif, jpeg, png, zeros } from './fixtures/images.js';

const USER_ID = 'user_01jd8x0000000000000000000b';
const TWO_MB = 2 * 1024 * 1024;
const FIVE_MB = 5 * 1024 * 1024;

interface Case {
  readonly why: string;
  readonly kind: string;
  readonly changes: Record<string, unknown>;
  readonly mode?: ValidationMode;
  /** `[field, rule]` of every expected error; empty when the input is valid. */
  readonly errors: readonly (readonly [string, string])[];
}

// prettier-ignore
const cases: Case[] = [
  // Range edges: each limit is tested just inside and just outside.
  { why: 'retention 0 days is below the range', kind: 'data_retention', changes: { 'recordings.days': 0 }, errors: [['recordings.days', 'minimum']] },
  { why: 'retention 1 day is the lowest allowed', kind: 'data_retention', changes: { 'recordings.days': 1 }, errors: [] },
  { why: 'retention 365 days is the highest allowed', kind: 'data_retention', changes: { 'ivr_recorder.days': 365 }, errors: [] },
  { why: 'retention 366 days is above the range', kind: 'data_retention', changes: { 'voice_mailbox.days': 366 }, errors: [['voice_mailbox.days', 'maximum']] },
  { why: 'retention days must be whole', kind: 'data_retention', changes: { 'recordings.days': 1.5 }, errors: [['recordings.days', 'type']] },
  { why: 'unlimited retention takes no days', kind: 'data_retention', changes: { 'recordings.unlimited': true }, errors: [['recordings.days', 'not_allowed']] },
  { why: 'unset unlimited means unlimited, so days are refused', kind: 'data_retention', changes: { recordings: { days: 30 } }, errors: [['recordings.days', 'not_allowed']] },
  { why: 'limited retention needs days', kind: 'data_retention', changes: { 'voice_mailbox.days': undefined }, errors: [['voice_mailbox.days', 'required']] },
  { why: 'inactivity 14 days is below the range', kind: 'security_policy', changes: { max_user_inactivity_days: 14 }, errors: [['max_user_inactivity_days', 'minimum']] },
  { why: 'inactivity 15 days is the lowest allowed', kind: 'security_policy', changes: { max_user_inactivity_days: 15 }, errors: [] },
  { why: 'inactivity 365 days is the highest allowed', kind: 'security_policy', changes: { max_user_inactivity_days: 365 }, errors: [] },
  { why: 'inactivity 366 days is above the range', kind: 'security_policy', changes: { max_user_inactivity_days: 366 }, errors: [['max_user_inactivity_days', 'maximum']] },
  { why: 'zero login attempts would lock everyone out', kind: 'security_policy', changes: { max_login_attempts: 0 }, errors: [['max_login_attempts', 'minimum']] },
  { why: 'null password validity means never expire', kind: 'security_policy', changes: { password_validity_days: null }, errors: [] },
  { why: 'password validity of 0 days is meaningless', kind: 'security_policy', changes: { password_validity_days: 0 }, errors: [['password_validity_days', 'minimum']] },
  { why: 'password expiration days stop at 365', kind: 'account', changes: { 'password_expiration.days': 366 }, errors: [['password_expiration.days', 'maximum']] },
  { why: 'password expiration on needs days', kind: 'account', changes: { 'password_expiration.days': undefined }, errors: [['password_expiration.days', 'required']] },
  { why: 'password expiration off needs no days', kind: 'account', changes: { password_expiration: { enabled: false } }, errors: [] },
  { why: 'national trunk on needs a region code', kind: 'account', changes: { 'national_trunk.region_code': undefined }, errors: [['national_trunk.region_code', 'required']] },
  { why: 'extension length below 2 digits', kind: 'telephony_settings', changes: { extension_length: 1 }, errors: [['extension_length', 'minimum']] },
  { why: 'extension length above 8 digits', kind: 'telephony_settings', changes: { extension_length: 9 }, errors: [['extension_length', 'maximum']] },
  { why: 'a negative fax limit is meaningless', kind: 'telephony_settings', changes: { inbound_fax_limit_per_hour: -1 }, errors: [['inbound_fax_limit_per_hour', 'minimum']] },
  { why: 'a fax limit of 0 refuses all faxes and is allowed', kind: 'telephony_settings', changes: { outbound_fax_limit_per_hour: 0 }, errors: [] },
  { why: 'a negative seat limit is meaningless', kind: 'sub_account', changes: { seat_limit: -1 }, errors: [['seat_limit', 'minimum']] },
  // Logos: name rules, decoded size, dimensions.
  { why: 'logo names allow letters, digits, spaces and _.-():', kind: 'account', changes: { logo: { file_name: 'Acme (v2)_final-1.jpeg', content_base64: jpeg(10, 10) } }, errors: [] },
  { why: 'a * is not allowed in a logo name', kind: 'account', changes: { logo: { file_name: 'acme*.png', content_base64: png(10, 10) } }, errors: [['logo.file_name', 'pattern']] },
  { why: 'a .bmp logo is not an accepted format', kind: 'account', changes: { logo: { file_name: 'acme.bmp', content_base64: png(10, 10) } }, errors: [['logo.file_name', 'pattern']] },
  { why: 'an account logo just under 2 MB is accepted', kind: 'account', changes: { logo: { file_name: 'a.png', content_base64: png(10, 10, TWO_MB - 1) } }, errors: [] },
  { why: 'an account logo of 2 MB is not under 2 MB', kind: 'account', changes: { logo: { file_name: 'a.png', content_base64: png(10, 10, TWO_MB) } }, errors: [['logo.content_base64', 'max_decoded_bytes']] },
  // Logo content: the bytes must be the format the file name says, whatever their size.
  { why: 'a text file named .png is no PNG', kind: 'account', changes: { logo: { file_name: 'acme.png', content_base64: Buffer.from('hello, not an image').toString('base64') } }, errors: [['logo.content_base64', 'image_format']] },
  { why: 'a GIF named .png is not the format its name says', kind: 'account', changes: { logo: { file_name: 'acme.png', content_base64: gif(10, 10) } }, errors: [['logo.content_base64', 'image_format']] },
  { why: '.jpg and .jpeg both name JPEG', kind: 'account', changes: { logo: { file_name: 'acme.JPG', content_base64: jpeg(10, 10) } }, errors: [['logo.file_name', 'pattern']] },
  { why: 'a JPEG named .jpg is accepted', kind: 'account', changes: { logo: { file_name: 'acme.jpg', content_base64: jpeg(10, 10) } }, errors: [] },
  { why: 'the portal logo also checks the name against the bytes', kind: 'customization', changes: { logo: { file_name: 'acme.gif', content_base64: png(10, 10) } }, errors: [['logo.content_base64', 'image_format']] },
  // Audio clips: MP3 or WAV by content, as the file name says, at most 10 MB.
  { why: 'the example WAV clip is accepted', kind: 'audio_clip', changes: {}, errors: [] },
  { why: 'a WAV named .mp3 is refused', kind: 'audio_clip', changes: { file_name: 'a.mp3' }, errors: [['content_base64', 'audio_format']] },
  { why: 'an MPEG frame header is an MP3', kind: 'audio_clip', changes: { file_name: 'a.mp3', content_base64: Buffer.from([0xff, 0xfb, 0x90, 0x64]).toString('base64') }, errors: [] },
  { why: 'a PNG is no audio', kind: 'audio_clip', changes: { content_base64: png(1, 1) }, errors: [['content_base64', 'audio_format']] },
  { why: '.ogg is not an accepted clip format', kind: 'audio_clip', changes: { file_name: 'a.ogg' }, errors: [['file_name', 'pattern']] },
  // Closed sets: a misspelt key is refused, never dropped.
  { why: 'super_admin is no privilege (admin is)', kind: 'user', changes: { 'privileges.super_admin': true }, errors: [['privileges.super_admin', 'additionalProperties']] },
  { why: 'manual_dail is a misspelt tab', kind: 'user', changes: { 'tabs.manual_dail': true }, errors: [['tabs.manual_dail', 'additionalProperties']] },
  { why: 'a webhook right must name a module', kind: 'webhook', changes: { 'rights.whatsapp': true }, errors: [['rights.whatsapp', 'additionalProperties']] },
  { why: 'a known privilege set to false is fine', kind: 'user', changes: { 'privileges.admin': false }, errors: [] },
  { why: 'logo content must be base64', kind: 'account', changes: { logo: { file_name: 'a.png', content_base64: 'not base64!' } }, errors: [['logo.content_base64', 'pattern']] },
  { why: 'a 150x150 PNG fits the portal logo', kind: 'customization', changes: { 'logo.content_base64': png(150, 150) }, errors: [] },
  { why: 'a PNG one pixel too wide', kind: 'customization', changes: { 'logo.content_base64': png(151, 150) }, errors: [['logo.content_base64', 'max_image_dimensions']] },
  { why: 'a GIF one pixel too tall', kind: 'customization', changes: { 'logo.file_name': 'a.gif', 'logo.content_base64': gif(150, 151) }, errors: [['logo.content_base64', 'max_image_dimensions']] },
  { why: 'a 150x150 GIF fits', kind: 'customization', changes: { 'logo.file_name': 'a.gif', 'logo.content_base64': gif(150, 150) }, errors: [] },
  { why: 'a JPEG whose frame header says 200x100', kind: 'customization', changes: { 'logo.file_name': 'a.jpeg', 'logo.content_base64': jpeg(200, 100) }, errors: [['logo.content_base64', 'max_image_dimensions']] },
  { why: 'a 150x150 JPEG fits', kind: 'customization', changes: { 'logo.file_name': 'a.jpeg', 'logo.content_base64': jpeg(150, 150) }, errors: [] },
  { why: 'bytes that are no image cannot be measured', kind: 'customization', changes: { 'logo.content_base64': zeros(64) }, errors: [['logo.content_base64', 'image_format']] },
  { why: 'a portal logo of exactly 5 MB is accepted', kind: 'customization', changes: { 'logo.content_base64': png(100, 100, FIVE_MB) }, errors: [] },
  { why: 'a portal logo over 5 MB', kind: 'customization', changes: { 'logo.content_base64': png(100, 100, FIVE_MB + 1) }, errors: [['logo.content_base64', 'max_decoded_bytes']] },
  // Formats.
  { why: 'a user email needs a domain', kind: 'user', changes: { email: 'alice' }, errors: [['email', 'format']] },
  { why: 'the failing recipient is named by its index', kind: 'location', changes: { emergency_notification_recipients: ['a@acme.example', 'b@acme.example', 'nope'] }, errors: [['emergency_notification_recipients[2]', 'format']] },
  { why: 'recipients are a set', kind: 'location', changes: { emergency_notification_recipients: ['a@acme.example', 'a@acme.example'] }, errors: [['emergency_notification_recipients', 'uniqueItems']] },
  { why: 'a webhook URL must be a URL', kind: 'webhook', changes: { url: 'hooks dot example' }, errors: [ ['url', 'format'], ['url', 'pattern'], ] },
  { why: 'webhooks are only posted over HTTPS', kind: 'webhook', changes: { url: 'http://hooks.acme.example/' }, errors: [['url', 'pattern']] },
  { why: 'the IdP login URL must be HTTPS', kind: 'sso_connector', changes: { idp_login_url: 'ftp://idp.acme.example' }, errors: [['idp_login_url', 'pattern']] },
  { why: 'the IdP certificate must be PEM', kind: 'sso_connector', changes: { idp_signature_certificate: 'MIIBszCCAVmgAwIBAgIU' }, errors: [['idp_signature_certificate', 'pattern']] },
  { why: 'NameID can only be an email', kind: 'sso_connector', changes: { name_id_format: 'upn' }, errors: [['name_id_format', 'const']] },
  { why: 'MAC addresses are lowercase with colons', kind: 'device', changes: { mac_address: '80:5E:C0:12:34:56' }, errors: [['mac_address', 'pattern']] },
  { why: 'domain names are lowercase', kind: 'domain', changes: { name: 'Acme.example' }, errors: [['name', 'pattern']] },
  { why: 'a domain is for chat, mailboxes or user emails only', kind: 'domain', changes: { kind: 'web' }, errors: [['kind', 'enum']] },
  { why: 'head-of-line numbers are E.164', kind: 'account', changes: { head_of_line_number: '0180000000' }, errors: [['head_of_line_number', 'pattern']] },
  // Call settings and connection methods.
  { why: 'a call method needs outgoing calls enabled', kind: 'user', changes: { 'outgoing_calls.mode': 'disabled' }, errors: [['outgoing_calls.call_method', 'not_allowed']] },
  { why: 'per-client mode leaves the method to each client', kind: 'user', changes: { 'outgoing_calls.mode': 'per_client' }, errors: [['outgoing_calls.call_method', 'not_allowed']] },
  { why: 'disabled outgoing calls without a method are fine', kind: 'user', changes: { outgoing_calls: { mode: 'disabled' } }, errors: [] },
  { why: 'incoming calls have three modes only', kind: 'user', changes: { 'incoming_calls.mode': 'sometimes' }, errors: [['incoming_calls.mode', 'enum']] },
  { why: 'a SIP phone needs an extension', kind: 'user', changes: { 'connection_method.extension': undefined }, errors: [['connection_method.extension', 'required']] },
  { why: 'a SIP address needs an extension', kind: 'user', changes: { connection_method: { type: 'sip_address' } }, errors: [['connection_method.extension', 'required']] },
  { why: 'dial-in needs an extension', kind: 'user', changes: { connection_method: { type: 'dial_in' } }, errors: [['connection_method.extension', 'required']] },
  { why: 'the webphone needs no extension', kind: 'user', changes: { connection_method: { type: 'webphone' } }, errors: [] },
  { why: 'extensions have 2 to 8 digits', kind: 'user', changes: { 'connection_method.extension': '1' }, errors: [['connection_method.extension', 'pattern']] },
  // Credentials when authentication is on; secrets kept on update.
  { why: 'SMS authentication on needs login and password', kind: 'sms_settings', changes: { authentication: { enabled: true } }, errors: [ ['authentication.login', 'required'], ['authentication.password', 'required'], ] },
  { why: 'on update an omitted SMS password keeps the stored one', kind: 'sms_settings', mode: 'update', changes: { 'authentication.password': undefined }, errors: [] },
  { why: 'on update the login is not a secret and is still required', kind: 'sms_settings', mode: 'update', changes: { authentication: { enabled: true } }, errors: [['authentication.login', 'required']] },
  { why: 'credentials with authentication off would be silently ignored', kind: 'sms_settings', changes: { 'authentication.enabled': false }, errors: [ ['authentication.login', 'not_allowed'], ['authentication.password', 'not_allowed'], ] },
  { why: 'webhook authentication on needs a password', kind: 'webhook', changes: { 'authentication.password': undefined }, errors: [['authentication.password', 'required']] },
  { why: 'on create a user password may be omitted', kind: 'user', changes: {}, errors: [] },
  // Versions of write-only secrets (x-telform-desired-only): a whole number from 0, beside the secret.
  { why: 'a password version is what Terraform sees change to re-send the password', kind: 'user', changes: { password: 'n3w-passw0rd', password_wo_version: 2 }, errors: [] },
  { why: 'version 0 is the lowest, for a counter that starts at zero', kind: 'provisioning', changes: { phone_admin_password_wo_version: 0 }, errors: [] },
  { why: 'a negative version is meaningless', kind: 'user', changes: { password_wo_version: -1 }, errors: [['password_wo_version', 'minimum']] },
  { why: 'a version is a whole number, not a timestamp string', kind: 'sms_settings', changes: { 'authentication.password_wo_version': '2026-11-22' }, errors: [['authentication.password_wo_version', 'type']] },
  { why: 'the version sits beside the nested password it versions', kind: 'webhook', changes: { 'authentication.password_wo_version': 3 }, errors: [] },
  { why: 'the version is not a top-level webhook attribute', kind: 'webhook', changes: { password_wo_version: 3 }, errors: [['password_wo_version', 'additionalProperties']] },
  { why: 'a low-balance subscription needs a threshold', kind: 'notification_subscription', changes: { threshold: undefined }, errors: [['threshold', 'required']] },
  { why: 'a threshold means nothing for campaign events', kind: 'notification_subscription', changes: { event: 'campaign_events' }, errors: [['threshold', 'not_allowed']] },
  // Keys of button templates.
  { why: 'a BLF key needs the extension it watches', kind: 'button_template', changes: { 'keys.1.value': undefined }, errors: [['keys[1].value', 'required']] },
  { why: 'a voicemail key takes no value', kind: 'button_template', changes: { 'keys.3.value': '1' }, errors: [['keys[3].value', 'not_allowed']] },
  { why: 'two keys cannot share a position', kind: 'button_template', changes: { 'keys.1.position': 1 }, errors: [['keys', 'unique_by']] },
  // Computed, unknown and reference attributes.
  { why: 'ids are assigned by telform', kind: 'user', changes: { id: USER_ID }, errors: [['id', 'readOnly']] },
  { why: 'the ACS URL is generated by the platform', kind: 'sso_connector', changes: { acs_url: 'https://x.example/acs' }, errors: [['acs_url', 'readOnly']] },
  { why: 'the provisioning token is generated, never set', kind: 'provisioning', changes: { token: 'abc' }, errors: [['token', 'readOnly']] },
  { why: 'a data source refuses its outputs as input', kind: 'seat_usage', changes: { purchased: 10 }, errors: [['purchased', 'readOnly']] },
  { why: 'references are resolved elsewhere: the emulator sees platform ids', kind: 'seat', changes: { account_id: 'acct-12', user_id: 'usr-7' }, errors: [] },
  { why: 'a typo is refused, not ignored', kind: 'user', changes: { emial: 'a@acme.example' }, errors: [['emial', 'additionalProperties']] },
  { why: 'a nested typo names its full path', kind: 'user', changes: { 'privileges.superuser': true }, errors: [['privileges.superuser', 'additionalProperties']] },
  { why: 'a privilege is a boolean', kind: 'user', changes: { 'privileges.admin': 'yes' }, errors: [['privileges.admin', 'type']] },
  { why: 'required attributes are named', kind: 'webhook', changes: { url: undefined }, errors: [['url', 'required']] },
];

const summary = (kind: string, value: unknown, mode: ValidationMode) => {
  const result = validateResource(kind, value, mode);
  return result.ok ? [] : result.errors.map((e) => [e.field, e.rule]);
};
const sorted = (pairs: readonly (readonly string[])[]) => [...pairs].map((p) => p.join(' ')).sort();

describe('validateResource', () => {
  it.each(cases)('$kind: $why', ({ kind, changes, mode, errors }) => {
    const value = editExample(kind, changes);
    expect(sorted(summary(kind, value, mode ?? 'create'))).toEqual(sorted(errors));
    // Submitted values may be secrets: no message repeats one.
    const result = validateResource(kind, value, mode ?? 'create');
    const messages = result.ok ? '' : result.errors.map((e) => e.message).join('\n');
    for (const submitted of Object.values(changes)) {
      if (typeof submitted === 'string' && submitted.length >= 6) {
        expect(messages).not.toContain(submitted);
      }
    }
  });

  it.each([
    ['data_retention', { 'recordings.days': 366 }, 'recordings.days must be at most 365'],
    [
      'security_policy',
      { max_user_inactivity_days: 14 },
      'max_user_inactivity_days must be at least 15',
    ],
    [
      'user',
      { 'outgoing_calls.mode': 'disabled' },
      'outgoing_calls.call_method is not allowed when outgoing_calls.mode is not "enabled"',
    ],
    [
      'user',
      { connection_method: { type: 'dial_in' } },
      'connection_method.extension is required when connection_method.type is one of "sip_phone", "sip_address", "dial_in"',
    ],
    [
      'account',
      { logo: { file_name: 'a.png', content_base64: png(10, 10, TWO_MB) } },
      'logo.content_base64 must decode to at most 2097151 bytes',
    ],
    [
      'account',
      { logo: { file_name: 'a.png', content_base64: zeros(8) } },
      'logo.content_base64 must hold an image of the format logo.file_name names (png, gif or jpeg)',
    ],
    [
      'user',
      { 'privileges.super_admin': true },
      'privileges.super_admin is not one of the keys of privileges: admin, manage_campaigns, allow_exports, auto_next_default, script_pop_default, edit_settings, monitor, show_productivity, kick_idle_agents, manual_dial, global_search, three_way_manual_dial, transfer, hide_phone, hide_recent_calls',
    ],
    [
      'customization',
      { 'logo.content_base64': png(151, 10) },
      'logo.content_base64 must be at most 150x150 pixels',
    ],
  ] as const)('%s: says "%s"', (kind, changes, message) => {
    const result = validateResource(kind, editExample(kind, changes), 'create');
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([message]);
  });

  it('never repeats a refused secret in its errors', () => {
    const secret = 'x'.repeat(300);
    const result = validateResource(
      'sms_settings',
      editExample('sms_settings', { 'authentication.password': secret }),
      'create',
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('xxxxxxxx');
  });

  it('names the resource when the input is not an object', () => {
    expect(validateResource('account', [], 'create')).toEqual({
      ok: false,
      errors: [{ field: '', rule: 'type', message: 'the Account resource must be an object' }],
    });
  });

  it('throws on an unknown kind', () => {
    expect(() => validateResource('fax_machine', {}, 'create')).toThrow(
      /unknown kind "fax_machine"/,
    );
  });
});

// Each row removes one rule from a copy of a schema: the value that the real schema refuses
// must then pass, which proves the refusal comes from that rule and the test can fail.
// prettier-ignore
const mutations = [
  { kind: 'data_retention', remove: ['/properties/recordings/properties/days/maximum'], changes: { 'recordings.days': 366 } },
  { kind: 'security_policy', remove: ['/properties/max_user_inactivity_days/minimum'], changes: { max_user_inactivity_days: 14 } },
  { kind: 'account', remove: ['/properties/logo/properties/content_base64/x-telform-max-decoded-bytes'], changes: { logo: { file_name: 'a.png', content_base64: png(1, 1, TWO_MB) } } },
  { kind: 'account', remove: ['/properties/logo/properties/content_base64/x-telform-image-format-of'], changes: { logo: { file_name: 'a.png', content_base64: zeros(8) } } },
  { kind: 'user', remove: ['/properties/privileges/additionalProperties'], changes: { 'privileges.super_admin': true } },
  { kind: 'webhook', remove: ['/properties/rights/additionalProperties'], changes: { 'rights.whatsapp': true } },
  { kind: 'customization', remove: ['/properties/logo/properties/content_base64/x-telform-max-image-size'], changes: { 'logo.content_base64': png(151, 150) } },
  { kind: 'account', remove: ['/properties/logo/properties/file_name/pattern'], changes: { logo: { file_name: 'acme*.png', content_base64: png(1, 1) } } },
  { kind: 'user', remove: ['/properties/connection_method/if', '/properties/connection_method/then'], changes: { 'connection_method.extension': undefined } },
  { kind: 'user', remove: ['/properties/outgoing_calls/if', '/properties/outgoing_calls/then'], changes: { 'outgoing_calls.mode': 'disabled' } },
  { kind: 'user', remove: ['/properties/id/readOnly'], changes: { id: USER_ID } },
  { kind: 'button_template', remove: ['/properties/keys/x-telform-unique-by'], changes: { 'keys.1.position': 1 } },
  { kind: 'sms_settings', remove: ['/properties/authentication/then'], changes: { 'authentication.password': undefined } },
];

function without(schema: KindSchema, pointers: readonly string[]): KindSchema {
  const copy = structuredClone(schema) as unknown as Record<string, unknown>;
  for (const pointer of pointers) {
    const keys = pointer.split('/').slice(1);
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, copy);
    expect(parent, `${pointer} exists`).toHaveProperty([last]);
    delete parent[last];
  }
  return copy as unknown as KindSchema;
}

describe('each rule is enforced by the schema keyword it claims', () => {
  it.each(mutations)('$kind without $remove', ({ kind, remove, changes }) => {
    const info = getKind(kind);
    const value = editExample(kind, changes);
    expect(compileKind(info.schema, info.secrets)(value, 'create').ok).toBe(false);
    expect(compileKind(without(info.schema, remove), info.secrets)(value, 'create')).toEqual({
      ok: true,
    });
  });
});

describe('generated validators', () => {
  it('exist for every kind, each accepting its own example', () => {
    // Why: validators are compiled at build time; a kind missing from the generated file (or
    // generated from a stale catalogue) must fail here, not on a user's first request.
    for (const info of catalog) {
      expect(validateResource(info.kind, info.example, 'create'), info.kind).toEqual({ ok: true });
    }
  });
});
