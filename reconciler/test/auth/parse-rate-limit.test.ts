import { describe, expect, it } from 'vitest';
import { parseRateLimit } from '../../src/auth/parse-rate-limit.js';

const source = '--rate-limit / TELFORM_RATE_LIMIT';

describe('parseRateLimit', () => {
  it.each([
    { reason: 'the default: 6000 a minute', text: '6000/1m', want: [6000, 60_000] },
    { reason: 'a window in seconds', text: '100/10s', want: [100, 10_000] },
    { reason: 'a bare unit is one of it', text: '50000/h', want: [50_000, 3_600_000] },
    { reason: 'surrounding blanks from an env file are ignored', text: ' 5/1s ', want: [5, 1000] },
    { reason: 'the longest window, a day', text: '1/24h', want: [1, 86_400_000] },
  ])('reads $text: $reason', ({ text, want }) => {
    expect(parseRateLimit(text, source)).toEqual({ max: want[0], timeWindowMs: want[1] });
  });

  it.each([
    { reason: 'a bare number has no window', text: '6000', rule: /format: expected <requests>/ },
    { reason: 'an unknown unit', text: '6000/1d', rule: /format/ },
    { reason: 'a negative count', text: '-5/1m', rule: /format/ },
    { reason: 'a fraction', text: '1.5/1m', rule: /format/ },
    { reason: 'zero requests would refuse every call', text: '0/1m', rule: /minimum: requests/ },
    { reason: 'a zero window', text: '10/0s', rule: /range: the window/ },
    { reason: 'a window over a day', text: '10/25h', rule: /range: .*between 1s and 24h/ },
  ])('refuses $text: $reason, naming the flag and the rule', ({ text, rule }) => {
    expect(() => parseRateLimit(text, source)).toThrow(rule);
    expect(() => parseRateLimit(text, source)).toThrow(/^--rate-limit \/ TELFORM_RATE_LIMIT: /);
  });
});
