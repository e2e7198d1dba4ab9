import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

export interface PlatformAccount {
  readonly id: string;
  readonly kind: string;
  readonly root_account_id: string;
  readonly external_id: string;
}

/** Accounts and sub-accounts that exist on the platform and are not being deleted. */
export async function platformAccounts(db: Kysely<Database>): Promise<PlatformAccount[]> {
  const rows = await db
    .selectFrom('resources')
    .select(['id', 'kind', 'root_account_id', 'external_id'])
    .where('kind', 'in', ['account', 'sub_account'])
    .where('external_id', 'is not', null)
    .where('deletion_requested_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, external_id: r.external_id! }));
}

/** A failure as a run summary shows it: the error's own words, never a stack. */
export function failureText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
