import { randomUUID } from 'node:crypto';
import { errors } from '../errors/error-catalogue.js';
import type { EmulatorError } from '../errors/emulator-error.js';
import { parseFaultRule, routeMatches } from './fault-rule.js';
import type { FaultRule } from './fault-rule.js';
import { TokenBucket } from './token-bucket.js';

/** What to do with a request: go on (after `delayMs`), fail with an error, or drop the socket. */
export type FaultDecision =
  | { readonly action: 'pass'; readonly delayMs: number }
  | { readonly action: 'fail'; readonly delayMs: number; readonly error: EmulatorError }
  | { readonly action: 'drop'; readonly delayMs: number };

export interface RateLimit {
  readonly requests_per_second: number;
  readonly burst: number;
}

/**
 * Run-time fault injection and the per-account request-rate limit. Rules are in memory: they
 * are test and demo configuration, not platform state.
 */
export class FaultInjector {
  private rules: Array<{ rule: FaultRule; fired: number; rng: () => number }> = [];
  private readonly buckets = new Map<string, TokenBucket>();
  private defaultLimit: RateLimit | null;
  private readonly accountLimits = new Map<string, RateLimit | null>();

  constructor(rateLimit: RateLimit | null) {
    this.defaultLimit = rateLimit;
  }

  add(body: unknown): FaultRule {
    const rule = parseFaultRule(randomUUID(), body);
    this.rules.push({
      rule,
      fired: 0,
      rng: rule.seed !== undefined ? mulberry32(rule.seed) : Math.random,
    });
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<FaultRule & { fired: number }> {
    return this.rules.map((r) => ({ ...r.rule, fired: r.fired }));
  }

  /** Sets the rate limit of one account, or the default for all (`null`: unlimited). */
  setRateLimit(limit: RateLimit | null, accountId?: string): void {
    if (accountId === undefined) this.defaultLimit = limit;
    else this.accountLimits.set(accountId, limit);
    for (const key of [...this.buckets.keys()]) {
      if (accountId === undefined || key === accountId) this.buckets.delete(key);
    }
  }

  rateLimits(): { default: RateLimit | null; accounts: Record<string, RateLimit | null> } {
    return { default: this.defaultLimit, accounts: Object.fromEntries(this.accountLimits) };
  }

  /** Decides the fate of one request; `subject` is its account id, or the caller for others. */
  decide(
    method: string,
    path: string,
    accountId: string | undefined,
    subject: string,
    now: number,
  ): FaultDecision {
    let delayMs = 0;
    for (const r of this.rules) {
      const { rule } = r;
      if (rule.account_id !== undefined && rule.account_id !== accountId) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (!routeMatches(rule.route, path)) continue;
      if (rule.count !== undefined && r.fired >= rule.count) continue;
      if (r.rng() >= rule.rate) continue;
      r.fired++;
      if (rule.mode === 'latency') delayMs += rule.latency_ms ?? 0;
      else if (rule.mode === 'drop') return { action: 'drop', delayMs };
      else if (rule.mode === 'error')
        return { action: 'fail', delayMs, error: errors.injected(rule.status ?? 503) };
      else
        return {
          action: 'fail',
          delayMs,
          error: errors.rateLimited(rule.retry_after_s ?? 1, 'injected throttling'),
        };
    }
    const limit = this.accountLimits.has(subject)
      ? this.accountLimits.get(subject)!
      : this.defaultLimit;
    if (limit) {
      let bucket = this.buckets.get(subject);
      if (!bucket)
        this.buckets.set(
          subject,
          (bucket = new TokenBucket(limit.requests_per_second, limit.burst, now)),
        );
      const taken = bucket.take(now);
      if (!taken.ok) {
        const error = errors.rateLimited(
          Math.max(1, Math.ceil(taken.waitMs / 1000)),
          `rate limit of ${limit.requests_per_second} requests per second exceeded`,
        );
        return { action: 'fail', delayMs, error };
      }
    }
    return { action: 'pass', delayMs };
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
