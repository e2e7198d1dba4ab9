import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/store/list-cursor.js';
import { StoreError } from '../../src/store/store-error.js';

describe('list cursor: the one codec of every list', () => {
  it('gives back the key it was made from', () => {
    expect(decodeCursor(encodeCursor('user_01J9'))).toBe('user_01J9');
    expect(decodeCursor(encodeCursor('1234'), /^\d{1,19}$/)).toBe('1234');
  });

  // Each forged cursor must be a 400 naming `cursor`, never a value reaching SQL.
  it.each([
    { why: 'not base64url JSON at all', cursor: 'garbage', shape: undefined },
    {
      why: 'JSON without the key',
      cursor: Buffer.from('{"x":1}').toString('base64url'),
      shape: undefined,
    },
    {
      why: 'a key of the wrong type',
      cursor: Buffer.from('{"after":7}').toString('base64url'),
      shape: undefined,
    },
    { why: 'an empty key', cursor: encodeCursor(''), shape: undefined },
    {
      why: 'an audit seq that is not digits',
      cursor: encodeCursor('1 or 1=1'),
      shape: /^\d{1,19}$/,
    },
  ])('refuses $why', ({ cursor, shape }) => {
    let caught: unknown;
    try {
      decodeCursor(cursor, shape);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).errors).toEqual([
      expect.objectContaining({ field: 'cursor', rule: 'format' }),
    ]);
  });
});
