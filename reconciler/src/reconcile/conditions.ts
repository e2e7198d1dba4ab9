import type { Condition } from '../store/database.js';

/**
 * Every reason a condition may carry. The provider and scripts match on these strings, so this is
 * the one list: add here, never inline.
 */
export const reasons = {
  /** Synced=True: the platform holds the last generation. */
  applied: 'Applied',
  /** Synced=True: taken over from the platform as it was (telform adopt, import by platform ref). */
  adopted: 'Adopted',
  /** Synced=False: not tried yet. */
  pending: 'Pending',
  /** Synced=False: retryable platform failure (429, 5xx, network); keeps retrying. */
  platformUnavailable: 'PlatformUnavailable',
  /** Synced=False: the platform refused the values; waits for a new generation. */
  platformRejected: 'PlatformRejected',
  forbidden: 'Forbidden',
  /** Synced=False: the platform's state forbids it now (a limit reached, a name taken). */
  conflict: 'Conflict',
  /**
   * Synced=False: a create found the same object already on the platform; the message names it
   * as `platform:<account>/<object>`, the reference that adopts it instead. Waits for a change.
   */
  alreadyExists: 'AlreadyExists',
  /** Synced=False: a referenced resource is not on the platform yet, or dependents remain. */
  dependencyNotReady: 'DependencyNotReady',
  /** Synced=False: the daemon itself failed (a bug or a broken secret); retried with backoff. */
  reconcileError: 'ReconcileError',
  /** Ready=True: the object exists on the platform. */
  available: 'Available',
  /** Ready=False: the object does not exist (yet) on the platform. */
  unavailable: 'Unavailable',
  /** Ready=False: deletion requested and under way. */
  deleting: 'Deleting',
} as const;

export type Reason = (typeof reasons)[keyof typeof reasons];

export interface ConditionInput {
  readonly type: Condition['type'];
  readonly status: Condition['status'];
  readonly reason: Reason;
  readonly message?: string;
  readonly field?: string | null;
}

const order: Record<Condition['type'], number> = { Synced: 0, Ready: 1 };

/** Replaces one condition, keeping its transition time when the status did not change. */
export function setCondition(
  current: readonly Condition[],
  next: ConditionInput,
  now: Date,
): Condition[] {
  const previous = current.find((c) => c.type === next.type);
  const condition: Condition = {
    type: next.type,
    status: next.status,
    reason: next.reason,
    message: next.message ?? '',
    field: next.field ?? null,
    last_transition_time:
      previous && previous.status === next.status
        ? previous.last_transition_time
        : now.toISOString(),
  };
  const others = current.filter((c) => c.type !== next.type);
  return [...others, condition].sort((a, b) => order[a.type] - order[b.type]);
}
