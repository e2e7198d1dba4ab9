import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../src/client/api-resource.js';
import type { JsonSchemaAttribute } from '../../src/protocol/cty-type.js';
import { unknownValue } from '../../src/protocol/unknown-value.js';
import {
  apiAttributes,
  concernsUnknown,
  resolveUnknowns,
  stateFromResource,
  validationInput,
} from '../../src/resources/api-attributes.js';
import { applyOutcome } from '../../src/resources/apply-outcome.js';

const attributes: Record<string, JsonSchemaAttribute> = {
  id: { type: 'string', computed: true },
  name: { type: 'string', required: true },
  role: { type: 'string', optional: true, computed: true },
  password: { type: 'string', optional: true, sensitive: true, write_only: true },
  platform_id: { type: 'string', computed: true },
};
const node = {
  properties: {
    id: { readOnly: true },
    name: {},
    role: { default: 'agent' },
    password: { writeOnly: true },
    platform_id: { readOnly: true },
  },
};

const resource = (over: Partial<ApiResource> = {}): ApiResource => ({
  id: 'user_1',
  kind: 'user',
  account_id: 'account_1',
  generation: 2,
  spec: { name: 'a' },
  secrets_set: ['password'],
  status: {
    applied_generation: 2,
    observed: { name: 'stale', platform_id: 'u-1', extra: 1 },
    conditions: [],
  },
  deletion_requested_at: null,
  ...over,
});

describe('conversions between Terraform values and the API', () => {
  it('sends planned values and the write-only secret from the config, never computed or null ones', () => {
    const planned = {
      id: unknownValue,
      name: 'a',
      role: 'agent',
      password: null,
      platform_id: unknownValue,
    };
    const config = { id: null, name: 'a', role: null, password: 's3cret-value', platform_id: null };
    expect(apiAttributes(attributes, planned, config)).toEqual({
      name: 'a',
      role: 'agent',
      password: 's3cret-value',
    });
  });

  it('builds state from the spec first, observed values for the rest, defaults last; secrets never', () => {
    expect(stateFromResource(attributes, node, resource(), null, true)).toEqual({
      id: 'user_1',
      name: 'a',
      role: 'agent',
      password: null,
      platform_id: 'u-1',
    });
  });

  it('keeps the prior secret when Terraform cannot take write-only values', () => {
    const prior = { password: 'kept' };
    expect(stateFromResource(attributes, node, resource(), prior, false).password).toBe('kept');
  });

  it('fills only the unknowns of a plan from the API after apply', () => {
    expect(
      resolveUnknowns(
        { id: unknownValue, name: 'a', nested: [{ x: unknownValue }] },
        { id: 'user_1', name: 'b', nested: [{ x: 1 }] },
      ),
    ).toEqual({
      id: 'user_1',
      name: 'a',
      nested: [{ x: 1 }],
    });
  });

  it('leaves unknown config values out of validation and remembers where they were', () => {
    const { value, unknownPaths } = validationInput(attributes, {
      id: null,
      name: unknownValue,
      role: 'x',
      password: null,
      platform_id: null,
    });
    expect(value).toEqual({ role: 'x' });
    expect(unknownPaths).toEqual(['name']);
    expect(concernsUnknown('name', unknownPaths)).toBe(true);
    expect(concernsUnknown('name_other', unknownPaths)).toBe(false);
  });
});

describe('applyOutcome', () => {
  const synced = (status: 'True' | 'False', reason: string, field: string | null = null) => [
    { type: 'Synced', status, reason, message: 'm', field, last_transition_time: '' },
  ];
  const cases: { why: string; over: Partial<ApiResource>; expected: string }[] = [
    {
      why: 'the latest generation synced is applied',
      over: { status: { applied_generation: 2, conditions: synced('True', 'Applied') } },
      expected: 'applied',
    },
    {
      why: 'an older generation synced is still pending',
      over: { status: { applied_generation: 1, conditions: synced('True', 'Applied') } },
      expected: 'pending',
    },
    {
      why: 'a platform outage is retried, so pending',
      over: {
        status: { applied_generation: 1, conditions: synced('False', 'PlatformUnavailable') },
      },
      expected: 'pending',
    },
    {
      why: 'a platform rejection is final',
      over: {
        status: { applied_generation: 1, conditions: synced('False', 'PlatformRejected', 'login') },
      },
      expected: 'failed',
    },
    {
      why: 'a conflict (a limit reached) is final',
      over: { status: { applied_generation: 1, conditions: synced('False', 'Conflict') } },
      expected: 'failed',
    },
  ];
  it.each(cases)('$why', ({ over, expected }) => {
    expect(applyOutcome(resource(over)).state).toBe(expected);
  });
});
