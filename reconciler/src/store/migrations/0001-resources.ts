import { sql, type Kysely } from 'kysely';

// Desired state, status and work-queue columns live in one row so that a write and the work it
// causes commit together: nothing accepted can be lost between two tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Owning account or sub-account (telform id); null for kind `account`.
    .addColumn('account_id', 'text')
    // Top-level account of the tree, for partner scopes and per-account queries.
    .addColumn('root_account_id', 'text', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    // Encrypted secrets: { attribute: envelope }.
    .addColumn('secrets', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('deletion_requested_at', 'timestamptz')
    // Status.
    .addColumn('external_id', 'text')
    .addColumn('applied_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('observed', 'jsonb')
    .addColumn('conditions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('last_reconciled_at', 'timestamptz')
    // Work queue.
    .addColumn('next_reconcile_at', 'timestamptz', (c) => c.defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'timestamptz')
    // Set before the platform's create is called; cleared when its outcome is recorded.
    .addColumn('create_pending_at', 'timestamptz')
    .addColumn('last_error', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createIndex('resources_due')
    .on('resources')
    .columns(['next_reconcile_at'])
    .where(sql.ref('next_reconcile_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('resources_account')
    .on('resources')
    .columns(['root_account_id', 'kind', 'id'])
    .execute();
  await db.schema.createIndex('resources_kind').on('resources').columns(['kind', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('resources').execute();
}
