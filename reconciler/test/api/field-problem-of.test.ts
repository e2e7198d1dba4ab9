import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fieldProblemOf } from '../../src/api/field-problem-of.js';

// The errors are ajv's own, from a schema shaped like the routes' querystrings and bodies, so a
// change in ajv's error params shows here rather than as a vague message to a user.
const ajv = new Ajv({ allErrors: false, coerceTypes: true });
formats.default(ajv);
const validate = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 8, pattern: '^[a-z]+$' },
    state: { type: 'string', enum: ['open', 'resolved'] },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    from: { type: 'string', format: 'date-time' },
    tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
  },
});

const cases = [
  {
    why: 'an enum lists what is allowed',
    input: { name: 'a', state: 'closed' },
    want: { field: 'state', rule: 'enum', message: 'state must be one of "open", "resolved"' },
  },
  {
    why: 'a missing field is named, not the object holding it',
    input: {},
    want: { field: 'name', rule: 'required', message: 'name is required' },
  },
  {
    why: 'an unknown field is named',
    input: { name: 'a', colour: 'red' },
    want: { field: 'colour', rule: 'additionalProperties', message: 'colour is not a known field' },
  },
  {
    why: 'a limit says which side and where',
    input: { name: 'a', limit: 500 },
    want: { field: 'limit', rule: 'maximum', message: 'limit must be <= 100' },
  },
  {
    why: 'lengths are in characters',
    input: { name: 'abcdefghij' },
    want: { field: 'name', rule: 'maxLength', message: 'name must be at most 8 characters long' },
  },
  {
    why: 'a format names what is expected',
    input: { name: 'a', from: 'yesterday' },
    want: {
      field: 'from',
      rule: 'format',
      message: 'from must be an RFC 3339 date-time (e.g. 2026-01-31T12:00:00Z)',
    },
  },
  {
    why: 'a type names the type in words',
    input: { name: 'a', limit: 'many' },
    want: { field: 'limit', rule: 'type', message: 'limit must be an integer' },
  },
  {
    why: 'an array bound counts items',
    input: { name: 'a', tags: ['x', 'y', 'z'] },
    want: { field: 'tags', rule: 'maxItems', message: 'tags must have at most 2 items' },
  },
];

describe('fieldProblemOf', () => {
  it.each(cases)('$why', ({ input, want }) => {
    expect(validate(input)).toBe(false);
    expect(fieldProblemOf(validate.errors![0]!)).toEqual(want);
  });

  it('never quotes the submitted value (it may be a secret)', () => {
    validate({ name: 'a', state: 's3cr3t-value' });
    expect(fieldProblemOf(validate.errors![0]!).message).not.toContain('s3cr3t');
  });
});
