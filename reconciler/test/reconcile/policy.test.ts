import { describe, expect, it } from 'vitest';
import {
  decide,
  differingFields,
  type Action,
  type PolicyInput,
} from '../../src/reconcile/policy.js';

const base: PolicyInput = {
  deletionRequested: false,
  dependenciesReady: true,
  platformMayHold: false,
  exists: false,
  liveDependents: 0,
  generation: 1,
  appliedGeneration: 0,
  differingFields: [],
  hasSecrets: false,
  correctDrift: false,
};

const cases: Array<{ reason: string; input: Partial<PolicyInput>; want: Action }> = [
  { reason: 'a new resource the platform lacks is created', input: {}, want: 'create' },
  {
    reason: 'a user whose account is not applied waits',
    input: { dependenciesReady: false },
    want: 'wait',
  },
  {
    reason: 'a resource applied once but gone from the platform is created again',
    input: { exists: false, generation: 2, appliedGeneration: 2, platformMayHold: true },
    want: 'create',
  },
  {
    reason: 'a new generation that changes values is an update',
    input: { exists: true, generation: 2, appliedGeneration: 1, differingFields: ['name'] },
    want: 'update',
  },
  {
    reason:
      'a new generation with secrets is sent even when visible values match (secrets cannot be compared)',
    input: { exists: true, generation: 2, appliedGeneration: 1, hasSecrets: true },
    want: 'update',
  },
  {
    reason: 'a new generation the platform already holds (found after a crash) needs no call',
    input: { exists: true, generation: 2, appliedGeneration: 1 },
    want: 'nothing',
  },
  {
    reason: 'drift on an applied generation is only reported by default',
    input: { exists: true, generation: 2, appliedGeneration: 2, differingFields: ['name'] },
    want: 'nothing',
  },
  {
    reason: 'drift on an applied generation is re-applied under the correct policy',
    input: {
      exists: true,
      generation: 2,
      appliedGeneration: 2,
      differingFields: ['name'],
      correctDrift: true,
    },
    want: 'update',
  },
  {
    reason: 'an account with live children waits for them before its delete',
    input: { deletionRequested: true, exists: undefined, liveDependents: 3 },
    want: 'wait',
  },
  {
    reason: 'a deletion of an object the platform holds calls delete',
    input: { deletionRequested: true, exists: true },
    want: 'delete',
  },
  {
    reason: 'a deletion of an object the platform no longer holds removes the desired row',
    input: { deletionRequested: true, exists: false, platformMayHold: true },
    want: 'forget',
  },
  {
    reason:
      'a deletion of something that never reached the platform, whose account is gone, is forgotten',
    input: { deletionRequested: true, dependenciesReady: false, exists: undefined },
    want: 'forget',
  },
  {
    reason: 'a deletion whose account cannot be resolved but that may exist on the platform waits',
    input: {
      deletionRequested: true,
      dependenciesReady: false,
      exists: undefined,
      platformMayHold: true,
    },
    want: 'wait',
  },
];

describe('decide', () => {
  it.each(cases)('$reason', ({ input, want }) => {
    expect(decide({ ...base, ...input }).action).toBe(want);
  });
});

describe('differingFields', () => {
  const cases = [
    { reason: 'equal values do not differ', desired: { a: 1 }, observed: { a: 1 }, want: [] },
    {
      reason: 'attributes only observed (computed) are ignored',
      desired: { a: 1 },
      observed: { a: 1, id: 'x' },
      want: [],
    },
    {
      reason: 'a changed scalar differs',
      desired: { a: 1, b: 'x' },
      observed: { a: 2, b: 'x' },
      want: ['a'],
    },
    {
      reason: 'a nested block the platform completed with defaults does not differ',
      desired: { p: { enabled: true } },
      observed: { p: { enabled: true, days: 90 } },
      want: [],
    },
    {
      reason: 'arrays compare item by item and by length',
      desired: { l: [1, 2] },
      observed: { l: [1] },
      want: ['l'],
    },
    { reason: 'a value the platform lacks differs', desired: { a: 1 }, observed: {}, want: ['a'] },
  ];
  it.each(cases)('$reason', ({ desired, observed, want }) => {
    expect(differingFields(desired, observed)).toEqual(want);
  });
});
