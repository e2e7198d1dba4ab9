/** Seat numbers of one account as the platform reports them. */
export interface SeatCounts {
  readonly purchased: number;
  readonly assigned: number;
  /** A sub-account's own limit; null when it has none. */
  readonly seat_limit: number | null;
}

export interface SeatWarning {
  /** Seats the account can use: its own limit, else what was purchased. */
  readonly capacity: number;
  readonly usagePercent: number;
  readonly thresholdPercent: 85 | 95 | 97;
  readonly active: boolean;
}

/**
 * The vendor's rule: the warning shows at 85% used for up to 50 seats, 95% for 51 to 100 and
 * 97% above 100, counted against the seats the account can use.
 */
export function seatWarning(counts: SeatCounts): SeatWarning {
  const capacity = counts.seat_limit ?? counts.purchased;
  const thresholdPercent = capacity <= 50 ? 85 : capacity <= 100 ? 95 : 97;
  const usagePercent = capacity === 0 ? 0 : Math.round((counts.assigned / capacity) * 10_000) / 100;
  return {
    capacity,
    usagePercent,
    thresholdPercent,
    active: capacity > 0 && counts.assigned * 100 >= thresholdPercent * capacity,
  };
}
