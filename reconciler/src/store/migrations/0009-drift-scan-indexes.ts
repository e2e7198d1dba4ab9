import { sql, type Kysely } from 'kysely';

// What a drift scan filters on, indexed: the desired rows of a batch of accounts
// (`resources.account_id in (...)`), the open records of those accounts, and the due accounts
// (`drift_scans.next_scan_at`). Without the first, each scanned account was a sequential scan
// of the whole resources table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('resources_owner').on('resources').column('account_id').execute();
  await db.schema
    .createIndex('drift_records_open_account')
    .on('drift_records')
    .column('account_id')
    .where(sql.ref('state'), '=', 'open')
    .execute();
  await db.schema.createIndex('drift_scans_due').on('drift_scans').column('next_scan_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['drift_scans_due', 'drift_records_open_account', 'resources_owner'])
    await db.schema.dropIndex(index).execute();
}
