import { describe, expect, it } from 'vitest';
import { attributeType, blockType } from '../../src/protocol/cty-type.js';
import type { JsonSchemaAttribute } from '../../src/protocol/cty-type.js';
import { convertSchema } from '../../src/protocol/schema-conversion.js';
import { providerTypes } from '../../src/resources/resource-types.js';

describe('schema conversion', () => {
  const cases: {
    why: string;
    attribute: JsonSchemaAttribute;
    expected: Record<string, unknown>;
  }[] = [
    {
      why: 'a scalar carries its type as JSON bytes',
      attribute: { type: 'string', required: true, description: 'd', description_kind: 'markdown' },
      expected: {
        type: Buffer.from('"string"'),
        required: true,
        optional: false,
        description_kind: 'MARKDOWN',
        nested_type: null,
      },
    },
    {
      why: 'a collection type is a JSON array',
      attribute: { type: ['list', 'string'], optional: true },
      expected: {
        type: Buffer.from('["list","string"]'),
        optional: true,
        description_kind: 'PLAIN',
      },
    },
    {
      why: 'a nested attribute leaves type empty and nests its attributes',
      attribute: {
        nested_type: {
          nesting_mode: 'list',
          attributes: { b: { type: 'bool', optional: true, computed: true } },
        },
      },
      expected: {
        type: Buffer.alloc(0),
        nested_type: {
          nesting: 'LIST',
          attributes: [expect.objectContaining({ name: 'b', optional: true, computed: true })],
        },
      },
    },
    {
      why: 'a secret is sensitive and write-only',
      attribute: { type: 'string', optional: true, sensitive: true, write_only: true },
      expected: { sensitive: true, write_only: true, computed: false },
    },
  ];
  it.each(cases)('$why', ({ attribute, expected }) => {
    const schema = convertSchema({ version: 0, block: { attributes: { a: attribute } } });
    expect(schema.block.attributes[0]).toMatchObject({ name: 'a', ...expected });
  });

  it('sorts attributes by name so the schema is stable', () => {
    const schema = convertSchema({
      version: 0,
      block: { attributes: { b: { type: 'string' }, a: { type: 'string' } } },
    });
    expect(schema.block.attributes.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('derives object types from nested attributes', () => {
    expect(
      attributeType({
        nested_type: { nesting_mode: 'single', attributes: { x: { type: 'number' } } },
      }),
    ).toEqual(['object', { x: 'number' }]);
    expect(
      blockType({
        attributes: {
          l: { nested_type: { nesting_mode: 'list', attributes: { y: { type: 'bool' } } } },
        },
      }),
    ).toEqual(['object', { l: ['list', ['object', { y: 'bool' }]] }]);
  });

  it('serves every managed kind with a computed id, secrets write-only, and the drift data source', () => {
    const types = providerTypes();
    for (const [name, type] of types.resources) {
      expect(type.schema.block.attributes?.id, name).toMatchObject({ computed: true });
      for (const secret of type.kind.secrets.filter((s) => !s.includes('.'))) {
        expect(type.schema.block.attributes?.[secret], `${name}.${secret}`).toMatchObject({
          write_only: true,
          sensitive: true,
        });
      }
    }
    expect([...types.dataSources.keys()]).toEqual(
      expect.arrayContaining(['telform_limits', 'telform_seat_usage', 'telform_drift']),
    );
  });
});
