import { describe, expect, it } from 'vitest';
import {
  applyOrder,
  catalog,
  dataSourceKinds,
  describeKind,
  getKind,
  managedKinds,
} from '../src/catalog.js';
import type { SchemaNode } from '../src/catalog.js';
import { validateResource } from '../src/validate.js';

/** Every object-level schema of a kind with its path: properties, array items, branches. */
function* objects(node: SchemaNode, path: string): Generator<[string, SchemaNode]> {
  yield [path, node];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (typeof child !== 'object') continue; // `false` in a then/else branch forbids a property
    yield* objects(child, path ? `${path}.${name}` : name);
    if (child.items) yield* objects(child.items, `${path ? `${path}.` : ''}${name}[]`);
  }
}

/** The `required` lists of an object schema and of its conditional branches. */
function requiredLists(node: SchemaNode): string[][] {
  const branches = [node, node.then, node.else, ...((node.allOf as SchemaNode[]) ?? [])];
  return branches.flatMap((b) => {
    const branch = b as SchemaNode | undefined;
    if (!branch) return [];
    const nested = branch === node ? [] : requiredLists(branch);
    return [[...(branch.required ?? [])], ...nested];
  });
}

const kinds = catalog.map((info) => info.kind);

describe('catalog', () => {
  it.each(kinds)('%s: the example is valid', (kind) => {
    expect(validateResource(kind, getKind(kind).example, 'create')).toEqual({ ok: true });
  });

  it.each(kinds)('%s: every attribute has a description', (kind) => {
    const info = getKind(kind);
    expect(info.description.length).toBeGreaterThan(20);
    const missing = [...objects(info.schema, '')].flatMap(([path, node]) =>
      Object.entries(node.properties ?? {})
        .filter(([, child]) => typeof child === 'object' && !child.description)
        .map(([name]) => `${path}.${name}`),
    );
    expect(missing).toEqual([]);
  });

  // ajv's strictRequired is off (it cannot see a parent's properties from a branch), so a
  // misspelt required name would make a rule impossible to satisfy without this check.
  it.each(kinds)('%s: every required name is a declared attribute', (kind) => {
    const undeclared = [...objects(getKind(kind).schema, '')].flatMap(([path, node]) =>
      requiredLists(node)
        .flat()
        .filter((name) => !node.properties?.[name])
        .map((name) => `${path}.${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it.each(kinds)('%s: file, kind and scope agree', (kind) => {
    const info = getKind(kind);
    expect(kind).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(info.schema.$id).toBe(`https://telform.dev/schemas/${kind}.schema.json`);
    expect(info.schema.additionalProperties).toBe(false);
    if (kind === 'account') {
      expect(info.scope).toBe('global');
      return;
    }
    // Every other kind names the account or sub-account it lives in.
    expect(info.scope).toBe('account');
    expect(info.schema.required).toContain('account_id');
    expect(info.references).toContainEqual({
      attribute: 'account_id',
      kinds: ['account', 'sub_account'],
    });
  });

  it.each(kinds)('%s: managed kinds have a computed id, data sources none', (kind) => {
    const info = getKind(kind);
    if (info.dataSource) {
      expect(info.schema.properties.id).toBeUndefined();
      expect(info.secrets).toEqual([]);
    } else {
      expect(info.computed).toContain('id');
    }
  });

  it('splits managed kinds from data sources', () => {
    expect(dataSourceKinds().map((k) => k.kind)).toEqual([
      'deletion_history',
      'email_blacklist',
      'limits',
      'notifications',
      'seat_log',
      'seat_usage',
      'webhook_history',
    ]);
    expect(managedKinds().length + dataSourceKinds().length).toBe(catalog.length);
  });

  it.each([
    {
      why: 'secrets are write-only and masked',
      kind: 'webhook',
      secrets: ['authentication.password'],
      sensitive: ['authentication.password'],
    },
    {
      why: 'the token is computed yet must be masked',
      kind: 'provisioning',
      secrets: ['phone_admin_password'],
      sensitive: ['phone_admin_password', 'token', 'provisioning_url'],
    },
    {
      why: 'a user password is the only user secret; the generated dial-in and SIP credentials are masked',
      kind: 'user',
      secrets: ['password'],
      sensitive: ['password', 'dial_in_id', 'dial_in_pin', 'sip_username', 'sip_password'],
    },
    {
      why: 'SSO URLs are generated, not secret',
      kind: 'sso_connector',
      secrets: [],
      sensitive: [],
    },
  ])('$kind: $why', ({ kind, secrets, sensitive }) => {
    expect(getKind(kind).secrets).toEqual(secrets);
    expect(getKind(kind).sensitive).toEqual(sensitive);
  });

  it.each([
    {
      why: 'the token and the URL embedding it are sealed at rest; the admin password has a version',
      kind: 'provisioning',
      generatedSecrets: ['token', 'provisioning_url'],
      desiredOnly: ['phone_admin_password_wo_version'],
    },
    {
      why: 'a nested secret has its version beside it',
      kind: 'webhook',
      generatedSecrets: [],
      desiredOnly: ['authentication.password_wo_version'],
    },
    {
      why: 'kinds without secrets have neither',
      kind: 'sso_connector',
      generatedSecrets: [],
      desiredOnly: [],
    },
  ])('$kind: $why', ({ kind, generatedSecrets, desiredOnly }) => {
    expect(getKind(kind).generatedSecrets).toEqual(generatedSecrets);
    expect(getKind(kind).desiredOnly).toEqual(desiredOnly);
  });

  it.each(catalog.map((info) => info.kind))(
    '%s: every write-only secret has an integer <name>_wo_version beside it, so it can be rotated',
    (kind) => {
      const info = getKind(kind);
      expect(info.desiredOnly).toEqual(info.secrets.map((path) => `${path}_wo_version`));
    },
  );

  it.each([
    {
      why: 'the platform cannot edit a customization',
      kind: 'customization',
      attribute: 'logo',
      forceNew: true,
    },
    {
      why: 'a device is its MAC address',
      kind: 'device',
      attribute: 'mac_address',
      forceNew: true,
    },
    {
      why: 'moving a user to another account replaces it',
      kind: 'user',
      attribute: 'account_id',
      forceNew: true,
    },
    { why: 'a webhook URL is edited in place', kind: 'webhook', attribute: 'url', forceNew: false },
  ])('$kind.$attribute: $why', ({ kind, attribute, forceNew }) => {
    expect(getKind(kind).forceNew.includes(attribute)).toBe(forceNew);
  });

  it('throws on an unknown kind, naming the known ones', () => {
    expect(() => getKind('fax')).toThrow(/unknown kind "fax"; known kinds: account, /);
  });

  it('refuses a kind file without its annotation', () => {
    expect(() => describeKind({ $id: 'x', properties: {} })).toThrow(/lacks an x-telform/);
    const bad = { ...getKind('user').schema, 'x-telform': { kind: 'x', scope: 'galaxy' } };
    expect(() => describeKind(bad)).toThrow(/scope must be "global" or "account"/);
  });
});

describe('applyOrder', () => {
  const order = applyOrder();

  it('lists every managed kind once', () => {
    expect([...order].sort()).toEqual(managedKinds().map((k) => k.kind));
  });

  it.each(managedKinds().map((info) => [info.kind, info] as const))(
    '%s comes after every kind it references',
    (kind, info) => {
      for (const dep of info.references.flatMap((r) => r.kinds)) {
        if (dep !== kind) expect(order.indexOf(dep), dep).toBeLessThan(order.indexOf(kind));
      }
    },
  );

  it.each([
    ['account', 'sub_account', 'a sub-account lives in an account'],
    ['sub_account', 'user', 'users may live in sub-accounts'],
    ['user', 'seat', 'a seat is assigned to a user'],
    ['button_template', 'device', 'a device is bound to a template'],
    ['location', 'device', 'a device is placed at a location'],
  ])('%s before %s: %s', (first, second) => {
    expect(order.indexOf(first)).toBeLessThan(order.indexOf(second));
  });

  it('refuses a reference cycle', () => {
    const schema = (kind: string, ref: string) => ({
      $id: kind,
      title: kind,
      description: kind,
      properties: { other: { type: 'string', 'x-telform-references': [ref] } },
      'x-telform': { kind, scope: 'account', singleton: false, data_source: false, example: {} },
    });
    const cycle = [describeKind(schema('a', 'b')), describeKind(schema('b', 'a'))];
    expect(() => applyOrder(cycle)).toThrow(/reference cycle among kinds: a, b/);
  });
});

// DESIGN.md section 3, item by item: where each setting lives in the schemas.
// prettier-ignore
const coverage: [string, string][] = [
  ['account', 'country'], ['account', 'language'], ['account', 'time_zone'], ['account', 'logo.file_name'],
  ['account', 'password_expiration.days'], ['account', 'supervision_enabled'], ['account', 'head_of_line_number'],
  ['account', 'original_number_presentation'], ['account', 'national_trunk.region_code'], ['playlist', 'clip_ids'], ['account_playlist', 'playlist_id'],
  ['account', 'billing_address.postal_code'], ['account', 'emergency_notification_recipients'],
  ['data_retention', 'recordings.days'], ['data_retention', 'voice_mailbox.unlimited'],
  ['data_retention', 'personal_voicemail.days'], ['data_retention', 'ivr_recorder.days'],
  ['sms_settings', 'provider_url'], ['sms_settings', 'authentication.password'],
  ['deletion_history', 'entries[].deleted_by'], ['limits', 'max_users'],
  ['domain', 'kind'], ['webhook', 'enabled'], ['webhook', 'url'], ['webhook', 'authentication.login'],
  ['webhook', 'rights.whatsapp_campaigns'], ['webhook', 'rights.exports'], ['webhook_history', 'entries[].http_status'],
  ['user', 'incoming_calls.mode'], ['user', 'outgoing_calls.call_method'], ['user', 'outgoing_calls.user_can_configure'],
  ['seat', 'user_id'], ['sub_account', 'seat_limit'], ['sub_account', 'enabled'],
  ['seat_usage', 'remaining'], ['seat_usage', 'warning_threshold_percent'], ['seat_usage', 'inactive_users_with_seats[].reason'],
  ['seat_log', 'entries[].impacted_user_id'], ['notification_subscription', 'threshold'],
  ['sso_connector', 'sp_entity_id'], ['sso_connector', 'idp_signature_certificate'], ['sso_connector', 'idp_logout_url'],
  ['sso_connector', 'sp_initiation_url'], ['sso_connector', 'acs_url'], ['sso_connector', 'auto_create_groups'],
  ['sso_connector', 'name_id_format'], ['security_policy', 'two_factor_required'], ['security_policy', 'max_login_attempts'],
  ['security_policy', 'password_validity_days'], ['customization', 'hostname'], ['customization', 'theme'],
  ['customization', 'logo.content_base64'], ['user', 'login'], ['user', 'manual_call_number'], ['user', 'crm_post_url'],
  ['user', 'privileges.three_way_manual_dial'], ['user', 'tabs.record_direct_calls'], ['user', 'transfer_caller_id'],
  ['user', 'connection_method.extension'], ['telephony_settings', 'extension_length'],
  ['telephony_settings', 'hold_music_clip_id'], ['audio_clip', 'content_base64'], ['telephony_settings', 'parking_timeout_seconds'],
  ['telephony_settings', 'inbound_fax_limit_per_hour'], ['location', 'e911_address.line1'],
  ['location', 'emergency_notification_recipients'], ['button_template', 'keys[].type'], ['device', 'button_template_id'],
  ['provisioning', 'token'], ['provisioning', 'provisioning_url'], ['provisioning', 'phone_admin_password'],
  ['provisioning', 'rotate_trigger'],
];

function attributeAt(kind: string, path: string): SchemaNode | undefined {
  return path.split('.').reduce<SchemaNode | undefined>((node, segment) => {
    const name = segment.replace(/\[\]$/, '');
    const child = node?.properties?.[name];
    return segment.endsWith('[]') ? child?.items : child;
  }, getKind(kind).schema);
}

it.each(coverage)('DESIGN.md section 3 is covered: %s.%s', (kind, path) => {
  expect(attributeAt(kind, path)?.description).toBeTruthy();
});
