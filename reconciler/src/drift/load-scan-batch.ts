import type { KindInfo } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { DesiredRow } from './evaluate-account.js';
import { loadReferenceIds } from './load-reference-ids.js';

/**
 * The columns of a desired resource that a scan reads (an explicit list: no secrets). Not
 * `observed` itself: its digest says whether the platform moved (record-observations.ts).
 */
export const desiredColumns = [
  'id',
  'kind',
  'account_id',
  'root_account_id',
  'generation',
  'applied_generation',
  'spec',
  'external_id',
  'create_pending_at',
  'deletion_requested_at',
  'observed_digest',
] as const;

/** An account of the batch with the desired rows it owns. */
export interface ScanTarget {
  readonly account: DesiredRow;
  /** Owned rows, plus the account itself when it is a root account (it observes itself). */
  readonly rows: DesiredRow[];
}

export interface ScanBatch {
  /** Per requested id that is an account or sub-account; ids absent here are not. */
  readonly targets: ReadonlyMap<string, ScanTarget>;
  /** telform id to platform id for everything the batch's rows reference. */
  readonly references: ReadonlyMap<string, string>;
}

/**
 * Loads a batch of accounts for a scan in three queries whatever its size: the accounts, every
 * row they own (`resources_owner` index), and the references leaving them. Only accounts on the
 * platform get their rows loaded.
 */
export async function loadScanBatch(
  db: Kysely<Database>,
  accountIds: readonly string[],
  kinds: ReadonlyMap<string, KindInfo>,
): Promise<ScanBatch> {
  const targets = new Map<string, ScanTarget>();
  if (accountIds.length === 0) return { targets, references: new Map() };
  const accounts = await db
    .selectFrom('resources')
    .select(desiredColumns)
    .where('id', 'in', [...accountIds])
    .where('kind', 'in', ['account', 'sub_account'])
    .execute();
  for (const account of accounts) {
    const rows = account.kind === 'account' && kinds.has('account') ? [account] : [];
    targets.set(account.id, { account, rows });
  }
  const onPlatform = accounts.filter((a) => a.external_id !== null).map((a) => a.id);
  if (onPlatform.length === 0) return { targets, references: new Map() };
  const owned = await db
    .selectFrom('resources')
    .select(desiredColumns)
    .where('account_id', 'in', onPlatform)
    .execute();
  for (const row of owned) targets.get(row.account_id!)!.rows.push(row);
  const all = [...targets.values()];
  const references = await loadReferenceIds(
    db,
    all.flatMap((t) => t.rows),
    kinds,
    all.map((t) => t.account),
  );
  return { targets, references };
}
