import { describe, expect, it } from 'vitest';
import {
  decide,
  differingFields,
  type Action,
  type PolicyInput,
} from '../../src/reconcile/policy.js';
import type { AttributeSchema } from '../../src/drift/compare.js';

const base: PolicyInput = {
  deletionRequested: false,
  dependenciesReady: true,
  platformMayHold: false,
  exists: false,
  liveDependents: 0,
  generation: 1,
  appliedGeneration: 0,
  differingFields: [],
  driftedFields: [],
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
    input: {
      exists: true,
      generation: 2,
      appliedGeneration: 2,
      differingFields: ['name'],
      driftedFields: ['name'],
    },
    want: 'nothing',
  },
  {
    reason: 'drift on an applied generation is re-applied under the correct policy',
    input: {
      exists: true,
      generation: 2,
      appliedGeneration: 2,
      differingFields: ['name'],
      driftedFields: ['name'],
      correctDrift: true,
    },
    want: 'update',
  },
  {
    reason:
      'drift only in fields the policy ignores is left alone under correct (the scan reports none)',
    input: {
      exists: true,
      generation: 2,
      appliedGeneration: 2,
      differingFields: ['display_name'],
      driftedFields: [],
      correctDrift: true,
    },
    want: 'nothing',
  },
  {
    reason: 'a new generation changing an ignored field is still applied (ignore is about drift)',
    input: {
      exists: true,
      generation: 3,
      appliedGeneration: 2,
      differingFields: ['display_name'],
      driftedFields: [],
    },
    want: 'update',
  },
  {
    reason: 'an account with live children waits for them before its delete',
    input: { deletionRequested: true, exists: undefined, liveDependents: 3 },
    want: 'wait',
  },
  {
    reason: 'an account whose children are all being deleted waits for them',
    input: {
      deletionRequested: true,
      exists: undefined,
      liveDependents: 3,
      blockingDependents: { count: 0, first: [] },
    },
    want: 'wait',
  },
  {
    reason: 'a deletion with dependents nobody asked to delete would wait forever: blocked',
    input: {
      deletionRequested: true,
      exists: undefined,
      liveDependents: 3,
      blockingDependents: { count: 1, first: ['user_x'] },
    },
    want: 'blocked',
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
  // A small schema with what the comparison distinguishes: defaults, a computed id, a write-only
  // secret, a nested block with defaults, and an attribute without a default.
  const schema: AttributeSchema = {
    type: 'object',
    properties: {
      id: { type: 'string', readOnly: true },
      name: { type: 'string' },
      display_name: { type: 'string' },
      password: { type: 'string', writeOnly: true },
      enabled: { type: 'boolean', default: true },
      tags: { type: 'array', uniqueItems: true },
      privileges: {
        type: 'object',
        properties: {
          admin: { type: 'boolean', default: false },
          monitor: { type: 'boolean', default: false },
        },
      },
    },
  };
  const cases: Array<{
    reason: string;
    desired: Record<string, unknown>;
    observed: Record<string, unknown>;
    ignore?: string[];
    want: string[];
  }> = [
    {
      reason: 'equal values do not differ',
      desired: { name: 'a' },
      observed: { name: 'a' },
      want: [],
    },
    {
      reason: 'computed attributes only the platform reports are not compared',
      desired: { name: 'a' },
      observed: { name: 'a', id: 'x' },
      want: [],
    },
    {
      reason: 'a changed scalar differs',
      desired: { name: 'a', enabled: true },
      observed: { name: 'b', enabled: true },
      want: ['name'],
    },
    {
      reason: 'a nested block the platform completed with defaults does not differ',
      desired: { privileges: { admin: true } },
      observed: { privileges: { admin: true, monitor: false } },
      want: [],
    },
    {
      reason:
        'an attribute unset in the spec differs when the platform holds a value (the scanner flags it; the old diff missed it)',
      desired: { name: 'a' },
      observed: { name: 'a', display_name: 'Al' },
      want: ['display_name'],
    },
    {
      reason: 'a nested field unset in the spec differs from a non-default platform value',
      desired: { name: 'a' },
      observed: { name: 'a', privileges: { admin: false, monitor: true } },
      want: ['privileges.monitor'],
    },
    {
      reason:
        'a value the spec sets and the platform lacks was removed there, even when it is the default (a role deleted in the console)',
      desired: { name: 'a', enabled: true },
      observed: {},
      want: ['name', 'enabled'],
    },
    {
      reason: 'a value the spec leaves unset reads as its default when the platform omits it',
      desired: { name: 'a' },
      observed: { name: 'a' },
      want: [],
    },
    {
      reason: 'secrets are never compared (the platform never returns them)',
      desired: { name: 'a', password: 'x' },
      observed: { name: 'a' },
      want: [],
    },
    {
      reason: 'a set compares without order',
      desired: { tags: ['x', 'y'] },
      observed: { tags: ['y', 'x'] },
      want: [],
    },
    {
      reason: 'ignored fields are not compared, nested ones included',
      desired: { name: 'a' },
      observed: { name: 'b', privileges: { monitor: true } },
      ignore: ['name', 'privileges'],
      want: [],
    },
  ];
  it.each(cases)('$reason', ({ desired, observed, ignore, want }) => {
    expect(differingFields(schema, desired, observed, ignore)).toEqual(want);
  });
});
