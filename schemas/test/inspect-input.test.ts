import { describe, expect, it } from 'vitest';
import { inspectInput, type RequestInput } from '../src/inspect-input.js';

const deep = (n: number): unknown => JSON.parse('['.repeat(n) + ']'.repeat(n));

describe('inspectInput', () => {
  it.each<{ reason: string; input: RequestInput; want: [string, string, string][] }>([
    {
      reason: 'ordinary input passes: ids, numeric query values, nested bodies, emoji',
      input: {
        params: { id: 'user_01jd8x' },
        query: { limit: '50', ip: '192.168', tags: ['a', 'b'] },
        body: { name: 'Zoë 🎧', keys: [{ value: 1.5 }], n: -9007199254740991 },
      },
      want: [],
    },
    {
      reason: 'a NUL in an id would reach Postgres, which refuses it with a 500',
      input: { params: { id: 'user_\u0000' } },
      want: [['params', 'id', 'noNulCharacter']],
    },
    {
      reason: 'limit=1e309 and Infinity coerce to a non-finite number',
      input: { query: { limit: '1e309', cursor: 'x' } },
      want: [['querystring', 'limit', 'finiteNumber']],
    },
    {
      reason: 'NaN and integers past 2^53 are refused as numbers too',
      input: { query: { limit: 'NaN' }, body: { n: Number.MAX_SAFE_INTEGER + 2 } },
      want: [
        ['querystring', 'limit', 'finiteNumber'],
        ['body', 'n', 'finiteNumber'],
      ],
    },
    {
      reason: 'every value of a repeated query parameter is looked at',
      input: { query: { account_id: ['ok', 'b\u0000'] } },
      want: [['querystring', 'account_id', 'noNulCharacter']],
    },
    {
      reason: 'a bad parameter name is reported without echoing it',
      input: { query: { 'a\u0000': '1' } },
      want: [['querystring', '(name)', 'noNulCharacter']],
    },
    {
      reason: 'a lone surrogate deep in a body names its path, array index included',
      input: { body: { keys: [{ value: 'ok' }, { value: 'x\ud800' }] } },
      want: [['body', 'keys[1].value', 'wellFormedUnicode']],
    },
    {
      reason: 'a lone low surrogate is as bad as a lone high one; a pair is fine',
      input: { body: { a: '\ud83c\udfa7', b: '\udfa7' } },
      want: [['body', 'b', 'wellFormedUnicode']],
    },
    {
      reason: 'over-long query values are refused before any lookup',
      input: { query: { actor: 'x'.repeat(1025) } },
      want: [['querystring', 'actor', 'maxLength']],
    },
    {
      reason: 'JSON.parse gives Infinity for 1e309 in a body',
      input: { body: { rotation_period_days: Number.POSITIVE_INFINITY } },
      want: [['body', 'rotation_period_days', 'finiteNumber']],
    },
  ])('$reason', ({ input, want }) => {
    expect(inspectInput(input).map((p) => [p.location, p.field, p.rule])).toEqual(want);
  });

  it('measures nesting iteratively: 32 levels pass, 33 and 100,000 do not', () => {
    expect(inspectInput({ body: deep(32) })).toEqual([]);
    expect(inspectInput({ body: deep(33) })[0]?.rule).toBe('maxDepth');
    expect(inspectInput({ body: deep(100_000) })[0]?.rule).toBe('maxDepth');
  });

  it('takes its limits from the caller', () => {
    const limits = { maxParamLength: 4, maxStringLength: 3, maxDepth: 2 };
    expect(
      inspectInput({ params: { id: 'abcde' }, body: { a: { b: 'abcd' } } }, limits).map((p) => [
        p.field,
        p.rule,
      ]),
    ).toEqual([
      ['id', 'maxLength'],
      ['a.b', 'maxLength'],
    ]);
  });
});
