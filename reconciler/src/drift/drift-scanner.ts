import { managedKinds, type KindInfo } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { InventoryDriver } from '../driver/platform-driver.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';
import type { AttributeSchema } from './compare.js';
import type { DriftPolicyCache } from './drift-policy-cache.js';
import { evaluateAccount, type DesiredRow, type ResourceFinding } from './evaluate-account.js';
import { listPlatformInventory, type PlatformObject } from './platform-inventory.js';
import { loadReferenceIds } from './load-reference-ids.js';
import { recordFindings, type RecordedScan } from './record-findings.js';
import { recordObservations, type StoredObservation } from './record-observations.js';

export interface DriftScannerDeps {
  readonly db: Kysely<Database>;
  /** The guarded driver: a scan's calls count against each account's budget. */
  readonly driver: InventoryDriver;
  readonly policies: DriftPolicyCache;
  /** Kinds a scan compares (default: every managed kind). */
  readonly kinds?: readonly KindInfo[];
  /** Page size asked of the driver's `list`. */
  readonly pageSize?: number;
  /** Seals platform-generated secrets; with it, a scan also refreshes each row's `observed`. */
  readonly secrets?: SecretBox;
}

export type AccountScanResult =
  | ({
      readonly accountId: string;
      readonly outcome: 'scanned';
      readonly calls: number;
      readonly compared: number;
      readonly skipped: number;
    } & RecordedScan)
  | { readonly accountId: string; readonly outcome: 'skipped'; readonly reason: string }
  | {
      readonly accountId: string;
      readonly outcome: 'failed';
      readonly calls: number;
      readonly error: string;
    };

export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
}

const desiredColumns = [
  'id',
  'kind',
  'account_id',
  'root_account_id',
  'generation',
  'applied_generation',
  'spec',
  'external_id',
  'create_pending_at',
  'deletion_requested_at',
  'observed',
] as const;

/** Scans accounts: bulk-lists the platform, compares with desired state, records drift. */
export class DriftScanner {
  private readonly kinds: ReadonlyMap<string, KindInfo>;
  private readonly listed: readonly string[];

  constructor(private readonly deps: DriftScannerDeps) {
    const kinds = deps.kinds ?? managedKinds();
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    // `account` objects are not listed under an account: a root account observes itself.
    this.listed = kinds.filter((k) => k.scope === 'account' && !k.dataSource).map((k) => k.kind);
  }

  /**
   * Scans one account or sub-account: its own settings (root accounts) and every object it
   * owns. Never throws for a platform failure: the result says `failed` and the scan state
   * keeps the error. Throws UnknownAccountError for an id that is no account.
   */
  async scanAccount(accountId: string): Promise<AccountScanResult> {
    const { db, driver, policies } = this.deps;
    const account = await db
      .selectFrom('resources')
      .select(desiredColumns)
      .where('id', '=', accountId)
      .where('kind', 'in', ['account', 'sub_account'])
      .executeTakeFirst();
    if (!account) throw new UnknownAccountError(`no account or sub-account with id ${accountId}`);
    if (!account.external_id)
      return { accountId, outcome: 'skipped', reason: 'not on the platform yet' };
    let calls = 0;
    try {
      const rows: DesiredRow[] = await db
        .selectFrom('resources')
        .select(desiredColumns)
        .where('account_id', '=', accountId)
        .execute();
      const inventory = new Map<string, readonly PlatformObject[]>();
      if (account.kind === 'account' && this.kinds.has('account')) {
        rows.push(account);
        calls += 1;
        const self = await driver.observe({
          kind: 'account',
          id: account.id,
          externalId: account.external_id,
        });
        inventory.set('account', self.exists ? [{ ...self, clientRef: account.id }] : []);
      }
      const listed = await listPlatformInventory(
        driver,
        account.external_id,
        this.listed,
        this.deps.pageSize ?? 500,
      );
      calls += listed.calls;
      for (const [kind, items] of listed.byKind) inventory.set(kind, items);
      const references = await loadReferenceIds(db, rows, this.kinds, account);
      const evaluation = evaluateAccount({
        rows,
        inventory,
        schemaOf: (kind) => this.kinds.get(kind)?.schema as AttributeSchema | undefined,
        policyOf: (row) => policies.forResource(row),
        resolveReference: (id) => references.get(id),
        reportsUnmanaged: (kind) => this.kinds.get(kind)?.singleton === false,
      });
      const interval = policies.scanIntervalSeconds(account.id, account.root_account_id);
      const recorded = await recordFindings(db, {
        accountId,
        rootAccountId: account.root_account_id,
        evaluation,
        listedKinds: this.listed,
        calls,
        nextScanAt: new Date(Date.now() + interval * 1000),
      });
      if (this.deps.secrets) {
        const compared = evaluation.compared as readonly (ResourceFinding & {
          row: StoredObservation;
        })[];
        await recordObservations(db, this.deps.secrets, compared);
      }
      return {
        accountId,
        outcome: 'scanned',
        calls,
        compared: evaluation.compared.length,
        skipped: evaluation.skipped.length,
        ...recorded,
      };
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const retryAt = new Date(Date.now() + 60_000);
      await db
        .insertInto('drift_scans')
        .values({
          account_id: accountId,
          last_finished_at: new Date(),
          last_outcome: 'failed',
          last_error: error,
          platform_calls: calls,
          next_scan_at: retryAt,
        })
        .onConflict((oc) =>
          oc.column('account_id').doUpdateSet({
            last_finished_at: new Date(),
            last_outcome: 'failed',
            last_error: error,
            platform_calls: calls,
            next_scan_at: retryAt,
          }),
        )
        .execute();
      return { accountId, outcome: 'failed', calls, error };
    }
  }

  /** Scans every account whose interval has passed, `concurrency` at a time. */
  async scanDue(
    options: { limit?: number; concurrency?: number } = {},
  ): Promise<AccountScanResult[]> {
    await this.deps.policies.refresh();
    const due = await this.deps.db
      .selectFrom('resources as r')
      .leftJoin('drift_scans as s', 's.account_id', 'r.id')
      .select('r.id')
      .where('r.kind', 'in', ['account', 'sub_account'])
      .where('r.external_id', 'is not', null)
      .where('r.deletion_requested_at', 'is', null)
      .where((eb) =>
        eb.or([eb('s.next_scan_at', 'is', null), eb('s.next_scan_at', '<=', new Date())]),
      )
      .orderBy('s.next_scan_at')
      .limit(options.limit ?? 10_000)
      .execute();
    const results: AccountScanResult[] = [];
    const queue = due.map((d) => d.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift())
        results.push(await this.scanAccount(id));
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    return results;
  }
}
