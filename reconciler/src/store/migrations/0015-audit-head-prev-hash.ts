import type { Kysely } from 'kysely';

// The chain head also keeps the hash it replaced, so that one UPDATE can advance the head and
// return both links of the new event (its prev_hash and its hash): a single-event append is one
// statement that locks the head, chains the event in SQL (sha256) and inserts it
// (audit/append-one-event.ts). An UPDATE's RETURNING sees only new values, hence the column.
// Null until the first append that goes through that statement.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_chain_head').addColumn('prev_hash', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_chain_head').dropColumn('prev_hash').execute();
}
