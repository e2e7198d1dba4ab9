import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { DriftAction } from '../store/tables/drift-tables.js';

export interface OpenDriftCount {
  readonly kind: string;
  /** `reported` (waiting for someone) or `corrected` (the engine is putting it back). */
  readonly action: DriftAction;
  readonly count: number;
}

export interface UnmanagedCount {
  readonly kind: string;
  readonly count: number;
}

/**
 * Open drift records by kind and action, every account together (read through a partial index
 * of the open records, never the resolved history): what `telform_drift_open_records` shows.
 */
export async function openDriftCounts(db: Kysely<Database>): Promise<OpenDriftCount[]> {
  const rows = await db
    .selectFrom('drift_records')
    .select(['kind', 'action', (eb) => eb.fn.countAll<string>().as('n')])
    .where('state', '=', 'open')
    .groupBy(['kind', 'action'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, action: r.action, count: Number(r.n) }));
}

/**
 * Platform objects telform does not manage, by kind, as each account's last scan found them
 * (gone ones excluded): what `telform_unmanaged_objects` shows.
 */
export async function unmanagedCounts(db: Kysely<Database>): Promise<UnmanagedCount[]> {
  const rows = await db
    .selectFrom('unmanaged_objects')
    .select(['kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('gone_at', 'is', null)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, count: Number(r.n) }));
}
