import type { Attributes, ExternalRef, Observed, ResourceRef } from '../driver/platform-driver.js';
import type { AttributeSchema } from '../drift/compare.js';
import { keepIgnoredFields } from '../drift/keep-ignored-fields.js';
import { decide, differingFields } from './policy.js';
import type { ReconcileDeps } from './reconcile-deps.js';
import type { ResolvedReferences } from './reference-resolver.js';
import type { ResourceRow } from './work-queue.js';

/**
 * What one reconcile does, with what its branch needs: `decide()`'s action, narrowed by the
 * observation it was decided on, so the acting code needs no casts.
 */
export type ReconcileStep =
  | { readonly action: 'wait'; readonly why: string; readonly exists: boolean }
  | { readonly action: 'blocked'; readonly why: string }
  | { readonly action: 'forget' }
  | { readonly action: 'delete'; readonly target: ExternalRef }
  | { readonly action: 'nothing'; readonly current: Observed }
  | { readonly action: 'create' }
  | {
      readonly action: 'update';
      readonly target: ExternalRef;
      /** What to send: the policy's ignored fields as the platform holds them. */
      readonly attributes: Attributes;
    };

export interface ReconcilePlan {
  readonly ref: ResourceRef;
  readonly refs: ResolvedReferences;
  readonly step: ReconcileStep;
  /** decide()'s reason, for the log. */
  readonly why: string;
}

/**
 * Resolves references, observes the platform and decides. Observes by external id or else by
 * client reference: after a crash between "create pending" and the recorded outcome, this finds
 * the object the first attempt made. A row never sent to the platform has nothing to observe
 * (and create is idempotent by client reference).
 */
export async function planReconcile(deps: ReconcileDeps, row: ResourceRow): Promise<ReconcilePlan> {
  const deleting = row.deletion_requested_at !== null;
  const info = deps.graph.get(row.kind);
  const refs = await deps.references.resolve(row);
  const dependents = deleting ? await deps.references.dependents(row) : undefined;
  const liveDependents = dependents?.total ?? 0;
  const ref: ResourceRef = {
    kind: row.kind,
    id: row.id,
    ...(refs.accountExternalId ? { accountExternalId: refs.accountExternalId } : {}),
    ...(row.external_id ? { externalId: row.external_id } : {}),
  };
  const mayHold = row.external_id !== null || row.create_pending_at !== null;
  let current: Observed | undefined;
  let observed = false;
  if (refs.ready && liveDependents === 0) {
    observed = true;
    const observation = mayHold || deleting ? await deps.driver.observe(ref) : undefined;
    if (observation?.exists) current = observation;
  }
  const policy = deps.driftPolicy?.(row);
  const schema: AttributeSchema = info.schema;
  const attributes = current?.attributes ?? {};
  const decision = decide({
    deletionRequested: deleting,
    dependenciesReady: refs.ready,
    platformMayHold: mayHold,
    exists: observed ? current !== undefined : undefined,
    liveDependents,
    ...(dependents
      ? {
          blockingDependents: { count: dependents.blocking, first: dependents.firstBlocking },
        }
      : {}),
    generation: row.generation,
    appliedGeneration: row.applied_generation,
    differingFields: differingFields(schema, refs.attributes, attributes),
    // Only `correct` acts on drift: under `report`, skip the second comparison.
    driftedFields:
      policy?.mode === 'correct'
        ? differingFields(schema, refs.attributes, attributes, policy.ignoreFields)
        : [],
    hasSecrets: Object.keys(row.secrets).length > 0,
    correctDrift: policy?.mode === 'correct',
  });
  const step = narrow(decision.action, decision.why, ref, current);
  if (step.action === 'update' && current) {
    const attributes = keepIgnoredFields(
      schema,
      refs.attributes,
      current.attributes,
      policy?.ignoreFields ?? [],
    );
    return { ref, refs, step: { ...step, attributes }, why: decision.why };
  }
  return { ref, refs, step, why: decision.why };
}

// decide() acts on an existing object only when the observation found one; say so if not.
function narrow(
  action: ReturnType<typeof decide>['action'],
  why: string,
  ref: ResourceRef,
  current: Observed | undefined,
): ReconcileStep {
  if (action === 'wait') return { action, why, exists: current !== undefined };
  if (action === 'blocked') return { action, why };
  if (action === 'forget' || action === 'create') return { action };
  if (!current) throw new Error(`decided to ${action} ${ref.kind} ${ref.id} without observing it`);
  if (action === 'nothing') return { action, current };
  return { action, target: { ...ref, externalId: current.externalId }, attributes: {} };
}
