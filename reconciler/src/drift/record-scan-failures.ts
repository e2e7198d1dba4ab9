import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

export interface ScanFailure {
  readonly accountId: string;
  readonly calls: number;
  /** Already secret-free: a PlatformError's message or an error name and message. */
  readonly error: string;
}

/** How long a failed account waits before the scheduled scan tries it again. */
export const failedScanRetryMs = 60_000;

/**
 * Records failed scans, many accounts in one statement: the scan state keeps the error and the
 * next attempt; drift records are left as they were (a failed listing proves nothing).
 */
export async function recordScanFailures(
  db: Kysely<Database>,
  failures: readonly ScanFailure[],
): Promise<void> {
  if (failures.length === 0) return;
  const now = new Date();
  const retryAt = new Date(now.getTime() + failedScanRetryMs);
  await db
    .insertInto('drift_scans')
    .values(
      failures.map((f) => ({
        account_id: f.accountId,
        last_finished_at: now,
        last_outcome: 'failed',
        last_error: f.error,
        platform_calls: f.calls,
        next_scan_at: retryAt,
        clean_key: null,
      })),
    )
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet((eb) => ({
        last_finished_at: eb.ref('excluded.last_finished_at'),
        last_outcome: 'failed',
        last_error: eb.ref('excluded.last_error'),
        platform_calls: eb.ref('excluded.platform_calls'),
        next_scan_at: eb.ref('excluded.next_scan_at'),
        // What the last success saw may no longer be what its records say: compare next time.
        clean_key: null,
      })),
    )
    .execute();
}
