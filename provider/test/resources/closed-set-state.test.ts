/**
 * A closed set (privileges, tabs, webhook rights) is a `map(bool)` in Terraform: the state
 * keeps what the user configured plus whatever the platform holds away from its default, and
 * a misspelt key is reported on the map entry itself.
 */
import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '@telform/schemas';
import type { ApiResource } from '../../src/client/api-resource.js';
import { parseFieldPath } from '../../src/diag/attribute-path.js';
import type { JsonSchemaAttribute } from '../../src/protocol/cty-type.js';
import { unknownValue } from '../../src/protocol/unknown-value.js';
import { stateFromResource, validationInput } from '../../src/resources/api-attributes.js';

const attributes: Record<string, JsonSchemaAttribute> = {
  id: { type: 'string', computed: true },
  privileges: { type: ['map', 'bool'], optional: true },
  logo: {
    nested_type: { nesting_mode: 'single', attributes: { content_base64: { type: 'string' } } },
    optional: true,
  },
};
const node: SchemaNode = {
  properties: {
    id: { readOnly: true },
    privileges: {
      type: 'object',
      'x-telform-closed-set': true,
      properties: {
        admin: { type: 'boolean', default: false },
        monitor: { type: 'boolean', default: false },
        transfer: { type: 'boolean', default: false },
      },
    },
  },
};
const allFalse = { admin: false, monitor: false, transfer: false };

const resource = (
  spec: Record<string, unknown>,
  observed: Record<string, unknown>,
): ApiResource => ({
  id: 'user_1',
  kind: 'user',
  account_id: 'account_1',
  generation: 1,
  spec,
  secrets_set: [],
  status: { applied_generation: 1, observed, conditions: [] },
  deletion_requested_at: null,
});

describe('closed-set state', () => {
  it.each([
    {
      why: 'the platform fills every default: only the configured key stays, as in the config',
      spec: { privileges: { transfer: true } },
      observed: { privileges: { ...allFalse, transfer: true } },
      want: { transfer: true },
    },
    {
      why: 'a key configured at its default value stays, or Terraform sees it vanish',
      spec: { privileges: { transfer: true, admin: false } },
      observed: { privileges: { ...allFalse, transfer: true } },
      want: { transfer: true, admin: false },
    },
    {
      why: 'an out-of-band grant on the platform shows, so the plan revokes it',
      spec: { privileges: { transfer: true } },
      observed: { privileges: { ...allFalse, transfer: true, monitor: true } },
      want: { transfer: true, monitor: true },
    },
    {
      why: 'no privileges configured and only defaults on the platform: null, as in the config',
      spec: {},
      observed: { privileges: allFalse },
      want: null,
    },
    {
      why: 'an empty map configured stays an empty map',
      spec: { privileges: {} },
      observed: { privileges: allFalse },
      want: {},
    },
  ])('$why', ({ spec, observed, want }) => {
    const state = stateFromResource(attributes, node, resource(spec, observed), null, true);
    expect(state.privileges).toEqual(want);
  });

  it('validates the known entries of a map and remembers the unknown ones', () => {
    const { value, unknownPaths } = validationInput(attributes, {
      id: null,
      privileges: { super_admin: true, monitor: unknownValue },
    });
    expect(value).toEqual({ privileges: { super_admin: true } });
    expect(unknownPaths).toEqual(['privileges.monitor']);
  });

  it.each([
    {
      why: 'a map entry is an element key, so Terraform underlines the entry in the config',
      field: 'privileges.super_admin',
      want: [{ attribute_name: 'privileges' }, { element_key_string: 'super_admin' }],
    },
    {
      why: 'without the schema the path stays attribute names (nested objects)',
      field: 'privileges.super_admin',
      schema: false,
      want: [{ attribute_name: 'privileges' }, { attribute_name: 'super_admin' }],
    },
    {
      why: 'inside a single nested object, Terraform can underline only the object attribute',
      field: 'logo.content_base64',
      want: [{ attribute_name: 'logo' }],
    },
    {
      why: 'a list index is still an integer key',
      field: 'keys[2].value',
      want: [{ attribute_name: 'keys' }, { element_key_int: 2 }, { attribute_name: 'value' }],
    },
  ])('$why', ({ field, schema, want }) => {
    expect(parseFieldPath(field, schema === false ? undefined : attributes).steps).toEqual(want);
  });
});
