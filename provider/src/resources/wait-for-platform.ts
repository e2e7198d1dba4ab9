/**
 * Waits until the reconciler reports a change applied on the platform (or a deletion done),
 * long-polling the API in slices so a dropped connection costs one slice, never the apply.
 */
import type { ApiResource } from '../client/api-resource.js';
import type { TelformClient } from '../client/telform-client.js';
import { applyOutcome, type ApplyOutcome } from './apply-outcome.js';

const slice = 25_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type WaitResult =
  | { readonly outcome: ApplyOutcome; readonly resource: ApiResource }
  | { readonly outcome: { readonly state: 'gone' }; readonly resource: null };

export async function waitForApplied(
  client: TelformClient,
  kind: string,
  id: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WaitResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = Date.now();
    const left = deadline - started;
    const resource = await client.waitApplied(kind, id, Math.max(1, Math.min(slice, left)), signal);
    if (!resource) return { outcome: { state: 'gone' }, resource: null };
    const outcome = applyOutcome(resource);
    if (outcome.state !== 'pending' || Date.now() >= deadline || signal?.aborted)
      return { outcome, resource };
    // A server that answers at once (no long-poll) must not be polled in a tight loop.
    if (Date.now() - started < 100) await pause(100);
  }
}

/** Waits until a deleted resource is gone (404); returns the last outcome otherwise. */
export async function waitForGone(
  client: TelformClient,
  kind: string,
  id: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WaitResult> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const resource = await client.get(kind, id);
    if (!resource) return { outcome: { state: 'gone' }, resource: null };
    const outcome = applyOutcome(resource);
    if (outcome.state === 'failed' || Date.now() >= deadline || signal?.aborted)
      return { outcome, resource };
    await pause(Math.min(delay, deadline - Date.now()));
    delay = Math.min(delay * 2, 1_000);
  }
}
