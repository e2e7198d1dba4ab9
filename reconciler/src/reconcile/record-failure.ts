import type { Condition } from '../store/database.js';
import { reasons, setCondition } from '../store/conditions.js';
import { failureOutcome } from './failure-outcome.js';
import type { Action } from './policy.js';
import type { ReconcileDeps, ReconcileOutcome } from './reconcile-deps.js';
import { recordPlatformAudit } from './record-platform-audit.js';
import type { ResourcePatch, ResourceRow } from './work-queue.js';

/** How the failure is recorded: conditions and patch go through the reconcile's own finish. */
export type FinishReconcile = (
  outcome: ReconcileOutcome,
  conditions: Condition[],
  patch: ResourcePatch,
  requeueAfterMs: number | null,
) => Promise<ReconcileOutcome>;

/**
 * The failure branch of a reconcile: whatever a step threw becomes a Synced=False condition,
 * `last_error`, an audit event when the platform was being changed, and a requeue decision.
 */
export async function recordFailure(
  deps: ReconcileDeps,
  row: ResourceRow,
  err: unknown,
  action: Action,
  current: Condition[],
  now: () => Date,
  finish: FinishReconcile,
): Promise<ReconcileOutcome> {
  const failure = failureOutcome(
    err,
    row.attempts,
    deps.backoff,
    deps.delays,
    action === 'create' ? { kind: row.kind } : undefined,
  );
  if (action === 'create' || action === 'update' || action === 'delete') {
    await recordPlatformAudit(deps.audit, row, action, 'failure', {
      reason: failure.reason,
      message: failure.message,
    });
  }
  let conditions = setCondition(
    current,
    {
      type: 'Synced',
      status: 'False',
      reason: failure.reason,
      message: failure.message,
      field: failure.field,
    },
    now(),
  );
  if (!conditions.some((c) => c.type === 'Ready')) {
    conditions = setCondition(
      conditions,
      { type: 'Ready', status: 'False', reason: reasons.unavailable },
      now(),
    );
  }
  const lastError = {
    reason: failure.reason,
    message: failure.message,
    field: failure.field,
    action,
  };
  const patch: ResourcePatch = {
    last_error: JSON.stringify(lastError),
    ...(failure.countsAsAttempt ? { attempts: row.attempts + 1 } : {}),
  };
  return finish(failure.outcome, conditions, patch, failure.requeueAfterMs);
}
