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
  readonly generation: number;
  readonly appliedGeneration: number;
  /** Attributes whose desired value differs from the observed one. */
  readonly differingFields: readonly string[];
  /** Secrets cannot be compared with the platform: a new generation re-sends them. */
  readonly hasSecrets: boolean;
  /** Drift policy `correct`: re-apply an applied generation when the platform differs. */
  readonly correctDrift: boolean;
}

export type Action = 'create' | 'update' | 'delete' | 'forget' | 'nothing' | 'wait';

export interface Decision {
  readonly action: Action;
  /** One sentence for the condition message and the logs. */
  readonly why: string;
}

/** The one place that says what a reconcile does; every branch is a table case in its test. */
export function decide(p: PolicyInput): Decision {
  if (p.deletionRequested) {
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
  if (p.differingFields.length > 0 && p.correctDrift) {
    return { action: 'update', why: `drift corrected on ${p.differingFields.join(', ')}` };
  }
  return { action: 'nothing', why: 'in sync' };
}

/** Desired attributes whose values the platform does not hold; attributes only observed are ignored. */
export function differingFields(desired: Attributes, observed: Attributes): string[] {
  return Object.keys(desired)
    .filter((k) => desired[k] !== undefined && !covers(desired[k], observed[k]))
    .sort();
}

// Objects compare as subsets: the platform may add defaults inside a nested block.
function covers(desired: unknown, observed: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(observed) &&
      desired.length === observed.length &&
      desired.every((d, i) => covers(d, observed[i]))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (observed === null || typeof observed !== 'object' || Array.isArray(observed)) return false;
    const o = observed as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => v === undefined || covers(v, o[k]));
  }
  return desired === observed;
}
