import { sql, type Kysely } from 'kysely';

// A drift scan refreshes each row's `observed` where the platform moved. Reading 100,000
// observed documents per scan to find the few that moved costs more than the rest of the scan,
// so the scan keeps a digest of what it last wrote and reads only that. A trigger clears the
// digest whenever anyone else (the engine, adoption, a rekey, a hand-written UPDATE) changes
// `observed` without setting it, so a stale digest can never stand for a document it no longer
// describes: a cleared digest only costs the next scan one write.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resources').addColumn('observed_digest', 'text').execute();
  await sql`
    create function resources_observed_digest_stale() returns trigger language plpgsql as $$
    begin
      if new.observed is distinct from old.observed
         and new.observed_digest is not distinct from old.observed_digest then
        new.observed_digest := null;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger resources_observed_digest_stale
    before update of observed on resources
    for each row execute function resources_observed_digest_stale()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger resources_observed_digest_stale on resources`.execute(db);
  await sql`drop function resources_observed_digest_stale()`.execute(db);
  await db.schema.alterTable('resources').dropColumn('observed_digest').execute();
}
