import type { Kysely } from 'kysely';

// Who wrote the desired state last (the token's name): the reconciler carries it to the
// platform as X-Telform-Actor, so the platform's deletion history and seat log show the person
// behind a change the daemon applied, not `telform`. Null for rows written before this column
// and for rows telform wrote itself (adoption): their changes are the daemon's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resources').addColumn('changed_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resources').dropColumn('changed_by').execute();
}
