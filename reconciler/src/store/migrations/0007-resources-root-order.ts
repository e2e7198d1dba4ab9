import type { Kysely } from 'kysely';

// The bulk read of an account tree (`GET /v1/resources?account_id=`) pages by id across kinds:
// with this index a page is one index range, not a sort of the whole tree.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('resources_root_id')
    .on('resources')
    .columns(['root_account_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('resources_root_id').execute();
}
