import { describe, expect, it } from 'vitest';
import { describeKind, type SchemaNode } from '../src/catalog.js';
import {
  buildProviderSchema,
  providerAddress,
  type TerraformAttribute,
} from '../src/generate-provider-schema.js';

/** A one-kind catalogue around `properties`, as a kind file would declare it. */
function kind(
  properties: Record<string, SchemaNode>,
  options: { required?: string[]; dataSource?: boolean } = {},
) {
  return describeKind({
    $id: 'https://telform.dev/schemas/widget.schema.json',
    title: 'Widget',
    description: 'A test kind.',
    type: 'object',
    additionalProperties: false,
    'x-telform': {
      kind: 'widget',
      scope: 'account',
      singleton: false,
      data_source: options.dataSource ?? false,
      example: {},
    },
    required: options.required ?? [],
    properties: { account_id: { type: 'string', description: 'Owner.' }, ...properties },
  });
}

function attributesOf(
  properties: Record<string, SchemaNode>,
  options?: { required?: string[]; dataSource?: boolean },
) {
  const schemas = buildProviderSchema([kind(properties, options)]).provider_schemas[
    providerAddress
  ]!;
  const block = options?.dataSource
    ? schemas.data_source_schemas.telform_widget!
    : schemas.resource_schemas.telform_widget!;
  return block.block.attributes;
}

const d = 'Described.';

describe('provider schema mapping (architecture.md section 1)', () => {
  it.each<{ why: string; node: SchemaNode; required?: boolean; want: Partial<TerraformAttribute> }>(
    [
      {
        why: 'listed in required: required',
        node: { type: 'string', description: d },
        required: true,
        want: { type: 'string', required: true },
      },
      {
        why: 'not required: optional',
        node: { type: 'string', description: d },
        want: { type: 'string', optional: true },
      },
      {
        why: 'a default: the platform fills it, so optional and computed',
        node: { type: 'boolean', default: false, description: d },
        want: { type: 'bool', optional: true, computed: true },
      },
      {
        why: 'readOnly: computed only, even if listed in required',
        node: { type: 'string', readOnly: true, description: d },
        required: true,
        want: { type: 'string', computed: true },
      },
      {
        why: 'writeOnly: a secret, sensitive and kept out of state',
        node: { type: 'string', writeOnly: true, description: d },
        want: { type: 'string', optional: true, sensitive: true, write_only: true },
      },
      {
        why: 'x-telform-sensitive alone masks but is stored',
        node: { type: 'string', 'x-telform-sensitive': true, description: d },
        want: { type: 'string', optional: true, sensitive: true },
      },
      {
        why: 'JSON Schema integer is a Terraform number',
        node: { type: 'integer', description: d },
        want: { type: 'number', optional: true },
      },
      {
        why: 'a nullable integer keeps its type',
        node: { type: ['integer', 'null'], description: d },
        want: { type: 'number', optional: true },
      },
      {
        why: 'an array of strings is a list',
        node: { type: 'array', items: { type: 'string' }, description: d },
        want: { type: ['list', 'string'], optional: true },
      },
      {
        why: 'a string map',
        node: { type: 'object', additionalProperties: { type: 'string' }, description: d },
        want: { type: ['map', 'string'], optional: true },
      },
      {
        why: 'a closed set of booleans is a map, so Terraform passes a misspelt key to validation',
        node: {
          type: 'object',
          additionalProperties: false,
          'x-telform-closed-set': true,
          properties: {
            admin: { type: 'boolean', default: false, description: d },
            monitor: { type: 'boolean', default: false, description: d },
          },
          description: d,
        },
        want: { type: ['map', 'bool'], optional: true },
      },
    ],
  )('$why', ({ node, required, want }) => {
    const attrs = attributesOf({ thing: node }, { required: required ? ['thing'] : [] });
    expect(attrs.thing).toEqual({ description: d, description_kind: 'markdown', ...want });
  });

  it('refuses a closed set whose values are of several types', () => {
    const mixed: SchemaNode = {
      type: 'object',
      'x-telform-closed-set': true,
      properties: { a: { type: 'boolean' }, b: { type: 'string' } },
    };
    expect(() => attributesOf({ mixed })).toThrow(
      /widget.mixed: a closed set needs values of one type/,
    );
  });

  it('maps an object to a single nested attribute and keeps its required list', () => {
    const attrs = attributesOf({
      auth: {
        type: 'object',
        description: d,
        required: ['enabled'],
        properties: {
          enabled: { type: 'boolean', description: d },
          login: { type: 'string', description: d },
        },
      },
    });
    expect(attrs.auth).toMatchObject({
      optional: true,
      nested_type: {
        nesting_mode: 'single',
        attributes: {
          enabled: { type: 'bool', required: true },
          login: { type: 'string', optional: true },
        },
      },
    });
  });

  it('maps an array of objects to a list nested attribute', () => {
    const attrs = attributesOf({
      keys: {
        type: 'array',
        description: d,
        items: { type: 'object', properties: { position: { type: 'integer', description: d } } },
      },
    });
    expect(attrs.keys).toMatchObject({
      nested_type: { nesting_mode: 'list', attributes: { position: { type: 'number' } } },
    });
  });

  it('makes everything under a read-only object computed', () => {
    const attrs = attributesOf({
      stats: {
        type: 'object',
        readOnly: true,
        description: d,
        required: ['n'],
        properties: { n: { type: 'integer', description: d } },
      },
    });
    expect(attrs.stats?.nested_type?.attributes.n).toEqual({
      type: 'number',
      description: d,
      description_kind: 'markdown',
      computed: true,
    });
  });

  it('adds a computed id when the schema has none', () => {
    expect(attributesOf({}).id).toEqual({
      type: 'string',
      description_kind: 'markdown',
      computed: true,
    });
  });

  it('gives data sources a required account_id and computes the rest, write-only or not', () => {
    const attrs = attributesOf(
      {
        used: { type: 'integer', description: d },
        secret: { type: 'string', writeOnly: true, description: d },
      },
      { dataSource: true, required: ['used'] },
    );
    expect(attrs.account_id).toMatchObject({ required: true });
    expect(attrs.used).toEqual({
      type: 'number',
      description: d,
      description_kind: 'markdown',
      computed: true,
    });
    expect(attrs.secret).toEqual({
      type: 'string',
      description: d,
      description_kind: 'markdown',
      computed: true,
      sensitive: true,
    });
  });

  it.each<{ why: string; node: SchemaNode; error: RegExp }>([
    {
      why: 'an array without items has no element type',
      node: { type: 'array', description: d },
      error: /widget\.thing: an array needs "items"/,
    },
    {
      why: 'an open object has no attributes',
      node: { type: 'object', description: d },
      error: /widget\.thing: an object needs "properties"/,
    },
    {
      why: 'a union of types has no Terraform equivalent',
      node: { type: ['string', 'integer'], description: d },
      error: /widget\.thing: exactly one non-null "type"/,
    },
  ])('refuses a schema it cannot map, naming the attribute: $why', ({ node, error }) => {
    expect(() => attributesOf({ thing: node })).toThrow(error);
  });

  it('names resources telform_<kind> under the telform/telform source', () => {
    const doc = buildProviderSchema([kind({})]);
    expect(Object.keys(doc.provider_schemas)).toEqual(['registry.terraform.io/telform/telform']);
    expect(Object.keys(doc.provider_schemas[providerAddress]!.resource_schemas)).toEqual([
      'telform_widget',
    ]);
    expect(doc.provider_schemas[providerAddress]!.provider.block.attributes.token).toMatchObject({
      optional: true,
      sensitive: true,
    });
  });
});
