import type { KindInfo } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { DesiredRow } from './evaluate-account.js';

/**
 * telform id to platform id for every resource the rows reference, in at most one query for a
 * whole batch of accounts: the accounts and their own rows are known already; only references
 * leaving them are looked up. Ids are global, so one map serves every account of the batch.
 */
export async function loadReferenceIds(
  db: Kysely<Database>,
  rows: readonly DesiredRow[],
  kinds: ReadonlyMap<string, KindInfo>,
  accounts: readonly { id: string; external_id: string | null }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const account of accounts) if (account.external_id) ids.set(account.id, account.external_id);
  for (const row of rows) if (row.external_id) ids.set(row.id, row.external_id);
  const missing = new Set<string>();
  for (const row of rows) {
    for (const ref of kinds.get(row.kind)?.references ?? []) {
      if (ref.attribute.includes('.') || ref.attribute.includes('[')) continue;
      const value = ref.attribute === 'account_id' ? row.account_id : row.spec[ref.attribute];
      for (const id of Array.isArray(value) ? value : [value]) {
        if (typeof id === 'string' && !ids.has(id)) missing.add(id);
      }
    }
  }
  if (missing.size === 0) return ids;
  const found = await db
    .selectFrom('resources')
    .select(['id', 'external_id'])
    .where('id', 'in', [...missing])
    .where('external_id', 'is not', null)
    .execute();
  for (const r of found) ids.set(r.id, r.external_id!);
  return ids;
}
