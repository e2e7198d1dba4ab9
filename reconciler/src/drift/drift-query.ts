import type { Kysely } from 'kysely';
import { resolveAccountTree } from '../store/account-scope.js';
import type { Database } from '../store/database.js';
import { decodeCursor, encodeCursor } from '../store/list-cursor.js';
import type {
  DriftRecordView,
  DriftReport,
  DriftState,
  UnmanagedObjectView,
} from './drift-report.js';

export interface DriftQuery {
  /** Account ids the caller may see; null: all. */
  readonly visibleAccountIds: readonly string[] | null;
  /** An account or sub-account: its records and those of everything under it. */
  readonly accountId?: string;
  readonly kind?: string;
  /** Default `open`. */
  readonly state?: DriftState | 'all';
  /** Records after this id (the previous page's `next_cursor`). */
  readonly cursor?: string;
  readonly limit: number;
}

export interface DriftPage extends DriftReport {
  readonly next_cursor: string | null;
}

/** Drift records and unmanaged objects matching the filters, oldest record first. */
export async function queryDrift(db: Kysely<Database>, q: DriftQuery): Promise<DriftPage> {
  const accounts = await accountFilter(db, q);
  const state = q.state ?? 'open';
  let records = db.selectFrom('drift_records').selectAll();
  let counts = db
    .selectFrom('drift_records')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state');
  let unmanaged = db.selectFrom('unmanaged_objects').selectAll().where('gone_at', 'is', null);
  if (accounts !== null) {
    records = records.where('account_id', 'in', accounts);
    counts = counts.where('account_id', 'in', accounts);
    unmanaged = unmanaged.where('account_id', 'in', accounts);
  }
  if (q.kind) {
    records = records.where('kind', '=', q.kind);
    counts = counts.where('kind', '=', q.kind);
    unmanaged = unmanaged.where('kind', '=', q.kind);
  }
  if (state !== 'all') records = records.where('state', '=', state);
  if (q.cursor) records = records.where('id', '>', decodeCursor(q.cursor));
  const rows = await records
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const byState = new Map((await counts.execute()).map((c) => [c.state, Number(c.n)]));
  // Unmanaged objects are current state, not history: listed with open drift only.
  const strays =
    state === 'resolved'
      ? []
      : await unmanaged
          .orderBy('account_id')
          .orderBy('kind')
          .orderBy('external_id')
          .limit(q.limit)
          .execute();
  return {
    generated_at: new Date().toISOString(),
    filters: Object.fromEntries(
      Object.entries({ account_id: q.accountId, kind: q.kind, state }).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    ),
    summary: {
      open: byState.get('open') ?? 0,
      resolved: byState.get('resolved') ?? 0,
      unmanaged: strays.length,
    },
    records: page.map(recordView),
    unmanaged: strays.map(unmanagedView),
    next_cursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}

/** The account ids to restrict to (null: no restriction): the filter's tree, cut to the visible ones. */
export async function accountFilter(
  db: Kysely<Database>,
  q: Pick<DriftQuery, 'accountId' | 'visibleAccountIds'>,
): Promise<string[] | null> {
  let ids: string[] | null = null;
  if (q.accountId) {
    const tree = await resolveAccountTree(db, q.accountId);
    ids = tree.ids
      ? [...tree.ids]
      : (
          await db
            .selectFrom('resources')
            .select('id')
            .where('root_account_id', '=', tree.root)
            .where('kind', 'in', ['account', 'sub_account'])
            .execute()
        ).map((r) => r.id);
    if (!ids.includes(q.accountId)) ids.push(q.accountId);
  }
  if (q.visibleAccountIds === null) return ids;
  const visible = new Set(q.visibleAccountIds);
  const allowed = (ids ?? [...visible]).filter((id) => visible.has(id));
  return allowed.length > 0 ? allowed : [''];
}

function recordView(r: {
  id: string;
  resource_id: string;
  kind: string;
  account_id: string;
  fields: DriftRecordView['fields'];
  action: DriftRecordView['action'];
  state: DriftState;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}): DriftRecordView {
  return {
    id: String(r.id),
    resource_id: r.resource_id,
    kind: r.kind,
    account_id: r.account_id,
    fields: r.fields,
    action: r.action,
    state: r.state,
    first_seen_at: r.first_seen_at.toISOString(),
    last_seen_at: r.last_seen_at.toISOString(),
    resolved_at: r.resolved_at?.toISOString() ?? null,
  };
}

function unmanagedView(u: {
  account_id: string;
  kind: string;
  external_id: string;
  client_ref: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
}): UnmanagedObjectView {
  return {
    account_id: u.account_id,
    kind: u.kind,
    external_id: u.external_id,
    client_ref: u.client_ref,
    first_seen_at: u.first_seen_at.toISOString(),
    last_seen_at: u.last_seen_at.toISOString(),
  };
}
