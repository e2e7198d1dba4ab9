import { describe, expect, it } from 'vitest';
import type { AttributeSchema } from '../../src/drift/compare.js';
import { keepIgnoredFields } from '../../src/drift/keep-ignored-fields.js';
import { platformSpec } from '../../src/drift/platform-spec.js';

const schema: AttributeSchema = {
  properties: {
    id: { type: 'string', readOnly: true },
    name: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    hold_music: { type: 'string' },
    password: { type: 'string', writeOnly: true },
    password_wo_version: { type: 'integer', 'x-telform-desired-only': true },
    tags: { type: 'array', uniqueItems: true },
    template_id: { type: 'string', 'x-telform-references': ['button_template'] },
    privileges: {
      type: 'object',
      properties: { admin: { type: 'boolean', default: false } },
    },
  },
};
const platformIds: Record<string, string> = {
  button_template_01a: 'bt-1',
  button_template_01b: 'bt-2',
};
const options = {
  toPlatformId: (id: string) => platformIds[id],
  toTelformId: (pid: string, kinds: readonly string[]) =>
    kinds.includes('button_template')
      ? Object.keys(platformIds).find((k) => platformIds[k] === pid)
      : undefined,
};

describe('platformSpec', () => {
  const cases: {
    reason: string;
    spec: Record<string, unknown>;
    observed: Record<string, unknown>;
    ignore?: string[];
    want: Record<string, unknown>;
    drifted: boolean;
  }[] = [
    {
      reason: 'a platform that agrees gives the spec back unchanged, defaults left unset',
      spec: { name: 'a' },
      observed: { name: 'a', role: 'agent', privileges: { admin: false } },
      want: { name: 'a' },
      drifted: false,
    },
    {
      reason: 'a value changed in the console shows as the platform holds it',
      spec: { name: 'a' },
      observed: { name: 'b', role: 'agent' },
      want: { name: 'b' },
      drifted: true,
    },
    {
      reason: 'a value removed in the console is null, not the default',
      spec: { name: 'a', role: 'supervisor' },
      observed: { name: 'a' },
      want: { name: 'a', role: null },
      drifted: true,
    },
    {
      reason: 'references compare as platform ids and come back as telform ids',
      spec: { name: 'a', template_id: 'button_template_01a' },
      observed: { name: 'a', template_id: 'bt-2' },
      want: { name: 'a', template_id: 'button_template_01b' },
      drifted: true,
    },
    {
      reason: 'an agreeing reference keeps the telform id',
      spec: { name: 'a', template_id: 'button_template_01a' },
      observed: { name: 'a', template_id: 'bt-1' },
      want: { name: 'a', template_id: 'button_template_01a' },
      drifted: false,
    },
    {
      reason: 'an ignored field keeps the spec value (never in a plan)',
      spec: { name: 'a', hold_music: 'jazz.mp3' },
      observed: { name: 'a', hold_music: 'console.mp3' },
      ignore: ['hold_music'],
      want: { name: 'a', hold_music: 'jazz.mp3' },
      drifted: false,
    },
    {
      reason: 'an ignored field the spec leaves unset reads as unset, not as the console value',
      spec: { name: 'a' },
      observed: { name: 'a', hold_music: 'console.mp3' },
      ignore: ['hold_music'],
      want: { name: 'a', hold_music: null },
      drifted: false,
    },
    {
      reason: 'secrets, desired-only and computed attributes are never taken from the platform',
      spec: { name: 'a', password_wo_version: 2 },
      observed: { name: 'a', id: 'u-1', password_wo_version: 1 },
      want: { name: 'a', password_wo_version: 2 },
      drifted: false,
    },
    {
      reason: 'a set in another order is the same set',
      spec: { tags: ['x', 'y'] },
      observed: { tags: ['y', 'x'] },
      want: { tags: ['x', 'y'] },
      drifted: false,
    },
    {
      reason: 'a nested field changed on the platform shows inside its object',
      spec: { name: 'a', privileges: { admin: false } },
      observed: { name: 'a', privileges: { admin: true } },
      want: { name: 'a', privileges: { admin: true } },
      drifted: true,
    },
  ];
  it.each(cases)('$reason', ({ spec, observed, ignore, want, drifted }) => {
    const held = platformSpec(schema, spec, observed, { ...options, ignoreFields: ignore ?? [] });
    expect(held).toEqual({ spec: want, drifted });
  });
});

describe('keepIgnoredFields', () => {
  const cases: {
    reason: string;
    desired: Record<string, unknown>;
    observed: Record<string, unknown>;
    ignore: string[];
    want: Record<string, unknown>;
  }[] = [
    {
      reason: 'a correction sends the platform value of an ignored field, never the configured one',
      desired: { name: 'a', hold_music: 'jazz.mp3' },
      observed: { name: 'b', hold_music: 'console.mp3' },
      ignore: ['hold_music'],
      want: { name: 'a', hold_music: 'console.mp3' },
    },
    {
      reason: 'an ignored field the platform does not hold is left out',
      desired: { name: 'a', hold_music: 'jazz.mp3' },
      observed: { name: 'b' },
      ignore: ['hold_music'],
      want: { name: 'a' },
    },
    {
      reason: 'nested ignored fields are kept as the platform holds them',
      desired: { privileges: { admin: false } },
      observed: { privileges: { admin: true } },
      ignore: ['privileges.admin'],
      want: { privileges: { admin: true } },
    },
    {
      reason: 'without ignored fields the desired values go as they are',
      desired: { name: 'a' },
      observed: { name: 'b' },
      ignore: [],
      want: { name: 'a' },
    },
  ];
  it.each(cases)('$reason', ({ desired, observed, ignore, want }) => {
    expect(keepIgnoredFields(schema, desired, observed, ignore)).toEqual(want);
  });
});
