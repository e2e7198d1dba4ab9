import { sql, type Kysely } from 'kysely';
import { enqueueNotifications } from '../notifications/enqueue-notification.js';
import type { Database } from '../store/database.js';
import type { AccountEvaluation, ResourceFinding } from './evaluate-account.js';
import { insertInChunks } from './insert-in-chunks.js';
import type { PlatformChange } from './platform-change.js';

/** One scanned account's findings. */
export interface FindingsToRecord {
  readonly accountId: string;
  /** The account's platform id. */
  readonly accountExternalId: string;
  readonly rootAccountId: string;
  readonly evaluation: AccountEvaluation;
  readonly calls: number;
  readonly nextScanAt: Date;
  /** Resource id -> the platform change that caused its drift (absent: the log named none). */
  readonly platformChanges?: ReadonlyMap<string, PlatformChange>;
  /** What this scan saw (account-clean-key.ts), kept for the next; null: compare it next time. */
  readonly cleanKey: string | null;
  /**
   * Nothing changed since the last scan (same clean key): its records stand, seen again now;
   * `evaluation` is empty.
   */
  readonly unchanged?: boolean;
}

/** A batch of scanned accounts, recorded together. */
export interface BatchToRecord {
  readonly accounts: readonly FindingsToRecord[];
  /** Kinds the scan listed: unmanaged objects of these kinds not seen now are gone. */
  readonly listedKinds: readonly string[];
}

export interface RecordedScan {
  readonly opened: number;
  readonly stillOpen: number;
  readonly resolved: number;
  readonly corrected: number;
  readonly unmanaged: number;
}

/**
 * Writes a batch of accounts' scans in one transaction of a fixed number of set-based
 * statements (not a few per account), serialized per account by advisory locks taken in id
 * order, so that a scheduled and an on-demand scan of one account cannot interleave and two
 * batches cannot deadlock: opens or refreshes drift records, resolves those that agree again,
 * requeues `correct` resources for the engine, keeps the unmanaged list, queues notifications.
 * Returns one result per account, in the order given.
 */
export async function recordFindings(
  db: Kysely<Database>,
  batch: BatchToRecord,
): Promise<RecordedScan[]> {
  if (batch.accounts.length === 0) return [];
  const accountIds = batch.accounts.map((a) => a.accountId);
  return db.transaction().execute(async (trx) => {
    const keys = [...accountIds].sort().map((id) => `telform.drift:${id}`);
    await sql`select pg_advisory_xact_lock(hashtext(k))
      from (select k from unnest(${keys}::text[]) as k order by k) as locks`.execute(trx);
    const now = new Date();
    // Unchanged accounts need no open-record rows: recordUnchanged counts theirs as it touches them.
    const changedIds = batch.accounts.filter((f) => !f.unchanged).map((f) => f.accountId);
    const open =
      changedIds.length === 0
        ? []
        : await trx
            .selectFrom('drift_records')
            .select(['id', 'resource_id', 'account_id', 'platform_change'])
            .where('state', '=', 'open')
            .where('account_id', 'in', changedIds)
            .execute();
    const openByResource = new Map(open.map((r) => [r.resource_id, r.id]));
    const causeByResource = new Map(open.map((r) => [r.resource_id, r.platform_change]));
    const seenAgain = await recordUnchanged(
      trx,
      batch.accounts.filter((f) => f.unchanged).map((f) => f.accountId),
      now,
    );

    const plans = batch.accounts
      .filter((f) => !f.unchanged)
      .map((f) =>
        planAccount(
          f,
          openByResource,
          open.filter((r) => r.account_id === f.accountId),
        ),
      );
    const fresh = plans.flatMap((p) => p.fresh.map((c) => ({ f: p.f, c })));
    await insertInChunks(
      fresh.map(({ f, c }) => ({
        ...recordColumns(f, c),
        state: 'open' as const,
        first_seen_at: now,
        last_seen_at: now,
      })),
      (values) => trx.insertInto('drift_records').values(values).execute(),
    );
    const refreshed = plans.flatMap((p) =>
      p.stillOpen.map((c) => ({ id: openByResource.get(c.row.id)!, ...recordColumns(p.f, c) })),
    );
    if (refreshed.length > 0) {
      // A newer platform change names the record anew; none found keeps the one it had.
      await sql`update drift_records as d
        set fields = v.fields::jsonb, action = v.action, last_seen_at = ${now},
            platform_change = coalesce(v.platform_change::jsonb, d.platform_change)
        from unnest(${refreshed.map((r) => r.id)}::bigint[], ${refreshed.map((r) => r.fields)}::text[],
                    ${refreshed.map((r) => r.action)}::text[],
                    ${refreshed.map((r) => r.platform_change)}::text[])
          as v(id, fields, action, platform_change)
        where d.id = v.id`.execute(trx);
    }
    const resolvedIds = plans.flatMap((p) => p.resolvedIds);
    if (resolvedIds.length > 0) {
      const byIgnoring = plans.flatMap((p) => p.byIgnoring);
      await trx
        .updateTable('drift_records')
        .set({
          state: 'resolved',
          resolved_at: now,
          action: sql`case when id = any(${byIgnoring}::bigint[]) then 'ignored' else action end`,
        })
        .where('id', '=', sql<string>`any(${resolvedIds}::bigint[])`)
        .execute();
    }
    const toCorrect = plans.flatMap((p) => p.toCorrect);
    if (toCorrect.length > 0) {
      await trx
        .updateTable('resources')
        .set({ next_reconcile_at: now })
        .where('id', '=', sql<string>`any(${toCorrect}::text[])`)
        .execute();
    }
    await recordUnmanaged(trx, batch, now);
    await recordScans(trx, batch.accounts, now);
    await enqueueNotifications(
      trx,
      plans.flatMap((p) => [
        ...p.fresh.map((c) =>
          notification(p.f, 'drift.detected', c, p.f.platformChanges?.get(c.row.id)),
        ),
        ...p.agreeing.map((c) =>
          notification(p.f, 'drift.resolved', c, causeByResource.get(c.row.id)),
        ),
      ]),
    );
    const byAccount = new Map(
      plans.map((p) => [
        p.f.accountId,
        {
          opened: p.fresh.length,
          stillOpen: p.stillOpen.length,
          resolved: p.resolvedIds.length,
          corrected: p.toCorrect.length,
          unmanaged: p.f.evaluation.unmanaged.length,
        },
      ]),
    );
    return batch.accounts.map(
      (f) =>
        byAccount.get(f.accountId) ?? {
          opened: 0,
          stillOpen: seenAgain.get(f.accountId)?.open ?? 0,
          resolved: 0,
          corrected: 0,
          unmanaged: seenAgain.get(f.accountId)?.unmanaged ?? 0,
        },
    );
  });
}

/** What one account's findings change, given the batch's open records and its own (pure). */
function planAccount(
  f: FindingsToRecord,
  openByResource: ReadonlyMap<string, string>,
  ownOpen: readonly { id: string; resource_id: string }[],
) {
  const { compared, skipped } = f.evaluation;
  const drifted = compared.filter((c) => c.fields.length > 0);
  // Resolved: compared and now agreeing, or no longer desired at all (rows in flight keep theirs).
  const agreeing = compared.filter((c) => c.fields.length === 0 && openByResource.has(c.row.id));
  const known = new Set([...compared.map((c) => c.row.id), ...skipped.map((row) => row.id)]);
  const gone = ownOpen.filter((r) => !known.has(r.resource_id)).map((r) => r.id);
  return {
    f,
    fresh: drifted.filter((c) => !openByResource.has(c.row.id)),
    stillOpen: drifted.filter((c) => openByResource.has(c.row.id)),
    agreeing,
    byIgnoring: agreeing
      .filter((c) => c.agreesByIgnoring)
      .map((c) => openByResource.get(c.row.id)!),
    resolvedIds: [...agreeing.map((c) => openByResource.get(c.row.id)!), ...gone],
    toCorrect: drifted.filter((c) => c.policy.mode === 'correct').map((c) => c.row.id),
  };
}

function recordColumns(f: FindingsToRecord, c: ResourceFinding) {
  return {
    resource_id: c.row.id,
    kind: c.row.kind,
    account_id: c.row.account_id ?? c.row.id,
    root_account_id: f.rootAccountId,
    fields: JSON.stringify(c.fields),
    action: c.policy.mode === 'correct' ? ('corrected' as const) : ('reported' as const),
    platform_change: platformChangeJson(f.platformChanges?.get(c.row.id)),
  };
}

function platformChangeJson(change: PlatformChange | undefined): string | null {
  return change ? JSON.stringify(change) : null;
}

/**
 * The batch's drift_scans rows, one statement for any number of accounts: the columns go as
 * arrays (unnest), so the statement text and its parameter count do not grow with the batch.
 */
async function recordScans(
  trx: Kysely<Database>,
  accounts: readonly FindingsToRecord[],
  now: Date,
): Promise<void> {
  await sql`insert into drift_scans as s (account_id, last_started_at, last_finished_at,
      last_outcome, platform_calls, next_scan_at, clean_key)
    select v.account_id, ${now}, ${now}, 'success', v.calls, v.next_scan_at, v.clean_key
    from unnest(${accounts.map((f) => f.accountId)}::text[], ${accounts.map((f) => f.calls)}::int[],
                ${accounts.map((f) => f.nextScanAt.toISOString())}::timestamptz[],
                ${accounts.map((f) => f.cleanKey)}::text[])
      as v(account_id, calls, next_scan_at, clean_key)
    on conflict (account_id) do update set
      last_finished_at = excluded.last_finished_at, last_outcome = 'success', last_error = null,
      platform_calls = excluded.platform_calls, next_scan_at = excluded.next_scan_at,
      clean_key = excluded.clean_key`.execute(trx);
}

/**
 * Accounts unchanged since their last scan: their open records and unmanaged objects were seen
 * again now, in one statement for the batch (none without such accounts). Returns, per account,
 * how many records are open and how many unmanaged objects it has.
 */
async function recordUnchanged(
  trx: Kysely<Database>,
  accountIds: readonly string[],
  now: Date,
): Promise<Map<string, { open: number; unmanaged: number }>> {
  const counts = new Map<string, { open: number; unmanaged: number }>();
  if (accountIds.length === 0) return counts;
  const ids = [...accountIds];
  const seen = await sql<{ what: 'open' | 'unmanaged'; account_id: string; n: number }>`
    with d as (
      update drift_records set last_seen_at = ${now}
      where state = 'open' and account_id = any(${ids}::text[])
      returning account_id
    ), u as (
      update unmanaged_objects set last_seen_at = ${now}
      where account_id = any(${ids}::text[]) and gone_at is null
      returning account_id
    )
    select 'open' as what, account_id, count(*)::int as n from d group by account_id
    union all
    select 'unmanaged', account_id, count(*)::int from u group by account_id`.execute(trx);
  for (const { what, account_id, n } of seen.rows) {
    const c = counts.get(account_id) ?? { open: 0, unmanaged: 0 };
    c[what] = Number(n);
    counts.set(account_id, c);
  }
  return counts;
}

async function recordUnmanaged(
  trx: Kysely<Database>,
  batch: BatchToRecord,
  now: Date,
): Promise<void> {
  const seen = batch.accounts.flatMap((f) =>
    f.evaluation.unmanaged.map((u) => ({
      account_id: f.accountId,
      root_account_id: f.rootAccountId,
      kind: u.kind,
      external_id: u.externalId,
      client_ref: u.clientRef,
      first_seen_at: now,
      last_seen_at: now,
    })),
  );
  await insertInChunks(seen, (values) =>
    trx
      .insertInto('unmanaged_objects')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['account_id', 'kind', 'external_id']).doUpdateSet((eb) => ({
          last_seen_at: eb.ref('excluded.last_seen_at'),
          client_ref: eb.ref('excluded.client_ref'),
          gone_at: null,
        })),
      )
      .execute(),
  );
  // Unchanged accounts' objects were all seen again now (recordUnchanged): none can be gone.
  const changedIds = batch.accounts.filter((f) => !f.unchanged).map((f) => f.accountId);
  if (batch.listedKinds.length === 0 || changedIds.length === 0) return;
  await trx
    .updateTable('unmanaged_objects')
    .set({ gone_at: now })
    .where('account_id', 'in', changedIds)
    .where('kind', 'in', [...batch.listedKinds])
    .where('gone_at', 'is', null)
    .where('last_seen_at', '<', now)
    .execute();
}

/**
 * A drift event's notification. `platform_change` is the record's: the platform's activity entry
 * of the change that caused the drift (who, when, from where), null when the log named none.
 */
function notification(
  f: FindingsToRecord,
  event: 'drift.detected' | 'drift.resolved',
  c: ResourceFinding,
  cause: PlatformChange | null | undefined,
) {
  return {
    event,
    accountId: c.row.account_id ?? c.row.id,
    rootAccountId: f.rootAccountId,
    data: {
      resource_id: c.row.id,
      kind: c.row.kind,
      fields: c.fields,
      action: c.policy.mode === 'correct' ? 'corrected' : 'reported',
      platform_change: cause ?? null,
    },
  };
}
