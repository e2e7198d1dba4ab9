import { ProblemError } from './problem.js';

/**
 * Refuses a range whose end comes before its start: it can match nothing, and an empty answer
 * would read as "nothing happened" to an auditor who swapped the two by mistake.
 */
export function checkTimeRange(from: Date | undefined, to: Date | undefined): void {
  if (from === undefined || to === undefined || from.getTime() <= to.getTime()) return;
  throw new ProblemError('validation_failed', 'to is earlier than from', [
    { field: 'to', rule: 'after_from', message: 'to must not be earlier than from' },
  ]);
}
