import { describe, expect, it } from 'vitest';
import { effectiveDriftPolicy, type StoredDriftPolicy } from '../../src/drift/drift-policy.js';

const account = (mode: StoredDriftPolicy['mode'], ignoreFields: string[] = []) => ({
  mode,
  ignoreFields,
});

describe('effectiveDriftPolicy', () => {
  it.each([
    {
      why: 'nothing stored means report and ignore nothing',
      chain: [],
      want: { mode: 'report', ignoreFields: [] },
    },
    {
      why: 'an account policy applies to its resources',
      chain: [account('correct', ['name'])],
      want: { mode: 'correct', ignoreFields: ['name'] },
    },
    {
      why: 'a resource mode overrides its account mode',
      chain: [account('correct'), undefined, account('report')],
      want: { mode: 'report', ignoreFields: [] },
    },
    {
      why: 'a resource without a mode inherits it, and ignored fields add up along the chain',
      chain: [account('correct', ['tabs']), account(null, ['name', 'tabs'])],
      want: { mode: 'correct', ignoreFields: ['name', 'tabs'] },
    },
  ])('$why', ({ chain, want }) => {
    expect(effectiveDriftPolicy(chain as StoredDriftPolicy[])).toEqual(want);
  });
});
