import { sql, type Kysely } from 'kysely';

// API tokens: only a SHA-256 of each token is kept, so a copy of the database lets no one in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('admin', 'operator', 'auditor')`),
    )
    // null: every account; otherwise an account or sub-account id and everything under it.
    .addColumn('scope_account_id', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The first characters of the token, to tell tokens apart in listings.
    .addColumn('token_prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  // A name is the actor in audit events: two live tokens with one name would blur who did what.
  await db.schema
    .createIndex('api_tokens_live_name')
    .on('api_tokens')
    .column('name')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
}
