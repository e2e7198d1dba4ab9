import { describe, expect, it } from 'vitest';
import { seatWarning } from '../../../src/jobs/definitions/seat-warning.js';

describe('seatWarning', () => {
  it.each([
    {
      why: 'up to 50 seats warns at 85%: 42 of 50 is 84%',
      counts: { purchased: 50, assigned: 42, seat_limit: null },
      threshold: 85,
      active: false,
    },
    {
      why: 'up to 50 seats warns at 85%: 43 of 50 is 86%',
      counts: { purchased: 50, assigned: 43, seat_limit: null },
      threshold: 85,
      active: true,
    },
    {
      why: 'exactly at the threshold warns (17 of 20 is 85%)',
      counts: { purchased: 20, assigned: 17, seat_limit: null },
      threshold: 85,
      active: true,
    },
    {
      why: '51 seats switches to 95%: 48 of 51 is 94.1%',
      counts: { purchased: 51, assigned: 48, seat_limit: null },
      threshold: 95,
      active: false,
    },
    {
      why: '100 seats is still 95%: 95 of 100 warns',
      counts: { purchased: 100, assigned: 95, seat_limit: null },
      threshold: 95,
      active: true,
    },
    {
      why: 'above 100 seats warns at 97%: 96 of 101 does not',
      counts: { purchased: 101, assigned: 96, seat_limit: null },
      threshold: 97,
      active: false,
    },
    {
      why: 'above 100 seats warns at 97%: 98 of 101 does',
      counts: { purchased: 101, assigned: 98, seat_limit: null },
      threshold: 97,
      active: true,
    },
    {
      why: 'a sub-account is measured against its own limit, not the purchase',
      counts: { purchased: 500, assigned: 9, seat_limit: 10 },
      threshold: 85,
      active: true,
    },
    {
      why: 'no seats at all never warns',
      counts: { purchased: 0, assigned: 0, seat_limit: null },
      threshold: 85,
      active: false,
    },
  ])('$why', ({ counts, threshold, active }) => {
    const got = seatWarning(counts);
    expect([got.thresholdPercent, got.active]).toEqual([threshold, active]);
  });

  it('reports usage as a percentage with two decimals', () => {
    expect(seatWarning({ purchased: 3, assigned: 2, seat_limit: null }).usagePercent).toBe(66.67);
  });
});
