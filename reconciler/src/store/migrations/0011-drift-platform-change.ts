import type { Kysely } from 'kysely';

// Each drift record keeps who changed the platform and when (from the platform's activity log),
// stored with the record so it survives restarts and the log's own three-month retention.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('drift_records').addColumn('platform_change', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('drift_records').dropColumn('platform_change').execute();
}
