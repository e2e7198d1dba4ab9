import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { DriftPolicyCache } from './drift-policy-cache.js';
import type { AccountScanResult, DriftScanner } from './drift-scanner.js';

/**
 * Brings the observations of an account tree up to date before a read answers from them.
 * Contract: never throws for a platform failure (the read then answers from the observations it
 * has, and the scan state keeps the error); resolves once every stale account was scanned.
 */
export interface PlatformRefresh {
  /**
   * Scans `accountId` and every sub-account under it whose last scan finished more than
   * `maxAgeMs` ago (0: always), one bulk listing per kind and account.
   */
  refresh(accountId: string, maxAgeMs: number): Promise<readonly AccountScanResult[]>;
}

/** {@link PlatformRefresh} by drift scans: a refresh also records (and, under `correct`, requeues) drift. */
export class ScanningRefresh implements PlatformRefresh {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly scanner: DriftScanner,
    private readonly policies: DriftPolicyCache,
  ) {}

  async refresh(accountId: string, maxAgeMs: number): Promise<readonly AccountScanResult[]> {
    const stale = await this.staleAccounts(accountId, new Date(Date.now() - maxAgeMs));
    if (stale.length === 0) return [];
    await this.policies.refresh();
    const results: AccountScanResult[] = [];
    for (const id of stale) results.push(await this.scanner.scanAccount(id));
    return results;
  }

  // The account and its sub-accounts at any depth, each unless scanned successfully since `since`.
  private async staleAccounts(accountId: string, since: Date): Promise<string[]> {
    const tree: string[] = [];
    for (let level = [accountId]; level.length > 0 && tree.length < 10_000;) {
      const found = await this.db
        .selectFrom('resources')
        .select('id')
        .where('id', 'in', level)
        .where('kind', 'in', ['account', 'sub_account'])
        .where('external_id', 'is not', null)
        .execute();
      tree.push(...found.map((r) => r.id));
      level = (
        await this.db
          .selectFrom('resources')
          .select('id')
          .where('account_id', 'in', level)
          .where('kind', '=', 'sub_account')
          .execute()
      ).map((r) => r.id);
    }
    if (tree.length === 0) return [];
    const fresh = await this.db
      .selectFrom('drift_scans')
      .select('account_id')
      .where('account_id', 'in', tree)
      .where('last_outcome', '=', 'success')
      .where('last_finished_at', '>', since)
      .execute();
    const skip = new Set(fresh.map((r) => r.account_id));
    return tree.filter((id) => !skip.has(id));
  }
}
