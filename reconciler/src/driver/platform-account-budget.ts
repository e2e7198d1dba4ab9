import { defaultAccountBudget, type AccountBudgetOptions } from './account-budget.js';

/** The platform's per-account limit when neither the operator nor the platform tells it. */
const defaultPlatformRateLimit = 100;

/**
 * The share of the platform's limit the daemon spends: just under it, because each 429 pauses
 * the whole account for Retry-After (the reconcile bench: 0.9x achieved 0.91 with no 429s,
 * 1.0x lost time to them).
 */
const defaultBudgetFraction = 0.9;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The per-account budget derived from the platform's limit in requests per second:
 * TELFORM_PLATFORM_RATE_LIMIT when set (the operator knows the vendor's contract), else the
 * limit the platform is known to enforce (the bundled emulator's own), else 100/s; times
 * TELFORM_PLATFORM_BUDGET_FRACTION (default 0.9). Throws an error naming the variable and its
 * rule on a bad value, before anything is opened.
 */
export function platformAccountBudget(
  env: Env,
  knownLimitPerSecond?: number,
): AccountBudgetOptions {
  const limit =
    numberFrom(
      env,
      'TELFORM_PLATFORM_RATE_LIMIT',
      (n) => n > 0,
      "the platform's requests per second per account, a number above 0",
    ) ??
    knownLimitPerSecond ??
    defaultPlatformRateLimit;
  const fraction =
    numberFrom(
      env,
      'TELFORM_PLATFORM_BUDGET_FRACTION',
      (n) => n > 0 && n <= 1,
      "the share of the platform's limit the daemon spends, a number above 0 and at most 1",
    ) ?? defaultBudgetFraction;
  const ratePerSecond = limit * fraction;
  if (ratePerSecond < 1) {
    throw new Error(
      `TELFORM_PLATFORM_RATE_LIMIT x TELFORM_PLATFORM_BUDGET_FRACTION: the budget must be at least 1 request/s per account, got ${limit} x ${fraction}`,
    );
  }
  return { ...defaultAccountBudget, ratePerSecond };
}

function numberFrom(
  env: Env,
  name: string,
  valid: (n: number) => boolean,
  rule: string,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || !valid(n)) {
    throw new Error(`${name}: must be ${rule}, got "${raw}"`);
  }
  return n;
}
