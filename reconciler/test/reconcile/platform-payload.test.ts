import { getKind } from '@telform/schemas';
import { describe, expect, it } from 'vitest';
import { platformPayload } from '../../src/reconcile/platform-payload.js';

const cases = [
  {
    why: 'a top-level version goes, its secret stays',
    kind: 'user',
    desired: { login: 'ann', password: 'pw-123456', password_wo_version: 2 },
    want: { login: 'ann', password: 'pw-123456' },
  },
  {
    why: 'a nested version goes, its siblings stay',
    kind: 'webhook',
    desired: { authentication: { enabled: true, password: 'pw', password_wo_version: 0 } },
    want: { authentication: { enabled: true, password: 'pw' } },
  },
  {
    why: 'nothing to strip leaves the payload as it was',
    kind: 'provisioning',
    desired: { rotate_trigger: '1' },
    want: { rotate_trigger: '1' },
  },
  {
    why: 'a kind without desired-only attributes is untouched',
    kind: 'account',
    desired: { name: 'Acme', password_wo_version: 1 },
    want: { name: 'Acme', password_wo_version: 1 },
  },
];

describe('platformPayload', () => {
  it.each(cases)('$kind: $why', ({ kind, desired, want }) => {
    const before = structuredClone(desired);
    expect(platformPayload(getKind(kind).desiredOnly, desired)).toEqual(want);
    expect(desired, 'the desired attributes are not mutated').toEqual(before);
  });
});
