import { isFinalReason } from '@telform/schemas';
import type { ResourceChangeSubscription } from '../reconcile/resource-changes.js';
import type { ResourceRepresentation } from '../resources/resource-representation.js';

/** Whether a resource needs no more waiting: applied, failed (a final reason), or gone (undefined). */
export function isSettled(resource: ResourceRepresentation | undefined): boolean {
  if (!resource) return true;
  const synced = resource.status.conditions.find((c) => c.type === 'Synced');
  if (synced?.status === 'False' && isFinalReason(synced.reason)) return true;
  if (resource.deletion_requested_at !== null) return false;
  return synced?.status === 'True' && resource.status.applied_generation >= resource.generation;
}

/**
 * Polls `read` until the resource settles, `timeoutMs` passes or `signal` aborts; returns the
 * last read. Polling (not LISTEN) because the engine may run in another replica, and PGlite's
 * NOTIFY is in-process only. The interval grows from 25 ms to 500 ms to stay cheap under load.
 * With `changes` (this daemon's engine reporting the rows it records), a recorded outcome ends
 * the pause at once: the answer does not wait for the next poll, and polling (still needed for
 * the outcomes other replicas record) starts at 100 ms.
 */
export async function waitForApplied(
  read: () => Promise<ResourceRepresentation | undefined>,
  timeoutMs: number,
  signal: AbortSignal,
  changes?: ResourceChangeSubscription,
): Promise<ResourceRepresentation | undefined> {
  const deadline = Date.now() + timeoutMs;
  // Told of this daemon's own outcomes, the polls only catch other replicas': fewer early reads.
  let interval = changes ? 100 : 25;
  let current = await read();
  while (!isSettled(current) && !signal.aborted && Date.now() < deadline) {
    const pause = Math.min(interval, deadline - Date.now());
    if (changes) await changes.next(pause, signal);
    else await new Promise((resolve) => setTimeout(resolve, pause));
    interval = Math.min(interval * 2, 500);
    current = await read();
  }
  return current;
}
