import type { Selectable } from 'kysely';
import type { ApiTokensTable } from '../store/tables/api-tokens-table.js';
import type { Role } from './principal.js';

/** A token as listings show it: never the token, never its hash. */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly scopeAccountId: string | null;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** A stored row as a TokenInfo. */
export function toInfo(row: Selectable<ApiTokensTable>): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scopeAccountId: row.scope_account_id,
    prefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
