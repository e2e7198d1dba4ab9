import { asPlatformActor, daemonActor } from '../driver/platform-actor.js';
import { PlatformError, type Observed } from '../driver/platform-driver.js';
import { reasons, setCondition, type ConditionInput } from '../store/conditions.js';
import type { Condition } from '../store/database.js';
import { sealObserved } from '../store/observed-secrets.js';
import { openSecrets } from '../store/secret-fields.js';
import { backoffDelay } from './backoff.js';
import { planReconcile } from './plan-reconcile.js';
import { desiredPayload } from './platform-payload.js';
import type { Action } from './policy.js';
import type { ReconcileDeps, ReconcileOutcome } from './reconcile-deps.js';
import { recordFailure, type FinishReconcile } from './record-failure.js';
import { recordPlatformAudit } from './record-platform-audit.js';
import type { ResourcePatch, ResourceRow } from './work-queue.js';
import { observedDigest } from '../store/observed-digest.js';

export type { ReconcileDeps, ReconcileOutcome } from './reconcile-deps.js';

/**
 * Reconciles one claimed resource: resolve references, observe, decide (plan-reconcile.ts), act,
 * record. Every path ends in a recorded condition and a requeue decision; it never throws.
 */
export async function reconcileResource(
  deps: ReconcileDeps,
  row: ResourceRow,
): Promise<ReconcileOutcome> {
  const started = performance.now();
  const now = deps.now ?? (() => new Date());
  const { driver } = deps;
  let conditions: Condition[] = row.conditions;
  const setConditions = (...inputs: ConditionInput[]) => {
    for (const c of inputs) conditions = setCondition(conditions, c, now());
  };
  const done = (outcome: ReconcileOutcome) => {
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.reconciled(row.kind, outcome, seconds);
    deps.log?.debug(
      { kind: row.kind, id: row.id, outcome, ms: Math.round(seconds * 1000) },
      'reconcile finished',
    );
    return outcome;
  };
  const finish: FinishReconcile = async (outcome, recorded, patch, requeueAfterMs) => {
    const full = { ...patch, conditions: JSON.stringify(recorded), last_reconciled_at: now() };
    const kept = await deps.queue.complete(row, full, requeueAfterMs);
    return done(kept ? outcome : 'lease_lost');
  };
  const applied = async (outcome: ReconcileOutcome, result: Observed) => {
    setConditions(
      { type: 'Synced', status: 'True', reason: reasons.applied },
      { type: 'Ready', status: 'True', reason: reasons.available },
    );
    const recorded = await finish(outcome, conditions, observedPatch(deps, row, result), null);
    // Its children resolve this reference without reading the row again.
    if (recorded !== 'lease_lost') deps.references.applied(row.id, result.externalId);
    return recorded;
  };
  // The platform records the person who wrote the desired change (X-Telform-Actor), not telform.
  const asWriter = <T>(fn: () => Promise<T>) => asPlatformActor(row.changed_by ?? daemonActor, fn);
  let action: Action = 'nothing';
  // Whether a create request may have reached the platform in this attempt.
  let createSent = false;
  try {
    const { ref, refs, step, why } = await planReconcile(deps, row);
    action = step.action;
    deps.log?.debug(
      { kind: row.kind, id: row.id, generation: row.generation, action, why },
      'reconcile decided',
    );
    switch (step.action) {
      case 'wait': {
        const exists = step.exists;
        setConditions(
          {
            type: 'Synced',
            status: 'False',
            reason: reasons.dependencyNotReady,
            message: waitMessage(step.why, refs.pending),
          },
          row.deletion_requested_at !== null
            ? { type: 'Ready', status: 'False', reason: reasons.deleting }
            : {
                type: 'Ready',
                status: exists ? 'True' : 'False',
                reason: exists ? reasons.available : reasons.unavailable,
              },
        );
        // Waits back off too: hundreds of children re-polling a parent would starve its own apply.
        const wait = backoffDelay(row.attempts + 1, undefined, {
          baseMs: deps.delays.dependencyMs * 2,
          capMs: 30_000,
        });
        // Nothing was sent: the claim's "create pending" mark goes back to what it was.
        const patch = { attempts: row.attempts + 1, create_pending_at: row.create_pending_at };
        return await finish('waiting', conditions, patch, Math.max(wait, 50));
      }
      case 'blocked': {
        setConditions(
          {
            type: 'Synced',
            status: 'False',
            reason: reasons.deletionBlocked,
            message: step.why,
          },
          { type: 'Ready', status: 'False', reason: reasons.deleting },
        );
        // Its dependents may be deleted later (another workspace, the console): look again now
        // and then; a new DELETE makes it due at once (ResourceStore.requestDeletion).
        const wait = backoffDelay(row.attempts + 1, undefined, {
          baseMs: deps.delays.dependencyMs * 4,
          capMs: 60_000,
        });
        const patch = { attempts: row.attempts + 1, create_pending_at: row.create_pending_at };
        return await finish('waiting', conditions, patch, Math.max(wait, 50));
      }
      case 'delete':
        deps.references.forget(row);
        await asWriter(() => driver.delete(step.target));
        await recordPlatformAudit(deps.audit, row, 'delete', 'success', {});
        return done((await deps.queue.forget(row)) ? 'deleted' : 'lease_lost');
      case 'forget':
        deps.references.forget(row);
        return done((await deps.queue.forget(row)) ? 'deleted' : 'lease_lost');
      case 'nothing':
        return await applied('synced', step.current);
      case 'create':
      case 'update': {
        const info = deps.graph.get(row.kind);
        const secrets = openSecrets(deps.secrets, row.id, row.secrets);
        const sent = step.action === 'update' ? step.attributes : refs.attributes;
        const desired = desiredPayload(info.desiredOnly, sent, secrets);
        let result: Observed;
        // A create was marked pending by the claim, durably, before this call.
        if (step.action === 'create') {
          createSent = true;
          result = await asWriter(() => driver.create(ref, desired));
        } else {
          result = await asWriter(() => driver.update(step.target, desired));
        }
        await recordPlatformAudit(deps.audit, row, step.action, 'success', {
          generation: row.generation,
          spec: row.spec,
        });
        return await applied(step.action === 'create' ? 'created' : 'updated', result);
      }
    }
  } catch (err) {
    // A platform id it used may be stale (the object made again elsewhere): read them next time.
    deps.references.forget(row);
    // The claim marked a never-created row "create pending". When this attempt cannot have
    // created it (it failed before sending, or the platform refused the create outright), the
    // mark goes back to what it was, so the next attempt creates without observing first. A
    // create that may have gone through (a 5xx, a dropped connection) keeps it: the next attempt
    // asks the platform first, and never creates twice.
    const unsent = !createSent || refusedOutright(err);
    const finishFailure: FinishReconcile = (outcome, recorded, patch, requeueAfterMs) =>
      finish(
        outcome,
        recorded,
        unsent ? { ...patch, create_pending_at: row.create_pending_at } : patch,
        requeueAfterMs,
      );
    try {
      return await recordFailure(deps, row, err, action, conditions, now, finishFailure);
    } catch {
      // The store itself failed: the lease expires and another attempt records the outcome.
      return done('error');
    }
  }
}

// The only writer of `observed`: platform-generated secrets (the provisioning token) are sealed
// before they reach the row.
function observedPatch(deps: ReconcileDeps, row: ResourceRow, result: Observed): ResourcePatch {
  const generated = deps.graph.get(row.kind).generatedSecrets;
  return {
    external_id: result.externalId,
    observed: JSON.stringify(sealObserved(deps.secrets, row.id, generated, result.attributes)),
    // A drift scan that lists the same document then has nothing to write.
    observed_digest: observedDigest(result.attributes),
    applied_generation: row.generation,
    create_pending_at: null,
    attempts: 0,
    last_error: null,
  };
}

// A refusal the platform answered before doing anything: no object was made.
function refusedOutright(err: unknown): boolean {
  if (!(err instanceof PlatformError)) return false;
  return err.reason === 'retryable' ? err.details.status === 429 : true;
}

function waitMessage(why: string, pending: readonly string[]): string {
  return pending.length > 0 ? `${why}: ${pending.join(', ')}` : why;
}
