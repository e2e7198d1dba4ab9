import { isFinalReason } from '@telform/schemas';
import type { ResourceChangeSubscription } from '../reconcile/resource-changes.js';
import type { ResourceRow } from '../reconcile/work-queue.js';
import type { ResourceRepresentation } from '../resources/resource-representation.js';

/** Whether a resource needs no more waiting: applied, failed (a final reason), or gone (undefined). */
export function isSettled(resource: ResourceRepresentation | undefined): boolean {
  if (!resource) return true;
  const synced = resource.status.conditions.find((c) => c.type === 'Synced');
  if (synced?.status === 'False' && isFinalReason(synced.reason)) return true;
  if (resource.deletion_requested_at !== null) return false;
  return synced?.status === 'True' && resource.status.applied_generation >= resource.generation;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /**
   * This daemon's engine reporting the rows it records. With it, a wait reads the row again
   * only when told of a change (or at the `replicaPollMs` polls); without it, it polls.
   */
  readonly changes?: ResourceChangeSubscription;
  /**
   * With `changes`: how often to read anyway, for outcomes another replica records (which this
   * daemon never hears of); `null` when no other replica exists (embedded PGlite is locked to one
   * process), so nothing but a change or the timeout ends a pause. Default 1,000 ms, growing to
   * 2,000 ms.
   */
  readonly replicaPollMs?: number | null;
  /**
   * With `changes`: the representation of a row the engine recorded (undefined when the caller
   * may not see it), so a change it reports is answered without reading the row again.
   */
  readonly represent?: (row: ResourceRow) => Promise<ResourceRepresentation | undefined>;
}

/**
 * Waits until the resource settles, `timeoutMs` passes or `signal` aborts, starting from the
 * caller's own read `first` (never read twice in a row); returns the last read. Told of changes,
 * it answers from the row each change recorded (`represent`; a change without its row is read),
 * and reads at the slow replica polls; without them it polls from 25 ms to 500 ms.
 */
export async function waitForApplied(
  first: ResourceRepresentation | undefined,
  read: () => Promise<ResourceRepresentation | undefined>,
  options: WaitOptions,
): Promise<ResourceRepresentation | undefined> {
  const { timeoutMs, signal, changes, represent } = options;
  const deadline = Date.now() + timeoutMs;
  const replicaPoll = options.replicaPollMs === undefined ? 1_000 : options.replicaPollMs;
  let interval = changes ? (replicaPoll ?? Infinity) : 25;
  const cap = changes ? (replicaPoll ?? Infinity) * 2 : 500;
  let current = first;
  while (!isSettled(current) && !signal.aborted && Date.now() < deadline) {
    const pause = Math.min(interval, deadline - Date.now());
    let recorded;
    if (changes) recorded = await changes.next(pause, signal);
    else await new Promise((resolve) => setTimeout(resolve, pause));
    if (signal.aborted) break;
    interval = Math.min(interval * 2, cap);
    if (recorded && represent) {
      current = recorded.row === null ? undefined : await represent(recorded.row);
    } else current = await read();
  }
  return current;
}
