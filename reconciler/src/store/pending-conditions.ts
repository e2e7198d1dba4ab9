import { reasons, setCondition } from './conditions.js';
import type { Condition } from './database.js';

/**
 * Conditions after a write: Synced=False/Pending (the new state has not reached the platform),
 * keeping its transition time when it was already False; Ready as it was (or Unavailable).
 */
export function pendingConditions(current: readonly Condition[], message: string): Condition[] {
  const now = new Date();
  const synced = setCondition(
    current,
    { type: 'Synced', status: 'False', reason: reasons.pending, message },
    now,
  );
  if (current.some((c) => c.type === 'Ready')) return synced;
  return setCondition(
    synced,
    {
      type: 'Ready',
      status: 'False',
      reason: reasons.unavailable,
      message: 'not on the platform yet',
    },
    now,
  );
}
