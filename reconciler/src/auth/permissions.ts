import type { Action, Role } from './principal.js';

/** Every action a route can declare, for tables and tests that must cover them all. */
export const allActions: readonly Action[] = [
  'resources:read',
  'resources:write',
  'status:read',
  'platform:read',
  'drift:read',
  'drift:scan',
  'audit:read',
  'jobs:read',
  'jobs:run',
  'notifications:manage',
  'tokens:manage',
];

/**
 * What each role may do. operator: desired state, its runs and its notification subscriptions,
 * not the audit trail nor tokens; auditor: drift, audit and status reads and nothing else (not
 * even desired specs, nor where notifications go).
 */
export const rolePermissions: Readonly<Record<Role, ReadonlySet<Action>>> = {
  admin: new Set(allActions),
  operator: new Set<Action>([
    'resources:read',
    'resources:write',
    'status:read',
    'platform:read',
    'drift:read',
    'drift:scan',
    'jobs:read',
    'jobs:run',
    'notifications:manage',
  ]),
  auditor: new Set<Action>(['status:read', 'drift:read', 'audit:read']),
};

export const roles: readonly Role[] = ['admin', 'operator', 'auditor'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isAllowed(role: Role, action: Action): boolean {
  return rolePermissions[role].has(action);
}
