import type { RateLimit } from './parse-rate-limit.js';

/**
 * 300 unverified requests per minute per client address: a person or pipeline presenting a good
 * token is served from the token cache and never counts, so only missing, unknown, revoked or
 * expired credentials (and a good token's one lookup per cache period) spend it.
 */
export const defaultAddressRateLimit: RateLimit = { max: 300, timeWindowMs: 60_000 };

/**
 * Whether a request may go on to a token lookup, and if not, when to try again; `first` marks the
 * first refusal of an address's window (the one worth an audit event; the rest are counted only).
 */
export type AddressDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterS: number; readonly first: boolean };

interface Window {
  count: number;
  refused: number;
  readonly resetAt: number;
}

/**
 * A fixed-window request budget per client address, spent before a token is looked up, so that
 * floods of random or stolen-and-revoked tokens cost no database work once it is spent. Memory is
 * bounded: beyond `maxAddresses` the oldest window is forgotten (a forgotten address starts over,
 * which can only let it through sooner, never refuse a good one).
 */
export class AddressBudget {
  readonly #windows = new Map<string, Window>();

  constructor(
    readonly limit: RateLimit = defaultAddressRateLimit,
    private readonly maxAddresses = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Addresses whose windows are kept now (at most `maxAddresses`). */
  get size(): number {
    return this.#windows.size;
  }

  /** Spends one request of `address`'s window. */
  take(address: string): AddressDecision {
    const now = this.now();
    let window = this.#windows.get(address);
    if (!window || now >= window.resetAt) {
      this.#windows.delete(address);
      if (this.#windows.size >= this.maxAddresses) {
        this.#windows.delete(this.#windows.keys().next().value!);
      }
      window = { count: 0, refused: 0, resetAt: now + this.limit.timeWindowMs };
      this.#windows.set(address, window);
    }
    if (window.count >= this.limit.max) {
      window.refused += 1;
      const retryAfterS = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      return { ok: false, retryAfterS, first: window.refused === 1 };
    }
    window.count += 1;
    return { ok: true };
  }

  /**
   * Without spending: whether `address` is refused again in its current window, having been
   * refused before in it (the first refusal goes the full way, to be audited). Counts the
   * refusal. Undefined when the address may still try, or has not been refused yet.
   */
  refusedAgain(address: string): { readonly retryAfterS: number } | undefined {
    const now = this.now();
    const window = this.#windows.get(address);
    if (!window || now >= window.resetAt || window.refused === 0) return undefined;
    if (window.count < this.limit.max) return undefined;
    window.refused += 1;
    return { retryAfterS: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  /** Gives one request back: the lookup it paid for found a good token. */
  refund(address: string): void {
    const window = this.#windows.get(address);
    if (window && window.count > 0) window.count -= 1;
  }
}
