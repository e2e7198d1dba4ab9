import { describe, expect, it } from 'vitest';
import { allActions, isAllowed, isRole } from '../../src/auth/permissions.js';
import type { Action, Role } from '../../src/auth/principal.js';

// The whole role x action table, written out so a change to it is a visible diff here.
const table: Record<Action, Record<Role, boolean>> = {
  'resources:read': { admin: true, operator: true, auditor: false },
  'resources:write': { admin: true, operator: true, auditor: false },
  'status:read': { admin: true, operator: true, auditor: true },
  'platform:read': { admin: true, operator: true, auditor: false },
  'drift:read': { admin: true, operator: true, auditor: true },
  'drift:scan': { admin: true, operator: true, auditor: false },
  'audit:read': { admin: true, operator: false, auditor: true },
  'jobs:read': { admin: true, operator: true, auditor: false },
  'jobs:run': { admin: true, operator: true, auditor: false },
  // Webhook subscriptions send account data out: those who manage the setup, never the auditor.
  'notifications:manage': { admin: true, operator: true, auditor: false },
  'tokens:manage': { admin: true, operator: false, auditor: false },
};

describe('role permissions', () => {
  it('the table covers every action', () => {
    expect(Object.keys(table).sort()).toEqual([...allActions].sort());
  });

  const cases = Object.entries(table).flatMap(([action, byRole]) =>
    Object.entries(byRole).map(([role, allowed]) => ({
      role: role as Role,
      action: action as Action,
      allowed,
    })),
  );
  it.each(cases)('$role on $action: $allowed', ({ role, action, allowed }) => {
    expect(isAllowed(role, action)).toBe(allowed);
  });

  it.each([
    { value: 'admin', want: true },
    { value: 'Admin', want: false },
    { value: 'root', want: false },
    { value: 7, want: false },
  ])('isRole($value) is $want: role names are exact', ({ value, want }) => {
    expect(isRole(value)).toBe(want);
  });
});
