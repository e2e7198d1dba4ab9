import { sql, type Kysely } from 'kysely';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import type { Database } from '../store/database.js';
import type { AccountEvaluation, ResourceFinding } from './evaluate-account.js';

export interface FindingsToRecord {
  readonly accountId: string;
  readonly rootAccountId: string;
  readonly evaluation: AccountEvaluation;
  /** Kinds the scan listed: unmanaged objects of these kinds not seen now are gone. */
  readonly listedKinds: readonly string[];
  readonly calls: number;
  readonly nextScanAt: Date;
}

export interface RecordedScan {
  readonly opened: number;
  readonly stillOpen: number;
  readonly resolved: number;
  readonly corrected: number;
  readonly unmanaged: number;
}

/**
 * Writes one account's scan in one transaction, serialized per account by an advisory lock so
 * that a scheduled and an on-demand scan of the same account cannot interleave: opens or
 * refreshes drift records, resolves those that agree again, requeues `correct` resources for the
 * engine, keeps the unmanaged list, queues notifications.
 */
export async function recordFindings(
  db: Kysely<Database>,
  f: FindingsToRecord,
): Promise<RecordedScan> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`telform.drift:${f.accountId}`}))`.execute(
      trx,
    );
    const now = new Date();
    const open = await trx
      .selectFrom('drift_records')
      .select(['id', 'resource_id', 'action'])
      .where('state', '=', 'open')
      .where('account_id', '=', f.accountId)
      .execute();
    const openByResource = new Map(open.map((r) => [r.resource_id, r]));
    const drifted = f.evaluation.compared.filter((c) => c.fields.length > 0);
    const toCorrect = drifted.filter((c) => c.policy.mode === 'correct').map((c) => c.row.id);

    const fresh = drifted.filter((c) => !openByResource.has(c.row.id));
    if (fresh.length > 0) {
      await trx
        .insertInto('drift_records')
        .values(
          fresh.map((c) => ({
            ...recordColumns(f, c),
            state: 'open' as const,
            first_seen_at: now,
            last_seen_at: now,
          })),
        )
        .execute();
    }
    for (const c of drifted.filter((d) => openByResource.has(d.row.id))) {
      const { fields, action } = recordColumns(f, c);
      await trx
        .updateTable('drift_records')
        .set({ fields, action, last_seen_at: now })
        .where('id', '=', openByResource.get(c.row.id)!.id)
        .execute();
    }

    // Resolved: compared and now agreeing, or no longer desired at all (rows in flight keep theirs).
    const known = new Set(
      [...f.evaluation.compared, ...f.evaluation.skipped.map((row) => ({ row }))].map(
        (c) => c.row.id,
      ),
    );
    const agreeing = f.evaluation.compared.filter(
      (c) => c.fields.length === 0 && openByResource.has(c.row.id),
    );
    const byIgnoring = agreeing
      .filter((c) => c.agreesByIgnoring)
      .map((c) => openByResource.get(c.row.id)!.id);
    const gone = open.filter((r) => !known.has(r.resource_id)).map((r) => r.id);
    const resolvedIds = [...agreeing.map((c) => openByResource.get(c.row.id)!.id), ...gone];
    if (resolvedIds.length > 0) {
      await trx
        .updateTable('drift_records')
        .set({
          state: 'resolved',
          resolved_at: now,
          action: sql`case when id = any(${byIgnoring}::bigint[]) then 'ignored' else action end`,
        })
        .where('id', 'in', resolvedIds)
        .execute();
    }
    if (toCorrect.length > 0) {
      await trx
        .updateTable('resources')
        .set({ next_reconcile_at: now })
        .where('id', 'in', toCorrect)
        .execute();
    }

    await recordUnmanaged(trx, f, now);
    await trx
      .insertInto('drift_scans')
      .values({
        account_id: f.accountId,
        last_started_at: now,
        last_finished_at: now,
        last_outcome: 'success',
        platform_calls: f.calls,
        next_scan_at: f.nextScanAt,
      })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet((eb) => ({
          last_finished_at: eb.ref('excluded.last_finished_at'),
          last_outcome: 'success',
          last_error: null,
          platform_calls: eb.ref('excluded.platform_calls'),
          next_scan_at: eb.ref('excluded.next_scan_at'),
        })),
      )
      .execute();

    for (const c of fresh) await notify(trx, f, 'drift.detected', c);
    for (const c of agreeing) await notify(trx, f, 'drift.resolved', c);
    return {
      opened: fresh.length,
      stillOpen: drifted.length - fresh.length,
      resolved: resolvedIds.length,
      corrected: toCorrect.length,
      unmanaged: f.evaluation.unmanaged.length,
    };
  });
}

function recordColumns(f: FindingsToRecord, c: ResourceFinding) {
  return {
    resource_id: c.row.id,
    kind: c.row.kind,
    account_id: c.row.account_id ?? c.row.id,
    root_account_id: f.rootAccountId,
    fields: JSON.stringify(c.fields),
    action: c.policy.mode === 'correct' ? ('corrected' as const) : ('reported' as const),
  };
}

async function recordUnmanaged(
  trx: Kysely<Database>,
  f: FindingsToRecord,
  now: Date,
): Promise<void> {
  const seen = f.evaluation.unmanaged;
  if (seen.length > 0) {
    await trx
      .insertInto('unmanaged_objects')
      .values(
        seen.map((u) => ({
          account_id: f.accountId,
          root_account_id: f.rootAccountId,
          kind: u.kind,
          external_id: u.externalId,
          client_ref: u.clientRef,
          first_seen_at: now,
          last_seen_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['account_id', 'kind', 'external_id']).doUpdateSet((eb) => ({
          last_seen_at: eb.ref('excluded.last_seen_at'),
          client_ref: eb.ref('excluded.client_ref'),
          gone_at: null,
        })),
      )
      .execute();
  }
  if (f.listedKinds.length === 0) return;
  await trx
    .updateTable('unmanaged_objects')
    .set({ gone_at: now })
    .where('account_id', '=', f.accountId)
    .where('kind', 'in', [...f.listedKinds])
    .where('gone_at', 'is', null)
    .where('last_seen_at', '<', now)
    .execute();
}

async function notify(
  trx: Kysely<Database>,
  f: FindingsToRecord,
  event: 'drift.detected' | 'drift.resolved',
  c: ResourceFinding,
) {
  await enqueueNotification(trx, {
    event,
    accountId: c.row.account_id ?? c.row.id,
    rootAccountId: f.rootAccountId,
    data: {
      resource_id: c.row.id,
      kind: c.row.kind,
      fields: c.fields,
      action: c.policy.mode === 'correct' ? 'corrected' : 'reported',
    },
  });
}
