import { EmulatorError } from '../errors/emulator-error.js';

const HOUR_MS = 3_600_000;

/**
 * Inbound and outbound fax limits per rolling hour (telephony_settings
 * `inbound_fax_limit_per_hour` / `outbound_fax_limit_per_hour`): a fax past the limit is
 * rejected with 429 and a Retry-After until the oldest fax of the window leaves it.
 */
export class FaxLimiter {
  private readonly sent = new Map<string, number[]>();

  accept(
    accountId: string,
    direction: 'inbound' | 'outbound',
    limit: number | undefined,
    now: number,
  ): void {
    const key = `${accountId}/${direction}`;
    const recent = (this.sent.get(key) ?? []).filter((t) => now - t < HOUR_MS);
    if (limit !== undefined && recent.length >= limit) {
      const retryS = recent.length > 0 ? Math.ceil((recent[0]! + HOUR_MS - now) / 1000) : 3600;
      this.sent.set(key, recent);
      throw new EmulatorError(
        429,
        'fax_limit_exceeded',
        `the account's ${direction} fax limit of ${limit} per rolling hour is reached`,
        `${direction}_fax_limit_per_hour`,
        'fax_limit_per_hour',
        { 'retry-after': String(retryS) },
      );
    }
    recent.push(now);
    this.sent.set(key, recent);
  }
}
