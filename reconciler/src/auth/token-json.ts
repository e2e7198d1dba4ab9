import type { TokenInfo } from './token-info.js';

/** A token in API answers (never the token itself). */
export const tokenSchema = {
  type: 'object',
  description: 'An API token, without the token itself.',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'operator', 'auditor'] },
    scope_account_id: { type: ['string', 'null'] },
    prefix: { type: 'string', description: 'First characters of the token, to tell tokens apart.' },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    expires_at: { type: ['string', 'null'], format: 'date-time' },
    revoked_at: { type: ['string', 'null'], format: 'date-time' },
    last_used_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

/** Body of `POST /v1/tokens`. */
export const createTokenBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'Shown as the actor in audit events.',
    },
    role: { type: 'string', enum: ['admin', 'operator', 'auditor'] },
    scope_account_id: {
      type: ['string', 'null'],
      maxLength: 128,
      description: 'Account or sub-account; null: all.',
    },
    expires_in: {
      type: 'string',
      pattern: '^[0-9]{1,6}[mhdw]$',
      description: 'Lifetime such as `30d`; absent: never.',
    },
  },
} as const;

export const tokenIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 128 } },
} as const;

/** A TokenInfo as its API JSON. */
export function tokenJson(info: TokenInfo) {
  return {
    id: info.id,
    name: info.name,
    role: info.role,
    scope_account_id: info.scopeAccountId,
    prefix: info.prefix,
    created_by: info.createdBy,
    created_at: info.createdAt.toISOString(),
    expires_at: info.expiresAt?.toISOString() ?? null,
    revoked_at: info.revokedAt?.toISOString() ?? null,
    last_used_at: info.lastUsedAt?.toISOString() ?? null,
  };
}
