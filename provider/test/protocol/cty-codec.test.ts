import { describe, expect, it } from 'vitest';
import { conform, decodeMsgpack, encodeMsgpack } from '../../src/protocol/cty-codec.js';
import type { CtyType } from '../../src/protocol/cty-type.js';
import { unknownValue } from '../../src/protocol/unknown-value.js';

const user: CtyType = [
  'object',
  {
    id: 'string',
    age: 'number',
    admin: 'bool',
    tags: ['list', 'string'],
    labels: ['map', 'string'],
    privileges: ['object', { transfer: 'bool' }],
    keys: ['list', ['object', { value: 'string' }]],
  },
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('cty msgpack codec', () => {
  const roundTrips: { why: string; type: CtyType; value: unknown; expected?: unknown }[] = [
    { why: 'null is msgpack nil', type: 'string', value: null },
    { why: 'unknown survives a round trip', type: 'string', value: unknownValue },
    {
      why: 'objects carry every attribute of the type, null where unset',
      type: user,
      value: { id: 'user_1', admin: true },
      expected: {
        id: 'user_1',
        age: null,
        admin: true,
        tags: null,
        labels: null,
        privileges: null,
        keys: null,
      },
    },
    {
      why: 'attributes the type does not know are dropped',
      type: ['object', { a: 'string' }],
      value: { a: 'x', gone: 1 },
      expected: { a: 'x' },
    },
    {
      why: 'nested objects and lists of objects keep unknown leaves',
      type: user,
      value: {
        privileges: { transfer: unknownValue },
        keys: [{ value: 'k' }, unknownValue],
        tags: ['a'],
        labels: { team: 'x' },
      },
      expected: {
        id: null,
        age: null,
        admin: null,
        tags: ['a'],
        labels: { team: 'x' },
        privileges: { transfer: unknownValue },
        keys: [{ value: 'k' }, unknownValue],
      },
    },
    { why: 'integers stay integers', type: 'number', value: 42 },
    { why: 'fractions are float64', type: 'number', value: 1.5 },
  ];
  it.each(roundTrips)('$why', ({ type, value, expected }) => {
    expect(decodeMsgpack(encodeMsgpack(value, type), type)).toEqual(expected ?? value);
  });

  it('writes unknown as fixext1 of extension type 0, as Terraform does', () => {
    expect(hex(encodeMsgpack(unknownValue, 'string'))).toBe('d40000');
  });

  const decodes: { why: string; bytes: string; type: CtyType; expected: unknown }[] = [
    {
      why: 'a refined unknown (extension 12) reads as unknown',
      bytes: 'c7030c8101c3',
      type: 'string',
      expected: unknownValue,
    },
    {
      why: 'any other extension type reads as unknown',
      bytes: 'd40500',
      type: 'number',
      expected: unknownValue,
    },
    { why: 'cty writes huge numbers as strings', bytes: 'a3312e35', type: 'number', expected: 1.5 },
    { why: 'empty bytes mean no value', bytes: '', type: 'string', expected: null },
    {
      why: 'a map decodes with its keys',
      bytes: '81a161a162',
      type: ['map', 'string'],
      expected: { a: 'b' },
    },
  ];
  it.each(decodes)('$why', ({ bytes, type, expected }) => {
    expect(decodeMsgpack(Buffer.from(bytes, 'hex'), type)).toEqual(expected);
  });

  const refusals: { why: string; type: CtyType; value: unknown; message: string }[] = [
    {
      why: 'a string where a bool is due names the path',
      type: ['object', { a: 'bool' }],
      value: { a: 'yes' },
      message: 'value at "a" is not a bool',
    },
    {
      why: 'an object where a list is due',
      type: ['list', 'string'],
      value: { a: 1 },
      message: 'is not a list',
    },
    { why: 'NaN is not a number', type: 'number', value: 'abc', message: 'is not a number' },
    {
      why: 'a wrong leaf deep in a list of objects names its whole path',
      type: user,
      value: { keys: [{ value: 'k' }, { value: ['x'] }] },
      message: 'value at "keys[1].value" is not a string',
    },
  ];
  it.each(refusals)('refuses $why', ({ type, value, message }) => {
    expect(() => conform(value, type, '')).toThrow(message);
  });

  it('conforms with a type it refused a value of before, as if new (shapers are made once per type)', () => {
    expect(() => conform({ keys: [{ value: 1n }] }, user, '')).toThrow('"keys[0].value"');
    expect(conform({ keys: [{ value: 'k' }] }, user, '')).toMatchObject({ keys: [{ value: 'k' }] });
  });
});
