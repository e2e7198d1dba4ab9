import { sql, type Kysely } from 'kysely';

// Token caches in every replica must drop a token the moment it is revoked. A change to what a
// token grants (revoked, expiry, role, scope, or a deleted row) bumps one counter and notifies
// channel `telform_tokens`: replicas LISTEN where they can (Postgres), and otherwise compare the
// counter, a one-row primary-key read, before trusting a cached token. A trigger, so that every
// path (API, CLI straight on the database, a hand-written UPDATE) is covered.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_token_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into api_token_epoch (id, epoch) values (1, 0)`.execute(db);
  await sql`
    create function api_tokens_changed() returns trigger language plpgsql as $$
    begin
      update api_token_epoch set epoch = epoch + 1 where id = 1;
      perform pg_notify('telform_tokens', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger api_tokens_changed
    after update of revoked_at, expires_at, role, scope_account_id, token_hash or delete
    on api_tokens for each statement execute function api_tokens_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger api_tokens_changed on api_tokens`.execute(db);
  await sql`drop function api_tokens_changed()`.execute(db);
  await db.schema.dropTable('api_token_epoch').execute();
}
