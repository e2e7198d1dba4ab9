import { describe, expect, it } from 'vitest';
import { scopeJobSummary } from '../../src/jobs/scope-job-summary.js';

const mine = new Set(['acc_a', 'sub_a1']);

describe('scopeJobSummary', () => {
  it.each([
    {
      reason: 'an unscoped caller sees the summary as the job wrote it',
      accounts: null,
      summary: { accounts: 3, failures: [{ account_id: 'acc_b', error: 'x' }] },
      want: { accounts: 3, failures: [{ account_id: 'acc_b', error: 'x' }] },
    },
    {
      reason: "rows of the caller's accounts stay, other tenants' rows go",
      accounts: mine,
      summary: {
        warnings: [
          { account_id: 'sub_a1', purchased: 10 },
          { account_id: 'acc_b', purchased: 99 },
        ],
      },
      want: { warnings: [{ account_id: 'sub_a1', purchased: 10 }] },
    },
    {
      reason: 'totals over every tenant and error texts could describe someone else: dropped',
      accounts: mine,
      summary: { accounts: 40, error: 'account acc_b failed', cutoffs: { drift: 'x' } },
      want: {},
    },
    {
      reason: 'rows that name no account (or not as a string) fail closed',
      accounts: mine,
      summary: { rotated: [{ resource_id: 'p_1' }, { account_id: 7 }, 'acc_a', null] },
      want: { rotated: [] },
    },
  ])('$reason', ({ accounts, summary, want }) => {
    expect(scopeJobSummary(summary, accounts)).toEqual(want);
  });
});
