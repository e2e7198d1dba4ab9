import { compareAttributes, type AttributeSchema } from '../drift/compare.js';
import type { Attributes } from '../driver/platform-driver.js';

/** What the reconciler knows about one resource when it decides what to do. */
export interface PolicyInput {
  readonly deletionRequested: boolean;
  /** Every reference resolved to a platform id (the owning account included). */
  readonly dependenciesReady: boolean;
  /** The platform may hold the object: an external id is known or a create was attempted. */
  readonly platformMayHold: boolean;
  /** Observation result; undefined when observing was impossible (dependencies not ready). */
  readonly exists: boolean | undefined;
  /** Resources (deletion requested or not) that still reference this one. */
  readonly liveDependents: number;
  /** Of those, the ones nobody asked to delete, and the first few of their ids. */
  readonly blockingDependents?: { readonly count: number; readonly first: readonly string[] };
  readonly generation: number;
  readonly appliedGeneration: number;
  /** Attributes whose desired value the platform does not hold ({@link differingFields}). */
  readonly differingFields: readonly string[];
  /** The same minus the drift policy's ignored fields, as a scan reports them; callers may leave
   * it empty when the policy does not correct drift (it is read only then). */
  readonly driftedFields: readonly string[];
  /** Secrets cannot be compared with the platform: a new generation re-sends them. */
  readonly hasSecrets: boolean;
  /** Drift policy `correct`: re-apply an applied generation when the platform differs. */
  readonly correctDrift: boolean;
}

export type Action = 'create' | 'update' | 'delete' | 'forget' | 'nothing' | 'wait' | 'blocked';

export interface Decision {
  readonly action: Action;
  /** One sentence for the condition message and the logs. */
  readonly why: string;
}

/** The one place that says what a reconcile does; every branch is a table case in its test. */
export function decide(p: PolicyInput): Decision {
  if (p.deletionRequested) {
    const blocking = p.blockingDependents;
    if (blocking !== undefined && blocking.count > 0) {
      // Nobody asked to delete them: waiting would never end, so the deletion fails for now.
      const more =
        blocking.count > blocking.first.length
          ? ` and ${blocking.count - blocking.first.length} more`
          : '';
      return {
        action: 'blocked',
        why: `${blocking.count} resource(s) still reference it and are not being deleted: ${blocking.first.join(', ')}${more}; delete them or remove the reference first`,
      };
    }
    if (p.liveDependents > 0) {
      return {
        action: 'wait',
        why: `${p.liveDependents} dependent resource(s) must be deleted first`,
      };
    }
    if (!p.dependenciesReady) {
      return p.platformMayHold
        ? { action: 'wait', why: 'the owning resource is not resolvable on the platform' }
        : { action: 'forget', why: 'never reached the platform' };
    }
    return p.exists
      ? { action: 'delete', why: 'deletion requested' }
      : { action: 'forget', why: 'the platform no longer holds it' };
  }
  if (!p.dependenciesReady)
    return { action: 'wait', why: 'a referenced resource is not applied yet' };
  if (!p.exists) return { action: 'create', why: 'the platform does not hold it' };
  if (p.generation > p.appliedGeneration) {
    if (p.differingFields.length > 0)
      return { action: 'update', why: `new generation changes ${p.differingFields.join(', ')}` };
    if (p.hasSecrets) return { action: 'update', why: 'new generation may change secrets' };
    return { action: 'nothing', why: 'the platform already holds the new generation' };
  }
  if (p.driftedFields.length > 0 && p.correctDrift) {
    return { action: 'update', why: `drift corrected on ${p.driftedFields.join(', ')}` };
  }
  return { action: 'nothing', why: 'in sync' };
}

/**
 * Desired attributes the platform does not hold, compared exactly as a drift scan compares them
 * (drift/compare.ts): an unset attribute means its schema default (or absent), computed, secret
 * and desired-only attributes are never compared, `ignoreFields` are skipped. One notion of drift, so a
 * record the scanner opens is one the engine corrects, and the correction leaves nothing for the
 * next scan to report. References in `desired` must already be platform ids.
 */
export function differingFields(
  schema: AttributeSchema,
  desired: Attributes,
  observed: Attributes,
  ignoreFields: readonly string[] = [],
): string[] {
  return compareAttributes(schema, desired, observed, { ignoreFields }).map((d) => d.field);
}
