import type { Kysely } from 'kysely';
import { resolveAccountTree, rowInTree } from '../store/account-scope.js';
import type { Database } from '../store/database.js';
import type { Principal } from './principal.js';

/**
 * Partner scopes: a token scoped to an account sees that account, its sub-accounts at any
 * depth and everything they own; nothing else exists for it. Resource reads and writes are
 * scoped inside ResourceStore; this guard serves the other routes (audit, tokens) and tells the
 * audit hook when a 404 hid an object that does exist (an event with outcome `denied`).
 */
export class ScopeGuard {
  constructor(private readonly db: Kysely<Database>) {}

  /** Account and sub-account ids the principal may see; null: every account. */
  async accountIds(principal: Pick<Principal, 'scopeAccountId'>): Promise<string[] | null> {
    if (principal.scopeAccountId === null) return null;
    const tree = await resolveAccountTree(this.db, principal.scopeAccountId);
    if (tree.ids !== null) return [...tree.ids];
    const rows = await this.db
      .selectFrom('resources')
      .select('id')
      .where('root_account_id', '=', tree.root)
      .where('kind', 'in', ['account', 'sub_account'])
      .execute();
    return [...new Set([tree.root, ...rows.map((r) => r.id)])];
  }

  /** Whether `accountId` (an account or sub-account) lies in the principal's scope. */
  async coversAccount(
    principal: Pick<Principal, 'scopeAccountId'>,
    accountId: string,
  ): Promise<boolean> {
    const ids = await this.accountIds(principal);
    return ids === null || ids.includes(accountId);
  }

  /** Whether `id` names an existing account or sub-account (any tenant's: callers check scope). */
  async isAccount(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('resources')
      .select('id')
      .where('id', '=', id)
      .where('kind', 'in', ['account', 'sub_account'])
      .executeTakeFirst();
    return row !== undefined;
  }

  /** True when one of `ids` names an existing resource outside the principal's scope. */
  async hidesAny(
    principal: Pick<Principal, 'scopeAccountId'>,
    ids: readonly string[],
  ): Promise<boolean> {
    if (principal.scopeAccountId === null || ids.length === 0) return false;
    const rows = await this.db
      .selectFrom('resources')
      .select(['id', 'account_id', 'root_account_id'])
      .where('id', 'in', [...ids])
      .execute();
    if (rows.length === 0) return false;
    const tree = await resolveAccountTree(this.db, principal.scopeAccountId);
    return rows.some((row) => !rowInTree(row, tree));
  }
}

const hidden = new WeakSet<object>();

/** Notes that a request's answer hides an out-of-scope object: its audit event says `denied`. */
export function markHiddenByScope(request: object): void {
  hidden.add(request);
}

export function wasHiddenByScope(request: object): boolean {
  return hidden.has(request);
}
