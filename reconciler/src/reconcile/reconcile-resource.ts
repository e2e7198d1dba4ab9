import type { AuditSink } from '../audit/audit-sink.js';
import type {
  Attributes,
  ExternalRef,
  Observation,
  PlatformDriver,
  ResourceRef,
} from '../driver/platform-driver.js';
import type { AttributeSchema } from '../drift/compare.js';
import type { DriftPolicy } from '../drift/drift-policy.js';
import { keepIgnoredFields } from '../drift/keep-ignored-fields.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { cloneJson, setAt } from '../store/attribute-paths.js';
import { sealObserved } from '../store/observed-secrets.js';
import { openSecrets } from '../store/secret-fields.js';
import type { Condition } from '../store/database.js';
import type { AccountBudget } from './account-budget.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { reasons, setCondition, type ConditionInput } from './conditions.js';
import { failureOutcome, type RequeueDelays } from './failure-outcome.js';
import { GuardedDriver } from './guarded-driver.js';
import type { KindGraph } from './kind-graph.js';
import { platformPayload } from './platform-payload.js';
import { decide, differingFields, type Action } from './policy.js';
import type { ReconcileMetrics } from './reconcile-metrics.js';
import type { ReferenceResolver } from './reference-resolver.js';
import type { ResourcePatch, ResourceRow, WorkQueue } from './work-queue.js';

export interface ReconcileDeps {
  readonly queue: WorkQueue;
  readonly references: ReferenceResolver;
  readonly graph: KindGraph;
  readonly driver: PlatformDriver;
  readonly budget: AccountBudget;
  readonly secrets: SecretBox;
  readonly audit: AuditSink;
  readonly metrics: ReconcileMetrics;
  readonly backoff: BackoffOptions;
  readonly delays: RequeueDelays;
  /** The drift policy in force for this resource (default: report only, nothing ignored). */
  readonly driftPolicy?: (row: ResourceRow) => DriftPolicy;
  readonly now?: () => Date;
}

export type ReconcileOutcome =
  | 'created'
  | 'updated'
  | 'deleted'
  | 'synced'
  | 'waiting'
  | 'retry'
  | 'rejected'
  | 'conflict'
  | 'forbidden'
  | 'error'
  | 'lease_lost';

/**
 * Reconciles one claimed resource: resolve references, observe, decide, act, record. Every path
 * ends in a recorded condition and a requeue decision; it never throws.
 */
export async function reconcileResource(
  deps: ReconcileDeps,
  row: ResourceRow,
): Promise<ReconcileOutcome> {
  const started = performance.now();
  const now = deps.now ?? (() => new Date());
  const deleting = row.deletion_requested_at !== null;
  const driver = new GuardedDriver(deps.driver, deps.budget, deps.metrics, row.root_account_id);
  let conditions: Condition[] = row.conditions;
  const setConditions = (...inputs: ConditionInput[]) => {
    for (const c of inputs) conditions = setCondition(conditions, c, now());
  };
  const finish = async (
    outcome: ReconcileOutcome,
    patch: ResourcePatch,
    requeueAfterMs: number | null,
  ) => {
    const full = { ...patch, conditions: JSON.stringify(conditions), last_reconciled_at: now() };
    const kept = await deps.queue.complete(row, full, requeueAfterMs);
    return done(kept ? outcome : 'lease_lost');
  };
  const done = (outcome: ReconcileOutcome) => {
    deps.metrics.reconciled(row.kind, outcome, (performance.now() - started) / 1000);
    return outcome;
  };
  let action: Action = 'nothing';
  try {
    deps.graph.get(row.kind);
    const refs = await deps.references.resolve(row);
    const liveDependents = deleting ? await deps.references.liveDependents(row) : 0;
    const ref: ResourceRef = {
      kind: row.kind,
      id: row.id,
      ...(refs.accountExternalId ? { accountExternalId: refs.accountExternalId } : {}),
      ...(row.external_id ? { externalId: row.external_id } : {}),
    };
    // Observe first, by external id or else by client reference: after a crash between "create
    // pending" and the recorded outcome, this finds the object the first attempt made. A row never
    // sent to the platform has nothing to observe (and create is idempotent by client reference).
    const mayHold = row.external_id !== null || row.create_pending_at !== null;
    let observation: Observation | undefined;
    if (refs.ready && liveDependents === 0) {
      observation = mayHold || deleting ? await driver.observe(ref) : { exists: false };
    }
    const observed: Attributes = observation?.exists ? observation.attributes : {};
    const policy = deps.driftPolicy?.(row);
    const schema = deps.graph.get(row.kind).schema as AttributeSchema;
    const decision = decide({
      deletionRequested: deleting,
      dependenciesReady: refs.ready,
      platformMayHold: mayHold,
      exists: observation?.exists,
      liveDependents,
      generation: row.generation,
      appliedGeneration: row.applied_generation,
      differingFields: differingFields(schema, refs.attributes, observed),
      // Only `correct` acts on drift: under `report`, skip the second comparison.
      driftedFields:
        policy?.mode === 'correct'
          ? differingFields(schema, refs.attributes, observed, policy.ignoreFields)
          : [],
      hasSecrets: Object.keys(row.secrets).length > 0,
      correctDrift: policy?.mode === 'correct',
    });
    action = decision.action;

    if (decision.action === 'wait') {
      setConditions(
        {
          type: 'Synced',
          status: 'False',
          reason: reasons.dependencyNotReady,
          message: waitMessage(decision.why, refs.pending),
        },
        deleting
          ? { type: 'Ready', status: 'False', reason: reasons.deleting }
          : {
              type: 'Ready',
              status: observation?.exists ? 'True' : 'False',
              reason: observation?.exists ? reasons.available : reasons.unavailable,
            },
      );
      // Waits back off too: hundreds of children re-polling a parent would starve its own apply.
      const wait = backoffDelay(row.attempts + 1, undefined, {
        baseMs: deps.delays.dependencyMs * 2,
        capMs: 30_000,
      });
      return await finish('waiting', { attempts: row.attempts + 1 }, Math.max(wait, 50));
    }
    if (decision.action === 'forget' || decision.action === 'delete') {
      if (decision.action === 'delete' && observation?.exists) {
        await driver.delete({ ...ref, externalId: observation.externalId });
        await audit(deps, row, 'delete', 'success', {});
      }
      return done((await deps.queue.forget(row)) ? 'deleted' : 'lease_lost');
    }
    if (decision.action === 'nothing') {
      const exists = observation as Observation & { exists: true };
      setConditions(
        { type: 'Synced', status: 'True', reason: reasons.applied },
        { type: 'Ready', status: 'True', reason: reasons.available },
      );
      const patch = observedPatch(deps, row, exists.externalId, exists.attributes);
      return await finish('synced', patch, null);
    }

    // An update leaves the policy's ignored fields as the platform holds them.
    const sent =
      decision.action === 'update'
        ? keepIgnoredFields(schema, refs.attributes, observed, policy?.ignoreFields ?? [])
        : refs.attributes;
    const desired = platformPayload(
      deps.graph.get(row.kind).desiredOnly,
      withSecrets(sent, openSecrets(deps.secrets, row.id, row.secrets)),
    );
    let result;
    if (decision.action === 'create') {
      if (!(await deps.queue.markCreatePending(row))) return done('lease_lost');
      result = await driver.create(ref, desired);
    } else {
      const existing = observation as Observation & { exists: true };
      result = await driver.update(
        { ...ref, externalId: existing.externalId } as ExternalRef,
        desired,
      );
    }
    await audit(deps, row, decision.action, 'success', {
      generation: row.generation,
      spec: row.spec,
    });
    setConditions(
      { type: 'Synced', status: 'True', reason: reasons.applied },
      { type: 'Ready', status: 'True', reason: reasons.available },
    );
    const patch = observedPatch(deps, row, result.externalId, result.attributes);
    return await finish(decision.action === 'create' ? 'created' : 'updated', patch, null);
  } catch (err) {
    try {
      const failure = failureOutcome(err, row.attempts, deps.backoff, deps.delays);
      if (action === 'create' || action === 'update' || action === 'delete') {
        await audit(deps, row, action, 'failure', {
          reason: failure.reason,
          message: failure.message,
        });
      }
      setConditions({
        type: 'Synced',
        status: 'False',
        reason: failure.reason,
        message: failure.message,
        field: failure.field,
      });
      if (!conditions.some((c) => c.type === 'Ready')) {
        setConditions({ type: 'Ready', status: 'False', reason: reasons.unavailable });
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
      return await finish(failure.outcome, patch, failure.requeueAfterMs);
    } catch {
      // The store itself failed: the lease expires and another attempt records the outcome.
      return done('error');
    }
  }
}

// The only writer of `observed`: platform-generated secrets (the provisioning token) are sealed
// before they reach the row.
function observedPatch(
  deps: ReconcileDeps,
  row: ResourceRow,
  externalId: string,
  attributes: Attributes,
): ResourcePatch {
  const generated = deps.graph.get(row.kind).generatedSecrets;
  return {
    external_id: externalId,
    observed: JSON.stringify(sealObserved(deps.secrets, row.id, generated, attributes)),
    applied_generation: row.generation,
    create_pending_at: null,
    attempts: 0,
    last_error: null,
  };
}

// Secrets are stored by concrete path (`authentication.password`); put them back in place.
function withSecrets(
  attributes: Record<string, unknown>,
  secrets: Record<string, string>,
): Attributes {
  const desired = cloneJson(attributes);
  for (const [path, value] of Object.entries(secrets)) setAt(desired, path, value);
  return desired;
}

function waitMessage(why: string, pending: readonly string[]): string {
  return pending.length > 0 ? `${why}: ${pending.join(', ')}` : why;
}

async function audit(
  deps: ReconcileDeps,
  row: ResourceRow,
  verb: string,
  outcome: 'success' | 'failure',
  change: Record<string, unknown>,
): Promise<void> {
  await deps.audit.record({
    event: `platform.${row.kind}.${verb}`,
    access: 'write',
    resource: `${row.kind}/${row.id}`,
    ...(row.account_id ? { accountId: row.account_id } : { accountId: row.id }),
    actor: 'reconciler',
    outcome,
    change,
  });
}
