import type { KindInfo } from '@telform/schemas';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { StoredObservation } from './record-observations.js';
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

/** An account to scan, with what says whether anything of it changed since its last scan. */
export interface ScanAccount extends DesiredRow, StoredObservation {
  /** The account row's own `desired_seq` and the greatest of the rows it owns (migration 0016). */
  readonly desired_seq: string;
  readonly owned_seq: string | null;
  /** What the last successful scan of the account saw (account-clean-key.ts). */
  readonly clean_key: string | null;
}

/** An account of the batch with the desired rows it owns. */
export interface ScanTarget {
  readonly account: ScanAccount;
  /** Owned rows, plus the account itself when it is a root account (it observes itself). */
  readonly rows: DesiredRow[];
}

export interface ScanBatch {
  /** Per account given. */
  readonly targets: ReadonlyMap<string, ScanTarget>;
  /** telform id to platform id for everything the batch's rows reference. */
  readonly references: ReadonlyMap<string, string>;
}

/**
 * The accounts and sub-accounts among `accountIds`, in one query: their rows, how far their
 * desired state has moved (one index probe of `resources_owner_seq` each, no owned row read)
 * and their last scan's clean key. Ids absent from the result are no account.
 */
export async function loadScanAccounts(
  db: Kysely<Database>,
  accountIds: readonly string[],
): Promise<Map<string, ScanAccount>> {
  if (accountIds.length === 0) return new Map();
  const accounts = await db
    .selectFrom('resources as r')
    .leftJoin('drift_scans as s', 's.account_id', 'r.id')
    .select(desiredColumns.map((c) => `r.${c}` as const))
    .select((eb) => [
      'r.desired_seq',
      's.clean_key',
      eb
        .selectFrom('resources as o')
        .select((o) => o.fn.max('o.desired_seq').as('seq'))
        .whereRef('o.account_id', '=', 'r.id')
        .as('owned_seq'),
    ])
    .where('r.id', 'in', [...accountIds])
    .where('r.kind', 'in', ['account', 'sub_account'])
    .execute();
  return new Map(
    accounts.map((a) => [
      a.id,
      {
        ...a,
        desired_seq: String(a.desired_seq),
        owned_seq: a.owned_seq === null ? null : String(a.owned_seq),
      },
    ]),
  );
}

/**
 * Loads the desired rows of accounts on the platform for a compare in two queries whatever their
 * number: every row they own (`resources_owner` index, as one JSON document: loadOwnedRows), and
 * the references leaving them.
 */
export async function loadScanBatch(
  db: Kysely<Database>,
  accounts: readonly ScanAccount[],
  kinds: ReadonlyMap<string, KindInfo>,
): Promise<ScanBatch> {
  const targets = new Map<string, ScanTarget>();
  for (const account of accounts) {
    const rows = account.kind === 'account' && kinds.has('account') ? [account] : [];
    targets.set(account.id, { account, rows });
  }
  const onPlatform = accounts.filter((a) => a.external_id !== null).map((a) => a.id);
  if (onPlatform.length === 0) return { targets, references: new Map() };
  for (const row of await loadOwnedRows(db, onPlatform))
    targets.get(row.account_id!)!.rows.push(row);
  const all = [...targets.values()];
  const references = await loadReferenceIds(
    db,
    all.flatMap((t) => t.rows),
    kinds,
    all.map((t) => t.account),
  );
  return { targets, references };
}

/** The tuple loadOwnedRows asks for, in desiredColumns order; timestamps arrive as strings. */
type OwnedTuple = [
  string,
  string,
  string | null,
  string,
  number,
  number,
  Record<string, unknown>,
  string | null,
  string | null,
  string | null,
  string | null,
];

/**
 * Every row the accounts own, as one JSON document rather than one protocol row per resource:
 * decoding 10,000 rows of 11 columns field by field cost the scan more than everything else it
 * does (PGlite most, its protocol parser runs in JavaScript); one JSON.parse of the same data
 * costs about a third of that.
 */
async function loadOwnedRows(
  db: Kysely<Database>,
  accountIds: readonly string[],
): Promise<(DesiredRow & StoredObservation)[]> {
  const { rows } = await sql<{ rows: string | null }>`
    select json_agg(json_build_array(id, kind, account_id, root_account_id, generation,
      applied_generation, spec, external_id, create_pending_at, deletion_requested_at,
      observed_digest))::text as rows
    from resources where account_id = any(${[...accountIds]}::text[])`.execute(db);
  const tuples = JSON.parse(rows[0]?.rows ?? '[]') as OwnedTuple[];
  return tuples.map((t) => ({
    id: t[0],
    kind: t[1],
    account_id: t[2],
    root_account_id: t[3],
    generation: t[4],
    applied_generation: t[5],
    spec: t[6],
    external_id: t[7],
    create_pending_at: t[8] === null ? null : new Date(t[8]),
    deletion_requested_at: t[9] === null ? null : new Date(t[9]),
    observed_digest: t[10],
  }));
}
