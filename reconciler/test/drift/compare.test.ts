import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareAttributes,
  type AttributeSchema,
  type CompareOptions,
} from '../../src/drift/compare.js';

const user = JSON.parse(
  readFileSync(new URL('../../../schemas/kinds/user.schema.json', import.meta.url), 'utf8'),
) as AttributeSchema;
const account = JSON.parse(
  readFileSync(new URL('../../../schemas/kinds/account.schema.json', import.meta.url), 'utf8'),
) as AttributeSchema;

const baseUser = { account_id: 'account_a', name: 'Alice', login: 'alice', email: 'a@x.example' };
const platformUser = {
  ...baseUser,
  account_id: 'pa-1',
  role: 'agent',
  transfer_caller_id: 'campaign_number',
};
const resolveReference = (id: string) => (id === 'account_a' ? 'pa-1' : undefined);

interface Case {
  readonly why: string;
  readonly schema?: AttributeSchema;
  readonly desired: Record<string, unknown>;
  readonly observed: Record<string, unknown>;
  readonly options?: CompareOptions;
  readonly want: unknown[];
}

const cases: Case[] = [
  {
    why: 'identical values and defaults applied by the platform are not drift',
    desired: baseUser,
    observed: platformUser,
    want: [],
  },
  {
    why: 'a changed scalar is reported with desired and actual',
    desired: baseUser,
    observed: { ...platformUser, name: 'Mallory' },
    want: [{ field: 'name', desired: 'Alice', actual: 'Mallory' }],
  },
  {
    why: 'an unset attribute with a default means the default',
    desired: baseUser,
    observed: { ...platformUser, role: 'admin' },
    want: [{ field: 'role', desired: 'agent', actual: 'admin' }],
  },
  {
    why: 'nested objects report the leaf that moved, with defaults inside unset objects',
    desired: { ...baseUser, privileges: { transfer: true } },
    observed: { ...platformUser, privileges: { transfer: true, admin: true } },
    want: [{ field: 'privileges.admin', desired: false, actual: true }],
  },
  {
    why: 'an unset object whose fields all default compares each field to its default',
    desired: baseUser,
    observed: { ...platformUser, tabs: { home: false, list_view: true } },
    want: [{ field: 'tabs.list_view', desired: false, actual: true }],
  },
  {
    why: 'an attribute added out of band where none is desired is drift (Terraform would remove it)',
    desired: baseUser,
    observed: { ...platformUser, crm_post_url: 'https://evil.example/' },
    want: [{ field: 'crm_post_url', desired: null, actual: 'https://evil.example/' }],
  },
  {
    why: 'computed attributes are the platform own and never drift',
    desired: baseUser,
    observed: { ...platformUser, last_login_at: '2026-01-01T00:00:00Z', platform_user_id: 'u-9' },
    want: [],
  },
  {
    why: 'secrets are never compared, so a report can never show one',
    desired: { ...baseUser, password: 'desired-secret' },
    observed: { ...platformUser, password: 'other-secret' },
    want: [],
  },
  {
    why: 'desired-only versions are never compared: the platform never holds them',
    desired: { ...baseUser, password: 'desired-secret', password_wo_version: 3 },
    observed: platformUser,
    want: [],
  },
  {
    why: 'ignored fields never report, by exact path',
    desired: baseUser,
    observed: { ...platformUser, name: 'Bob', role: 'admin' },
    options: { ignoreFields: ['name'], resolveReference },
    want: [{ field: 'role', desired: 'agent', actual: 'admin' }],
  },
  {
    why: 'an ignored prefix covers everything under it; `*` matches one segment',
    desired: {
      ...baseUser,
      incoming_calls: { mode: 'enabled' },
      outgoing_calls: { mode: 'enabled' },
    },
    observed: {
      ...platformUser,
      privileges: { admin: true },
      incoming_calls: { mode: 'enabled', user_can_configure: true },
      outgoing_calls: { mode: 'disabled', user_can_configure: true },
    },
    options: { ignoreFields: ['privileges', '*.user_can_configure'], resolveReference },
    want: [{ field: 'outgoing_calls.mode', desired: 'enabled', actual: 'disabled' }],
  },
  {
    why: 'references compare by the platform id of the referenced resource',
    desired: baseUser,
    observed: { ...platformUser, account_id: 'pa-2' },
    options: { resolveReference },
    want: [{ field: 'account_id', desired: 'account_a', actual: 'pa-2' }],
  },
  {
    why: 'a required-field object left unset but present on the platform is drift as a whole',
    schema: account,
    desired: { name: 'Acme', email: 'a@x.example' },
    observed: {
      name: 'Acme',
      email: 'a@x.example',
      country: 'US',
      language: 'en',
      time_zone: 'UTC',
      national_trunk: { enabled: true, region_code: '+44' },
    },
    want: [
      { field: 'national_trunk', desired: null, actual: { enabled: true, region_code: '+44' } },
    ],
  },
  {
    why: 'uniqueItems arrays are sets: order on the platform does not matter, membership does',
    schema: account,
    desired: {
      name: 'Acme',
      email: 'a@x.example',
      emergency_notification_recipients: ['a@x.example', 'b@x.example'],
    },
    observed: {
      name: 'Acme',
      email: 'a@x.example',
      emergency_notification_recipients: ['b@x.example', 'a@x.example'],
    },
    want: [],
  },
  {
    why: 'a set missing a member is drift',
    schema: account,
    desired: {
      name: 'Acme',
      email: 'a@x.example',
      emergency_notification_recipients: ['a@x.example', 'b@x.example'],
    },
    observed: {
      name: 'Acme',
      email: 'a@x.example',
      emergency_notification_recipients: ['a@x.example'],
    },
    want: [
      {
        field: 'emergency_notification_recipients',
        desired: ['a@x.example', 'b@x.example'],
        actual: ['a@x.example'],
      },
    ],
  },
];

describe('compareAttributes', () => {
  it.each(cases)('$why', (c) => {
    const got = compareAttributes(
      c.schema ?? user,
      c.desired,
      c.observed,
      c.options ?? { resolveReference },
    );
    expect(got).toEqual(c.want);
  });
});
