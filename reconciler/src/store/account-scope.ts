import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './database.js';

/**
 * The rows an account id stands for: the account (or sub-account) itself, its sub-accounts at
 * any depth, and everything they own. `ids` is null when the account is a root account, whose
 * tree is exactly `root_account_id = root` (one index range, no recursion).
 */
export interface AccountTree {
  readonly root: string;
  readonly ids: readonly string[] | null;
}

/** Resolves the tree under `accountId`; an unknown id gives a tree that matches nothing. */
export async function resolveAccountTree(
  db: Kysely<Database>,
  accountId: string,
): Promise<AccountTree> {
  const self = await db
    .selectFrom('resources')
    .select(['kind', 'root_account_id'])
    .where('id', '=', accountId)
    .where('kind', 'in', ['account', 'sub_account'])
    .executeTakeFirst();
  if (!self) return { root: accountId, ids: [accountId] };
  return treeOf(db, { id: accountId, ...self });
}

/** The tree under an account or sub-account row already read (no second lookup of it). */
export async function treeOf(
  db: Kysely<Database>,
  self: { readonly id: string; readonly kind: string; readonly root_account_id: string },
): Promise<AccountTree> {
  const accountId = self.id;
  if (self.kind === 'account') return { root: accountId, ids: null };
  const { rows } = await sql<{ id: string }>`
    with recursive tree(id) as (
      select ${accountId}::text
      union
      select r.id from resources r join tree t on r.account_id = t.id
      where r.kind = 'sub_account' and r.root_account_id = ${self.root_account_id}
    )
    select id from tree`.execute(db);
  return { root: self.root_account_id, ids: rows.map((r) => r.id) };
}

/** A where-clause matching the rows of `tree`. */
export function inTree(
  eb: ExpressionBuilder<Database, 'resources'>,
  tree: AccountTree,
): Expression<SqlBool> {
  const root = eb('root_account_id', '=', tree.root);
  if (tree.ids === null) return root;
  const ids = [...tree.ids];
  return eb.and([root, eb.or([eb('id', 'in', ids), eb('account_id', 'in', ids)])]);
}

/** Whether a row (its id, owner and root) lies in `tree`. */
export function rowInTree(
  row: { id: string; account_id: string | null; root_account_id: string },
  tree: AccountTree,
): boolean {
  if (row.root_account_id !== tree.root) return false;
  if (tree.ids === null) return true;
  return (
    tree.ids.includes(row.id) || (row.account_id !== null && tree.ids.includes(row.account_id))
  );
}
