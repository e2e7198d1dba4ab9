import { reasons } from '../reconcile/conditions.js';
import type { Condition } from './database.js';

/**
 * Conditions after a write: Synced=False/Pending (the new state has not reached the platform),
 * keeping its transition time when it was already False; Ready as it was (or Unavailable).
 */
export function pendingConditions(current: readonly Condition[], message: string): Condition[] {
  const now = new Date().toISOString();
  const synced: Condition = {
    type: 'Synced',
    status: 'False',
    reason: reasons.pending,
    message,
    field: null,
    last_transition_time: now,
  };
  const previousSynced = current.find((c) => c.type === 'Synced');
  if (previousSynced?.status === 'False')
    Object.assign(synced, { last_transition_time: previousSynced.last_transition_time });
  const ready = current.find((c) => c.type === 'Ready') ?? {
    type: 'Ready',
    status: 'False',
    reason: reasons.unavailable,
    message: 'not on the platform yet',
    field: null,
    last_transition_time: now,
  };
  return [synced, ready];
}
