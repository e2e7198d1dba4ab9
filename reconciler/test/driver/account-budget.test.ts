import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountBudget } from '../../src/driver/account-budget.js';

describe('AccountBudget', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // Records start times of `n` calls that each take `ms`.
  async function starts(
    budget: AccountBudget,
    account: string,
    n: number,
    ms: number,
    at: number[],
  ) {
    return Array.from({ length: n }, () =>
      budget.run(account, async () => {
        at.push(Date.now());
        await new Promise((r) => setTimeout(r, ms));
      }),
    );
  }

  it('never runs more than maxConcurrent calls of one account at once', async () => {
    const budget = new AccountBudget({ maxConcurrent: 2, ratePerSecond: 1_000 });
    let active = 0;
    let peak = 0;
    const runs = Array.from({ length: 10 }, () =>
      budget.run('a', async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 50));
        active -= 1;
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(runs);
    expect(peak).toBe(2);
  });

  it('starts no more than ratePerSecond calls per second after the initial burst', async () => {
    const budget = new AccountBudget({ maxConcurrent: 100, ratePerSecond: 5 });
    const at: number[] = [];
    const t0 = Date.now();
    const runs = await starts(budget, 'a', 20, 1, at);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(runs);
    // 5 at once (the burst), then one every 200 ms: the 20th starts at 3 s.
    expect(at.filter((t) => t - t0 < 1)).toHaveLength(5);
    expect(Math.max(...at) - t0).toBeGreaterThanOrEqual(2_900);
    expect(Math.max(...at) - t0).toBeLessThanOrEqual(3_100);
  });

  it('keeps accounts apart: a saturated account does not delay another', async () => {
    const budget = new AccountBudget({ maxConcurrent: 1, ratePerSecond: 1 });
    const busy: number[] = [];
    const other: number[] = [];
    const t0 = Date.now();
    const runs = [
      ...(await starts(budget, 'busy', 5, 10, busy)),
      ...(await starts(budget, 'other', 1, 10, other)),
    ];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(runs);
    expect(other[0]! - t0).toBe(0);
    expect(Math.max(...busy) - t0).toBeGreaterThanOrEqual(4_000);
  });

  it('holds every call of an account until a Retry-After pause ends', async () => {
    const budget = new AccountBudget({ maxConcurrent: 10, ratePerSecond: 100 });
    budget.pause('a', 2_000);
    const at: number[] = [];
    const t0 = Date.now();
    const runs = await starts(budget, 'a', 3, 1, at);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(runs);
    expect(Math.min(...at) - t0).toBeGreaterThanOrEqual(2_000);
  });

  it('rejects a budget that could never run anything', () => {
    expect(() => new AccountBudget({ maxConcurrent: 0, ratePerSecond: 1 })).toThrow(
      /maxConcurrent/,
    );
    expect(() => new AccountBudget({ maxConcurrent: 1, ratePerSecond: 0 })).toThrow(
      /ratePerSecond/,
    );
  });
});
