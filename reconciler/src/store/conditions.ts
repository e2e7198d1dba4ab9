import { reasons, type ConditionReason } from '@telform/schemas';
import type { Condition } from './database.js';

// The reasons (and which end a wait) are shared with the provider through @telform/schemas.
export { reasons };
export type Reason = ConditionReason;

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
