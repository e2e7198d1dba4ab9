import { describe, expect, it } from 'vitest';
import { isId, kindOfId, newId } from '../src/ids.js';

describe('ids', () => {
  it('makes <kind>_<26 lowercase base32 chars>, readable back', () => {
    for (const kind of ['user', 'sub_account', 'button_template']) {
      const id = newId(kind);
      expect(id).toMatch(new RegExp(`^${kind}_[0-9a-hjkmnp-tv-z]{26}$`));
      expect(kindOfId(id)).toBe(kind);
    }
  });

  it('sorts ids of one kind by creation time', async () => {
    const first = newId('seat');
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(newId('seat') > first).toBe(true);
  });

  it('refuses a kind that is not snake_case', () => {
    expect(() => newId('Sub-Account')).toThrow(/kind is snake_case/);
  });

  it.each<[unknown, string[] | undefined, boolean, string]>([
    ['account_01jd8x0000000000000000000a', undefined, true, 'a well-formed id of any kind'],
    [
      'sub_account_01jd8x0000000000000000000a',
      ['account', 'sub_account'],
      true,
      'an underscore kind among the allowed',
    ],
    [
      'sub_account_01jd8x0000000000000000000a',
      ['account'],
      false,
      'the kind is read whole, not as its suffix',
    ],
    [
      'user_01jd8x0000000000000000000b',
      ['account'],
      false,
      'a user id where an account is expected',
    ],
    ['account_01JD8X0000000000000000000A', undefined, false, 'ids are lowercase'],
    ['account_01jd8x000000000000000000il', undefined, false, 'i and l are not Crockford base32'],
    ['account_01jd8x000000000000000000', undefined, false, 'too short'],
    ['01jd8x0000000000000000000a', undefined, false, 'no kind'],
    [42, undefined, false, 'not a string'],
  ])('isId(%j, %j) is %s: %s', (value, kinds, expected) => {
    expect(isId(value, kinds)).toBe(expected);
  });
});
