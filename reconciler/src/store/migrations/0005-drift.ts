import { sql, type Kysely } from 'kysely';

// Drift scans: policies per account or resource, one record per drift episode of a resource,
// the platform objects telform does not manage, and when each account was last scanned.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drift_policies')
    // An account, sub-account or resource id: policies are looked up along the owner chain.
    .addColumn('target_id', 'text', (c) => c.primaryKey())
    .addColumn('target_type', 'text', (c) =>
      c.notNull().check(sql`target_type in ('account', 'resource')`),
    )
    .addColumn('mode', 'text', (c) => c.check(sql`mode in ('report', 'correct')`))
    .addColumn('ignore_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Accounts only: how often the scheduled scan visits the account.
    .addColumn('scan_interval_seconds', 'integer', (c) => c.check(sql`scan_interval_seconds >= 60`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('drift_records')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('root_account_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in ('reported', 'corrected', 'ignored')`),
    )
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'resolved')`))
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  // At most one open record per resource: two scans racing on one account cannot open two.
  await db.schema
    .createIndex('drift_records_open')
    .on('drift_records')
    .column('resource_id')
    .unique()
    .where(sql.ref('state'), '=', 'open')
    .execute();
  await db.schema
    .createIndex('drift_records_account')
    .on('drift_records')
    .columns(['root_account_id', 'state', 'id'])
    .execute();
  await db.schema
    .createIndex('drift_records_resolved')
    .on('drift_records')
    .column('resolved_at')
    .where(sql.ref('resolved_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('unmanaged_objects')
    // The scanned account or sub-account (telform id).
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('root_account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('client_ref', 'text')
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    // Set when a scan no longer finds it on the platform.
    .addColumn('gone_at', 'timestamptz')
    .addPrimaryKeyConstraint('unmanaged_objects_pk', ['account_id', 'kind', 'external_id'])
    .execute();
  await db.schema
    .createIndex('unmanaged_objects_root')
    .on('unmanaged_objects')
    .columns(['root_account_id', 'kind'])
    .execute();

  await db.schema
    .createTable('drift_scans')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_outcome', 'text')
    .addColumn('last_error', 'text')
    .addColumn('platform_calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_scan_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['drift_scans', 'unmanaged_objects', 'drift_records', 'drift_policies']) {
    await db.schema.dropTable(table).execute();
  }
}
