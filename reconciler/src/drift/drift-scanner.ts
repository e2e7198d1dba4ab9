import { managedKinds, type KindInfo } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { InventoryDriver } from '../driver/platform-driver.js';
import type { DaemonLog } from '../log/daemon-log.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';
import type { AttributeSchema } from './compare.js';
import type { DriftPolicyCache } from './drift-policy-cache.js';
import { evaluateAccount, type ResourceFinding } from './evaluate-account.js';
import { forEachConcurrently } from './for-each-concurrently.js';
import {
  loadScanAccounts,
  loadScanBatch,
  type ScanAccount,
  type ScanBatch,
  type ScanTarget,
} from './load-scan-batch.js';
import { accountCleanKey, compareFingerprint } from './account-clean-key.js';
import { findPlatformChanges } from './platform-change.js';
import { listPlatformInventory, type PlatformObject } from './platform-inventory.js';
import { recordFindings, type FindingsToRecord, type RecordedScan } from './record-findings.js';
import { recordObservations, type StoredObservation } from './record-observations.js';
import { recordScanFailures, type ScanFailure } from './record-scan-failures.js';

export interface DriftScannerDeps {
  readonly db: Kysely<Database>;
  /** The guarded driver: a scan's calls count against each account's budget. */
  readonly driver: InventoryDriver;
  readonly policies: DriftPolicyCache;
  /** Kinds a scan compares (default: every managed kind). */
  readonly kinds?: readonly KindInfo[];
  /** Page size asked of the driver's `list`. */
  readonly pageSize?: number;
  /** Accounts loaded and recorded together, one transaction per batch (default 100). */
  readonly batchSize?: number;
  /** Kinds of one account listed at once (default 4, under the account budget's concurrency). */
  readonly kindConcurrency?: number;
  /** Seals platform-generated secrets; with it, a scan also refreshes each row's `observed`. */
  readonly secrets?: SecretBox;
  /** Told after a batch's findings are written (the domain gauges read them again). Must not throw. */
  readonly onRecorded?: () => void;
  /** One line per account scanned (debug). */
  readonly log?: DaemonLog;
  /** What verdicts depend on besides values (default: compareFingerprint of the kinds). */
  readonly compareFingerprint?: string;
}

export type AccountScanResult =
  | ({
      readonly accountId: string;
      readonly outcome: 'scanned';
      readonly calls: number;
      readonly compared: number;
      readonly skipped: number;
      /** Nothing changed since the last scan (account-clean-key.ts): its findings stand. */
      readonly unchanged: boolean;
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

/** A scanned account waiting to be recorded with its batch. */
interface Evaluated {
  readonly findings: FindingsToRecord;
  readonly compared: number;
  readonly skipped: number;
}

/** An account listed that changed since its last scan: to be loaded and compared. */
interface Listed {
  readonly account: ScanAccount;
  readonly inventory: ReadonlyMap<string, readonly PlatformObject[]>;
  readonly calls: number;
  readonly cleanKey: string;
}

/** A batch listed and compared: what is left to write. */
interface Prepared {
  readonly done: AccountScanResult[];
  readonly evaluated: Evaluated[];
  readonly failures: ScanFailure[];
}

/**
 * Scans accounts: bulk-lists the platform, compares with desired state, records drift. Accounts
 * go in batches: each batch is loaded in three queries and recorded in one transaction, and the
 * next batch is listed while the previous one is written, so at most two batches are in memory
 * however many accounts a partner has.
 */
export class DriftScanner {
  private readonly kinds: ReadonlyMap<string, KindInfo>;
  private readonly listed: readonly string[];
  private readonly fingerprint: string;

  constructor(private readonly deps: DriftScannerDeps) {
    const kinds = deps.kinds ?? managedKinds();
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    // `account` objects are not listed under an account: a root account observes itself.
    this.listed = kinds.filter((k) => k.scope === 'account' && !k.dataSource).map((k) => k.kind);
    this.fingerprint = deps.compareFingerprint ?? compareFingerprint(kinds);
  }

  /**
   * Scans one account or sub-account: its own settings (root accounts) and every object it
   * owns. Never throws for a platform failure: the result says `failed` and the scan state
   * keeps the error. Throws UnknownAccountError for an id that is no account.
   */
  async scanAccount(accountId: string): Promise<AccountScanResult> {
    const prepared = await this.prepare([accountId], 1);
    if (prepared.done[0]?.outcome === 'skipped' && prepared.done[0].reason === unknownReason)
      throw new UnknownAccountError(`no account or sub-account with id ${accountId}`);
    const [result] = await this.record(prepared);
    return result!;
  }

  /** Scans every account whose interval has passed, `concurrency` accounts at a time. */
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
    const ids = due.map((d) => d.id);
    const size = Math.max(1, this.deps.batchSize ?? 100);
    const concurrency = Math.max(1, options.concurrency ?? 4);
    const results: AccountScanResult[] = [];
    let writing: Promise<AccountScanResult[]> | undefined;
    for (let i = 0; i < ids.length; i += size) {
      const prepared = await this.prepare(ids.slice(i, i + size), concurrency);
      if (writing) results.push(...(await writing));
      writing = this.record(prepared);
    }
    if (writing) results.push(...(await writing));
    return results;
  }

  /**
   * Lists a batch, then loads and compares only the accounts that changed since their last scan
   * (account-clean-key.ts): an account whose listing, desired state, policies and compare are
   * as its last scan saw them keeps that scan's findings without a row read. Never throws for
   * one account's failure.
   */
  private async prepare(accountIds: readonly string[], concurrency: number): Promise<Prepared> {
    const ids = [...new Set(accountIds)];
    const accounts = await loadScanAccounts(this.deps.db, ids);
    const prepared: Prepared = { done: [], evaluated: [], failures: [] };
    const scannable: ScanAccount[] = [];
    for (const accountId of ids) {
      const account = accounts.get(accountId);
      if (!account) prepared.done.push({ accountId, outcome: 'skipped', reason: unknownReason });
      else if (!account.external_id)
        prepared.done.push({ accountId, outcome: 'skipped', reason: 'not on the platform yet' });
      else scannable.push(account);
    }
    const policies = this.deps.policies.digest();
    const changed: Listed[] = [];
    await forEachConcurrently(scannable, concurrency, async (account) => {
      let calls = 0;
      try {
        const inventory = await this.inventory(account, (n) => (calls += n));
        const cleanKey = accountCleanKey({
          fingerprint: this.fingerprint,
          policies,
          desiredSeq: account.desired_seq,
          ownedSeq: account.owned_seq,
          inventory,
        });
        if (cleanKey === account.clean_key)
          prepared.evaluated.push(this.unchanged(account, calls, cleanKey));
        else changed.push({ account, inventory, calls, cleanKey });
      } catch (err) {
        prepared.failures.push({ accountId: account.id, calls, error: describe(err) });
      }
    });
    if (changed.length === 0) return prepared;
    const batch = await loadScanBatch(
      this.deps.db,
      changed.map((c) => c.account),
      this.kinds,
    );
    await forEachConcurrently(changed, concurrency, async (c) => {
      try {
        const evaluated = this.evaluate(batch.targets.get(c.account.id)!, c, batch);
        prepared.evaluated.push(await this.attribute(evaluated));
      } catch (err) {
        prepared.failures.push({ accountId: c.account.id, calls: c.calls, error: describe(err) });
      }
    });
    return prepared;
  }

  /** The account's platform objects per kind: itself (root accounts), then every listed kind. */
  private async inventory(
    account: ScanAccount,
    count: (calls: number) => void,
  ): Promise<Map<string, readonly PlatformObject[]>> {
    const inventory = new Map<string, readonly PlatformObject[]>();
    const externalId = account.external_id!;
    if (account.kind === 'account' && this.kinds.has('account')) {
      count(1);
      const self = await this.deps.driver.observe({ kind: 'account', id: account.id, externalId });
      inventory.set('account', self.exists ? [{ ...self, clientRef: account.id }] : []);
    }
    const listed = await listPlatformInventory(
      this.deps.driver,
      externalId,
      this.listed,
      this.deps.pageSize ?? 500,
      this.deps.kindConcurrency ?? 4,
    );
    count(listed.calls);
    for (const [kind, items] of listed.byKind) inventory.set(kind, items);
    return inventory;
  }

  /** An account as its last scan left it: that scan's findings stand, seen again now. */
  private unchanged(account: ScanAccount, calls: number, cleanKey: string): Evaluated {
    return {
      findings: {
        ...this.scanState(account, calls, cleanKey),
        evaluation: { compared: [], skipped: [], unmanaged: [] },
        unchanged: true,
      },
      compared: 0,
      skipped: 0,
    };
  }

  private evaluate(target: ScanTarget, listed: Listed, batch: ScanBatch): Evaluated {
    const { account, rows } = target;
    const evaluation = evaluateAccount({
      rows,
      inventory: listed.inventory,
      schemaOf: (kind) => this.kinds.get(kind)?.schema as AttributeSchema | undefined,
      policyOf: (row) => this.deps.policies.forResource(row),
      resolveReference: (id) => batch.references.get(id),
      reportsUnmanaged: (kind) => this.kinds.get(kind)?.singleton === false,
    });
    // Drift the engine is to correct is asked for again by every scan until it is gone: no key.
    const correcting = evaluation.compared.some(
      (c) => c.fields.length > 0 && c.policy.mode === 'correct',
    );
    return {
      findings: {
        ...this.scanState(account, listed.calls, correcting ? null : listed.cleanKey),
        evaluation,
      },
      compared: evaluation.compared.length,
      skipped: evaluation.skipped.length,
    };
  }

  private scanState(account: ScanAccount, calls: number, cleanKey: string | null) {
    const interval = this.deps.policies.scanIntervalSeconds(account.id, account.root_account_id);
    return {
      accountId: account.id,
      accountExternalId: account.external_id!,
      rootAccountId: account.root_account_id,
      calls,
      nextScanAt: new Date(Date.now() + interval * 1000),
      cleanKey,
    };
  }

  /** Names, from the platform's activity log, who changed each drifted resource. */
  private async attribute(e: Evaluated): Promise<Evaluated> {
    const drifted = e.findings.evaluation.compared.filter((c) => c.fields.length > 0);
    if (drifted.length === 0) return e;
    const { changes, calls, complete } = await findPlatformChanges(
      this.deps.driver,
      e.findings.accountExternalId,
      drifted.map((c) => c.row),
    );
    // The log unavailable: the next scan looks the drift up again, so it compares (no key).
    const named = complete || drifted.every((c) => changes.has(c.row.id));
    return {
      ...e,
      findings: {
        ...e.findings,
        calls: e.findings.calls + calls,
        platformChanges: changes,
        cleanKey: named ? e.findings.cleanKey : null,
      },
    };
  }

  /**
   * Writes a prepared batch: its findings in one transaction; should that fail, each account in
   * its own, so that one bad account costs only itself. Never throws.
   */
  private async record(prepared: Prepared): Promise<AccountScanResult[]> {
    const results: AccountScanResult[] = [...prepared.done];
    const failures = [...prepared.failures];
    const scanned = (e: Evaluated, r: RecordedScan): AccountScanResult => ({
      accountId: e.findings.accountId,
      outcome: 'scanned',
      calls: e.findings.calls,
      compared: e.compared,
      skipped: e.skipped,
      unchanged: e.findings.unchanged === true,
      ...r,
    });
    const listedKinds = this.listed;
    try {
      const recorded = await recordFindings(this.deps.db, {
        accounts: prepared.evaluated.map((e) => e.findings),
        listedKinds,
      });
      prepared.evaluated.forEach((e, i) => results.push(scanned(e, recorded[i]!)));
    } catch {
      for (const e of prepared.evaluated) {
        try {
          const [r] = await recordFindings(this.deps.db, { accounts: [e.findings], listedKinds });
          results.push(scanned(e, r!));
        } catch (err) {
          failures.push({
            accountId: e.findings.accountId,
            calls: e.findings.calls,
            error: describe(err),
          });
        }
      }
    }
    if (prepared.evaluated.length > 0) this.deps.onRecorded?.();
    await this.refreshObservations(prepared.evaluated, failures);
    try {
      await recordScanFailures(this.deps.db, failures);
    } catch {
      // The scan state stays as it was; the result still says why each account failed.
    }
    for (const f of failures) results.push({ ...f, outcome: 'failed' });
    for (const result of results) this.deps.log?.debug(scanFields(result), 'drift scan of account');
    return results;
  }

  /**
   * Keeps each compared row's `observed` as fresh as this scan (one statement per batch), so a
   * refresh after a scan shows what the platform holds. A failure here costs only freshness.
   */
  private async refreshObservations(
    evaluated: readonly Evaluated[],
    failures: readonly ScanFailure[],
  ): Promise<void> {
    const { secrets } = this.deps;
    if (!secrets) return;
    const failed = new Set(failures.map((f) => f.accountId));
    const compared = evaluated
      .filter((e) => !failed.has(e.findings.accountId))
      // Rows were loaded with `observed_digest` (load-scan-batch's desiredColumns).
      .flatMap((e) => e.findings.evaluation.compared) as unknown as readonly (ResourceFinding & {
      row: StoredObservation;
    })[];
    try {
      await recordObservations(this.deps.db, secrets, compared);
    } catch {
      // Observations are refreshed by the next scan or reconcile.
    }
  }
}

const unknownReason = 'no account or sub-account with this id';

// Counts and the outcome; a failure's text stays in the scan state and the result.
function scanFields(result: AccountScanResult): object {
  const { accountId: account, outcome } = result;
  if (result.outcome === 'skipped') return { account, outcome, reason: result.reason };
  if (result.outcome === 'failed') return { account, outcome, calls: result.calls };
  const { calls, compared, unchanged, opened, stillOpen, resolved, corrected, unmanaged } = result;
  return {
    account,
    outcome,
    calls,
    compared,
    unchanged,
    opened,
    stillOpen,
    resolved,
    corrected,
    unmanaged,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
