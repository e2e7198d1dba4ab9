// Inputs the input gate (schemas/src/inspect-input.ts) must refuse, for property tests of the
// daemon's and the emulator's routes. `text` goes into a path parameter or a query value (it is
// percent-encoded there), `json` is spliced as raw JSON text into a body, `rule` is the rule the
// refusal must name.
import fc from 'fast-check';

export interface Poison {
  readonly text: string;
  readonly json: string;
  readonly rule: 'noNulCharacter' | 'wellFormedUnicode' | 'maxLength' | 'finiteNumber' | 'maxDepth';
}

const word = fc.stringMatching(/^[a-z0-9]{0,12}$/);
const nul = fc.tuple(word, word).map(([a, b]): Poison => ({
  text: `${a}\u0000${b}`,
  json: JSON.stringify(`${a}\u0000${b}`),
  rule: 'noNulCharacter',
}));
// A lone surrogate cannot be percent-encoded as UTF-8: bodies only.
const surrogate = fc
  .tuple(word, fc.integer({ min: 0xd800, max: 0xdfff }), word)
  .map(([a, c, b]): Poison => ({
    text: '',
    json: `"${a}\\u${c.toString(16)}${b}"`,
    rule: 'wellFormedUnicode',
  }));
const hugeNumber = fc
  .constantFrom('1e309', '-1e309', 'Infinity', '-Infinity', 'NaN', '9007199254740993', '1e300')
  .map((n): Poison => ({ text: n, json: n, rule: 'finiteNumber' }));
const jsonNumber = fc
  .constantFrom('1e309', '-1e309', '1e300', '-9007199254740993', '123456789012345678901234567890')
  .map((n): Poison => ({ text: n, json: n, rule: 'finiteNumber' }));
const longQuery = fc
  .integer({ min: 1025, max: 1200 })
  .map((n): Poison => ({ text: 'q'.repeat(n), json: '""', rule: 'maxLength' }));
const deep = fc
  .integer({ min: 32, max: 2500 })
  .map((n): Poison => ({ text: '', json: '['.repeat(n) + ']'.repeat(n), rule: 'maxDepth' }));

/** Poisons for one place of a request. */
export function poisons(where: 'param' | 'query' | 'body'): fc.Arbitrary<Poison> {
  if (where === 'param') return nul;
  if (where === 'query') return fc.oneof(nul, hugeNumber, longQuery);
  return fc.oneof(nul, surrogate, jsonNumber, deep);
}
