import type { Kysely } from 'kysely';
import { loadPlatformSpecs } from '../drift/load-platform-specs.js';
import type { Database } from '../store/database.js';
import { inTree, resolveAccountTree, rowInTree, treeOf } from '../store/account-scope.js';
import { decodeCursor, encodeCursor } from '../store/list-cursor.js';
import {
  maskedObserved,
  representedColumns,
  toRepresentation,
  type ObservedView,
  type ResourceRepresentation,
} from './resource-representation.js';
import type { Scoped } from '../store/scoped.js';
import { StoreError } from '../store/store-error.js';

export interface ListQuery extends Scoped {
  readonly kind?: string;
  /** An account or sub-account: its rows and everything under it. */
  readonly accountId?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export interface ListPage {
  readonly items: ResourceRepresentation[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly next_cursor: string | null;
}

/**
 * One page of resources the caller can see, ordered by id (keyset: rows inserted meanwhile never
 * shift a page). With `accountId`, that account or sub-account's tree; it must be visible.
 * `observedView` decides what each item's observed document shows (masked by default).
 */
export async function listResources(
  db: Kysely<Database>,
  query: ListQuery,
  observedView: ObservedView = maskedObserved,
): Promise<ListPage> {
  let tree =
    query.scopeAccountId === null ? null : await resolveAccountTree(db, query.scopeAccountId);
  if (query.accountId !== undefined) {
    const account = await db
      .selectFrom('resources')
      .select(['id', 'kind', 'account_id', 'root_account_id'])
      .where('id', '=', query.accountId)
      .where('kind', 'in', ['account', 'sub_account'])
      .executeTakeFirst();
    if (!account || (tree && !rowInTree(account, tree))) {
      throw new StoreError('not_found', `no account or sub_account ${query.accountId}`);
    }
    tree = await treeOf(db, account);
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await db
    .selectFrom('resources')
    .select(representedColumns)
    .$if(query.kind !== undefined, (qb) => qb.where('kind', '=', query.kind!))
    .$if(tree !== null, (qb) => qb.where((eb) => inTree(eb, tree!)))
    .$if(after !== undefined, (qb) => qb.where('id', '>', after!))
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  const specs = await loadPlatformSpecs(db, page);
  return {
    items: page.map((row) => toRepresentation(row, observedView, specs(row)?.spec ?? null)),
    next_cursor: more ? encodeCursor(page.at(-1)!.id) : null,
  };
}
