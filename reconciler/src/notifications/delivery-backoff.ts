/** Attempts before a delivery is given up (state `dead`): about a day of retries. */
export const maxDeliveryAttempts = 12;

/**
 * Delay before retry number `attempts` (1 after the first failure): exponential from 10 s,
 * capped at 6 h, with full jitter so that many subscribers failing together do not retry
 * in lockstep. `random` is injectable for tests.
 */
export function deliveryBackoffMs(attempts: number, random: () => number = Math.random): number {
  const base = 10_000 * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(base, 6 * 3600_000);
  return Math.round(capped / 2 + (random() * capped) / 2);
}
