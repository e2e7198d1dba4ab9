import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import {
  defaultDriftPolicy,
  effectiveDriftPolicy,
  ownerChain,
  type DriftPolicy,
  type StoredDriftPolicy,
} from './drift-policy.js';

/** Default time between two scheduled scans of one account. */
export const defaultScanIntervalSeconds = 300;

interface Owned {
  readonly id: string;
  readonly account_id: string | null;
  readonly root_account_id: string;
}

/**
 * Every stored drift policy, in memory: there is one per account or resource that has one, a
 * few thousand at most, and both the scanner (per resource, thousands per scan) and the engine's
 * synchronous `driftPolicy` hook ask for them. `refresh()` reloads; scans call it first.
 */
export class DriftPolicyCache {
  private policies = new Map<string, StoredDriftPolicy & { interval: number | null }>();
  private digested = digestOf([]);

  constructor(private readonly db: Kysely<Database>) {}

  async refresh(): Promise<void> {
    const rows = await this.db.selectFrom('drift_policies').selectAll().execute();
    this.digested = digestOf(
      rows
        .map((r) => [r.target_id, r.mode, r.ignore_fields] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    );
    this.policies = new Map(
      rows.map((r) => [
        r.target_id,
        { mode: r.mode, ignoreFields: r.ignore_fields, interval: r.scan_interval_seconds },
      ]),
    );
  }

  /** The policy in force for a resource: its root account's, its account's, then its own. */
  forResource(row: Owned): DriftPolicy {
    const chain = ownerChain(row).map((id) => this.policies.get(id));
    // Most resources have no policy anywhere in their chain: a scan asks once per resource.
    return chain.some((p) => p !== undefined) ? effectiveDriftPolicy(chain) : defaultDriftPolicy;
  }

  /**
   * A digest of every stored mode and ignore list, as last refreshed: part of each account's
   * clean key (account-clean-key.ts), so that any policy change makes the next scan compare.
   */
  digest(): string {
    return this.digested;
  }

  /** For the engine's synchronous hook (bound): the policy its drift correction follows. */
  driftPolicy = (row: Owned): DriftPolicy => this.forResource(row);

  /** Whether an applied resource that differs from the platform is re-applied. */
  correctDrift = (row: Owned): boolean => this.forResource(row).mode === 'correct';

  /** Seconds between scheduled scans of an account: its own setting, its root's, or the default. */
  scanIntervalSeconds(accountId: string, rootAccountId: string): number {
    return (
      this.policies.get(accountId)?.interval ??
      this.policies.get(rootAccountId)?.interval ??
      defaultScanIntervalSeconds
    );
  }
}

function digestOf(policies: readonly (readonly unknown[])[]): string {
  return hash('sha256', JSON.stringify(policies), 'base64url');
}
