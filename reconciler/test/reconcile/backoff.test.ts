import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/reconcile/backoff.js';

const opts = (r: number) => ({ baseMs: 100, capMs: 1_000, random: () => r });

describe('backoffDelay', () => {
  const cases = [
    {
      reason: 'the first retry draws within the base',
      attempt: 1,
      r: 0.5,
      retryAfter: undefined,
      want: 50,
    },
    {
      reason: 'each attempt doubles the ceiling',
      attempt: 3,
      r: 0.5,
      retryAfter: undefined,
      want: 200,
    },
    {
      reason: 'the ceiling stops at the cap',
      attempt: 20,
      r: 0.999,
      retryAfter: undefined,
      want: 999,
    },
    { reason: 'full jitter can retry at once', attempt: 4, r: 0, retryAfter: undefined, want: 0 },
    {
      reason: 'Retry-After is a floor over the jitter',
      attempt: 1,
      r: 0.5,
      retryAfter: 3_000,
      want: 3_000,
    },
    { reason: 'a jitter above Retry-After is kept', attempt: 5, r: 0.9, retryAfter: 10, want: 900 },
  ];
  it.each(cases)('$reason', ({ attempt, r, retryAfter, want }) => {
    expect(backoffDelay(attempt, retryAfter, opts(r))).toBe(want);
  });

  it('spreads many retries of one attempt over the whole window (jitter is not a constant)', () => {
    const delays = Array.from({ length: 200 }, () =>
      backoffDelay(4, undefined, { baseMs: 100, capMs: 10_000 }),
    );
    expect(Math.min(...delays)).toBeLessThan(200);
    expect(Math.max(...delays)).toBeGreaterThan(600);
    expect(Math.max(...delays)).toBeLessThan(800);
  });
});
