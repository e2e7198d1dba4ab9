import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../src/client/api-resource.js';
import type { TelformClient } from '../../src/client/telform-client.js';
import { driftState } from '../../src/resources/data-source-state.js';
import { waitForApplied, waitForGone } from '../../src/resources/wait-for-platform.js';

const at = (applied: number, status: 'True' | 'False', reason: string): ApiResource => ({
  id: 'user_1',
  kind: 'user',
  account_id: 'account_1',
  generation: 2,
  spec: {},
  status: {
    applied_generation: applied,
    conditions: [{ type: 'Synced', status, reason, message: 'why', field: 'login' }],
  },
  deletion_requested_at: null,
});

/** A client whose reads answer from a script, one answer per call (the last one repeats). */
function scripted(answers: (ApiResource | null)[]): TelformClient & { calls: number } {
  const fake = {
    calls: 0,
    async waitApplied() {
      return answers[Math.min(fake.calls++, answers.length - 1)] ?? null;
    },
    async get() {
      return answers[Math.min(fake.calls++, answers.length - 1)] ?? null;
    },
  };
  return fake as unknown as TelformClient & { calls: number };
}

describe('waitForApplied', () => {
  const cases: {
    why: string;
    answers: (ApiResource | null)[];
    expected: string;
    calls?: number;
  }[] = [
    {
      why: 'returns as soon as the generation is applied',
      answers: [at(2, 'True', 'Applied')],
      expected: 'applied',
      calls: 1,
    },
    {
      why: 'keeps waiting through retryable outages',
      answers: [at(1, 'False', 'PlatformUnavailable'), at(2, 'True', 'Applied')],
      expected: 'applied',
      calls: 2,
    },
    {
      why: 'stops at a platform rejection',
      answers: [at(1, 'False', 'PlatformRejected')],
      expected: 'failed',
      calls: 1,
    },
    {
      why: 'reports a resource deleted meanwhile as gone',
      answers: [null],
      expected: 'gone',
      calls: 1,
    },
  ];
  it.each(cases)('$why', async ({ answers, expected, calls }) => {
    const client = scripted(answers);
    const result = await waitForApplied(client, 'user', 'user_1', 5_000);
    expect(result.outcome.state).toBe(expected);
    if (calls) expect(client.calls).toBe(calls);
  });

  it('gives up at the timeout and says where the change stands', async () => {
    const started = Date.now();
    const result = await waitForApplied(
      scripted([at(1, 'False', 'Pending')]),
      'user',
      'user_1',
      300,
    );
    expect(result.outcome).toMatchObject({ state: 'pending', reason: 'Pending' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('ends early when Terraform stops the provider', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await waitForApplied(
      scripted([at(1, 'False', 'Pending')]),
      'user',
      'user_1',
      60_000,
      stop.signal,
    );
    expect(result.outcome.state).toBe('pending');
  });
});

describe('waitForGone', () => {
  it('polls until the API answers 404', async () => {
    const client = scripted([at(2, 'True', 'Applied'), at(2, 'True', 'Applied'), null]);
    expect((await waitForGone(client, 'user', 'user_1', 5_000)).outcome.state).toBe('gone');
    expect(client.calls).toBe(3);
  });
});

describe('driftState', () => {
  it('lists one record per differing field of the open drift, values as JSON', () => {
    const state = driftState('account_1', {
      records: [
        {
          resource_id: 'user_1',
          kind: 'user',
          fields: [
            { field: 'name', desired: 'A', actual: 'B' },
            { field: 'privileges.admin', desired: false, actual: true },
          ],
          action: 'reported',
          state: 'open',
          first_seen_at: 't1',
          last_seen_at: 't2',
        },
        {
          resource_id: 'user_2',
          kind: 'user',
          fields: [{ field: 'name', desired: 'x', actual: 'y' }],
          action: 'corrected',
          state: 'resolved',
          first_seen_at: 't',
          last_seen_at: 't',
        },
      ],
    });
    expect(state.drifted_resources).toBe(1);
    expect(state.records).toEqual([
      expect.objectContaining({
        resource_id: 'user_1',
        field: 'name',
        desired: '"A"',
        actual: '"B"',
      }),
      expect.objectContaining({ field: 'privileges.admin', desired: 'false', actual: 'true' }),
    ]);
  });
});
