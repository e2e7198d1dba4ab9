import type { Kysely } from 'kysely';

// A read of one applied resource shows its platform view, which looks up the resources its
// reference attributes name, by telform id or by platform id, within its root account
// (drift/platform-view-columns.ts). The ids go by the primary key; the platform ids had no
// index, so each read scanned its account's rows (5 ms at 100,000 resources in one account).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('resources_root_external')
    .on('resources')
    .columns(['root_account_id', 'external_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('resources_root_external').execute();
}
