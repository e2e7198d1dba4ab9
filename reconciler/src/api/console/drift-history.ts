import { sql, type Kysely } from 'kysely';
import { accountFilter } from '../../drift/drift-query.js';
import type { Database } from '../../store/database.js';

export interface DriftHistoryQuery {
  /** Account ids the caller may see; null: all. */
  readonly visibleAccountIds: readonly string[] | null;
  /** An account or sub-account: its records and those of everything under it. */
  readonly accountId?: string;
  /** Days back from today (UTC), today included. */
  readonly days: number;
}

export interface DriftHistoryPoint {
  /** End of the UTC day (exclusive), ISO 8601. */
  readonly at: string;
  /** Records open at that instant: first seen before it and not resolved by then. */
  readonly open: number;
}

/**
 * Open drift at the end of each of the last `days` UTC days (the last point is now), computed
 * from the records' first-seen and resolved times, so it needs no separate history table.
 */
export async function driftHistory(
  db: Kysely<Database>,
  q: DriftHistoryQuery,
): Promise<DriftHistoryPoint[]> {
  const accounts = await accountFilter(db, q);
  const now = new Date();
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const instants: Date[] = [];
  for (let i = q.days - 1; i >= 1; i--)
    instants.push(new Date(startOfToday - (i - 1) * 86_400_000));
  instants.push(now);
  const accountClause =
    accounts === null ? sql`true` : sql`r.account_id in (${sql.join(accounts)})`;
  const { rows } = await sql<{ at: Date; open: string | number }>`
    select t.at, count(r.id) as open
    from unnest(${instants.map((d) => d.toISOString())}::timestamptz[]) as t(at)
    left join drift_records r
      on r.first_seen_at < t.at
      and (r.resolved_at is null or r.resolved_at >= t.at)
      and ${accountClause}
    group by t.at
    order by t.at`.execute(db);
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), open: Number(r.open) }));
}
