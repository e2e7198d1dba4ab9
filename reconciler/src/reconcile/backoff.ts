/** Retry delays: exponential with full jitter, never sooner than the platform's Retry-After. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
  /** Returns a number in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

/**
 * The cap is chosen with the provider's apply wait (TELFORM_APPLY_TIMEOUT, default 10 minutes):
 * with full jitter a retry waits 15 s on average once capped, so a platform failing a third of
 * all calls (about half of all attempts, each making two or three calls) still converges within
 * a few minutes, while the account budget, not this delay, keeps a long outage off the platform.
 * A cap of minutes let one unlucky resource out of hundreds outlast the wait.
 */
export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/**
 * Delay before attempt `attempt + 1` (attempt counts failures so far, from 1). Full jitter spreads
 * retries of many resources that failed together; Retry-After is a floor, since the platform told
 * us when it will accept calls again.
 */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  opts: BackoffOptions = defaultBackoff,
): number {
  const random = opts.random ?? Math.random;
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * exp);
  return Math.max(jittered, retryAfterMs ?? 0);
}
