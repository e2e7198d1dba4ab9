/** Limits per platform account: calls in flight at once and calls started per second. */
export interface AccountBudgetOptions {
  readonly maxConcurrent: number;
  readonly ratePerSecond: number;
}

/** Per-account default: 0.9x the emulator's own default (100 requests/s, burst 200). */
export const defaultAccountBudget: AccountBudgetOptions = { maxConcurrent: 8, ratePerSecond: 90 };

interface AccountState {
  active: number;
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  readonly waiters: Array<() => void>;
  timer?: NodeJS.Timeout;
}

/**
 * A token bucket (burst = one second's worth) plus a concurrency cap per account, so that one
 * busy partner account cannot use up the platform's rate limit for itself and starve the others.
 * Waiters are served first come, first served.
 */
export class AccountBudget {
  private readonly accounts = new Map<string, AccountState>();

  constructor(
    readonly options: AccountBudgetOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (options.maxConcurrent < 1)
      throw new Error('account budget: maxConcurrent must be at least 1');
    if (!(options.ratePerSecond > 0))
      throw new Error('account budget: ratePerSecond must be above 0');
  }

  async run<T>(account: string, call: () => Promise<T>): Promise<T> {
    const state = this.state(account);
    await new Promise<void>((resolve) => {
      state.waiters.push(resolve);
      this.pump(state);
    });
    try {
      return await call();
    } finally {
      state.active -= 1;
      this.pump(state);
    }
  }

  /** The platform said "not before": hold every call of this account until then. */
  pause(account: string, ms: number): void {
    const state = this.state(account);
    state.blockedUntil = Math.max(state.blockedUntil, this.now() + ms);
  }

  /** Calls waiting for a slot, over every account. */
  waiting(): number {
    let n = 0;
    for (const s of this.accounts.values()) n += s.waiters.length;
    return n;
  }

  private state(account: string): AccountState {
    let state = this.accounts.get(account);
    if (!state) {
      const tokens = this.options.ratePerSecond;
      state = { active: 0, tokens, refilledAt: this.now(), blockedUntil: 0, waiters: [] };
      this.accounts.set(account, state);
    }
    return state;
  }

  private pump(state: AccountState): void {
    const now = this.now();
    const { ratePerSecond, maxConcurrent } = this.options;
    state.tokens = Math.min(
      ratePerSecond,
      state.tokens + ((now - state.refilledAt) / 1000) * ratePerSecond,
    );
    state.refilledAt = now;
    while (
      state.waiters.length > 0 &&
      state.active < maxConcurrent &&
      state.tokens >= 1 &&
      now >= state.blockedUntil
    ) {
      state.tokens -= 1;
      state.active += 1;
      state.waiters.shift()!();
    }
    if (state.waiters.length > 0 && state.active < maxConcurrent && !state.timer) {
      const untilToken = ((1 - state.tokens) / ratePerSecond) * 1000;
      const wait = Math.max(untilToken, state.blockedUntil - now, 1);
      state.timer = setTimeout(() => {
        state.timer = undefined;
        this.pump(state);
      }, Math.ceil(wait));
    }
  }
}
