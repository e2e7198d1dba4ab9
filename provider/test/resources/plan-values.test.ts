import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '@telform/schemas';
import type { JsonSchemaAttribute } from '../../src/protocol/cty-type.js';
import { unknownValue } from '../../src/protocol/unknown-value.js';
import { planObject, replacedPaths } from '../../src/resources/plan-values.js';

const attributes: Record<string, JsonSchemaAttribute> = {
  id: { type: 'string', computed: true },
  name: { type: 'string', required: true },
  role: { type: 'string', optional: true, computed: true },
  platform_id: { type: 'string', computed: true },
  password: { type: 'string', optional: true, sensitive: true, write_only: true },
  privileges: {
    optional: true,
    nested_type: {
      nesting_mode: 'single',
      attributes: { admin: { type: 'bool', optional: true, computed: true } },
    },
  },
};
const node: SchemaNode = {
  properties: {
    id: { type: 'string', readOnly: true },
    name: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    platform_id: { type: 'string', readOnly: true },
    password: { type: 'string', writeOnly: true },
    privileges: { type: 'object', properties: { admin: { type: 'boolean', default: false } } },
  },
};
const empty = {
  id: null,
  name: null,
  role: null,
  platform_id: null,
  password: null,
  privileges: null,
};

describe('planObject', () => {
  const cases: {
    why: string;
    proposed: Record<string, unknown>;
    config: Record<string, unknown>;
    create: boolean;
    writeOnly?: boolean;
    expected: Record<string, unknown>;
  }[] = [
    {
      why: 'on create, computed values without a default are unknown (id!) and defaults are planned',
      proposed: { ...empty, name: 'a' },
      config: { ...empty, name: 'a' },
      create: true,
      expected: { ...empty, name: 'a', id: unknownValue, platform_id: unknownValue, role: 'agent' },
    },
    {
      why: 'on update, computed values keep their prior value so an unchanged config plans no diff',
      proposed: { ...empty, id: 'user_1', name: 'a', role: 'agent', platform_id: 'u-1' },
      config: { ...empty, name: 'a' },
      create: false,
      expected: { ...empty, id: 'user_1', name: 'a', role: 'agent', platform_id: 'u-1' },
    },
    {
      why: 'removing a defaulted attribute from the config plans its default back, as the platform would',
      proposed: { ...empty, id: 'user_1', name: 'a', role: 'admin', platform_id: 'u-1' },
      config: { ...empty, name: 'a' },
      create: false,
      expected: { ...empty, id: 'user_1', name: 'a', role: 'agent', platform_id: 'u-1' },
    },
    {
      why: 'a configured value wins over the default',
      proposed: { ...empty, name: 'a', role: 'admin' },
      config: { ...empty, name: 'a', role: 'admin' },
      create: true,
      expected: { ...empty, name: 'a', role: 'admin', id: unknownValue, platform_id: unknownValue },
    },
    {
      why: 'write-only values never enter the plan',
      proposed: { ...empty, name: 'a', password: 'secret-1' },
      config: { ...empty, name: 'a', password: 'secret-1' },
      create: true,
      expected: { ...empty, name: 'a', role: 'agent', id: unknownValue, platform_id: unknownValue },
    },
    {
      why: 'without write-only support the secret stays a (sensitive) planned value',
      proposed: { ...empty, name: 'a', password: 'secret-1' },
      config: { ...empty, name: 'a', password: 'secret-1' },
      create: true,
      writeOnly: false,
      expected: {
        ...empty,
        name: 'a',
        password: 'secret-1',
        role: 'agent',
        id: unknownValue,
        platform_id: unknownValue,
      },
    },
    {
      why: 'defaults apply inside a configured nested object',
      proposed: { ...empty, name: 'a', privileges: { admin: null } },
      config: { ...empty, name: 'a', privileges: { admin: null } },
      create: true,
      expected: {
        ...empty,
        name: 'a',
        role: 'agent',
        id: unknownValue,
        platform_id: unknownValue,
        privileges: { admin: false },
      },
    },
    {
      why: 'an unknown configured value stays unknown rather than defaulted',
      proposed: { ...empty, name: 'a', role: unknownValue },
      config: { ...empty, name: 'a', role: unknownValue },
      create: true,
      expected: {
        ...empty,
        name: 'a',
        role: unknownValue,
        id: unknownValue,
        platform_id: unknownValue,
      },
    },
  ];
  it.each(cases)('$why', ({ proposed, config, create, writeOnly, expected }) => {
    expect(
      planObject(attributes, node, proposed, config, { create, writeOnly: writeOnly ?? true }),
    ).toEqual(expected);
  });
});

describe('replacedPaths', () => {
  const cases: {
    why: string;
    prior: Record<string, unknown>;
    planned: Record<string, unknown>;
    expected: string[];
  }[] = [
    {
      why: 'an unchanged force-new attribute replaces nothing',
      prior: { login: 'a' },
      planned: { login: 'a' },
      expected: [],
    },
    {
      why: 'a changed force-new attribute forces replacement',
      prior: { login: 'a' },
      planned: { login: 'b' },
      expected: ['login'],
    },
    {
      why: 'an unknown new value may differ, so it forces replacement',
      prior: { login: 'a' },
      planned: { login: unknownValue },
      expected: ['login'],
    },
    {
      why: 'nested force-new paths are followed',
      prior: { sso: { entity: 'x' } },
      planned: { sso: { entity: 'y' } },
      expected: ['sso.entity'],
    },
  ];
  it.each(cases)('$why', ({ prior, planned, expected }) => {
    expect(
      replacedPaths(
        ['login', 'sso.entity'].filter((p) => p.split('.')[0]! in prior),
        prior,
        planned,
      ),
    ).toEqual(expected);
  });
});
