import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * The work queue's depth, the one definition behind `telform_queue_depth`: rows whose reconcile
 * is due now and that no replica holds (a claimed row is being worked on, not waiting).
 */
export async function queueDepth(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('resources')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('next_reconcile_at', '<=', sql<Date>`now()`)
    .where((eb) =>
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', sql<Date>`now()`)]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
