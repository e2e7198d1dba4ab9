import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformAccountBudget } from '../../src/driver/platform-account-budget.js';
import { knownPlatformRateLimit, type PlatformChoice } from '../../src/open-platform.js';
import { buildServices } from '../../src/services.js';

describe('platformAccountBudget', () => {
  const cases: Array<{
    reason: string;
    env: Record<string, string>;
    known?: number;
    ratePerSecond: number;
  }> = [
    { reason: 'nothing known: 0.9x the 100/s default', env: {}, ratePerSecond: 90 },
    {
      reason: 'a platform that states its limit (the bundled emulator) sets it',
      env: {},
      known: 20,
      ratePerSecond: 18,
    },
    {
      reason: "the operator's setting wins over what the platform is known for",
      env: { TELFORM_PLATFORM_RATE_LIMIT: '40' },
      known: 20,
      ratePerSecond: 36,
    },
    {
      reason: 'the fraction is configurable, up to the whole limit',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '200', TELFORM_PLATFORM_BUDGET_FRACTION: '1' },
      ratePerSecond: 200,
    },
    {
      reason: 'decimals are allowed on both',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '12.5', TELFORM_PLATFORM_BUDGET_FRACTION: '0.8' },
      ratePerSecond: 10,
    },
    {
      reason: 'an empty variable is unset (shells and compose files leave them so)',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '', TELFORM_PLATFORM_BUDGET_FRACTION: ' ' },
      ratePerSecond: 90,
    },
  ];
  it.each(cases)('$reason', ({ env, known, ratePerSecond }) => {
    const budget = platformAccountBudget(env, known);
    expect(budget.ratePerSecond).toBeCloseTo(ratePerSecond, 9);
    expect(budget.maxConcurrent).toBe(8);
  });

  const bad: Array<{ reason: string; env: Record<string, string>; message: RegExp }> = [
    {
      reason: 'not a number',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '100/s' },
      message:
        /^TELFORM_PLATFORM_RATE_LIMIT: must be the platform's requests per second .*"100\/s"/,
    },
    {
      reason: 'zero is no limit a budget can be derived from',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '0' },
      message: /^TELFORM_PLATFORM_RATE_LIMIT: .*above 0, got "0"/,
    },
    {
      reason: 'negative numbers are refused, not read as unlimited',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '-5' },
      message: /^TELFORM_PLATFORM_RATE_LIMIT: /,
    },
    {
      reason: 'a fraction above 1 would spend more than the platform allows',
      env: { TELFORM_PLATFORM_BUDGET_FRACTION: '1.5' },
      message: /^TELFORM_PLATFORM_BUDGET_FRACTION: .*at most 1, got "1.5"/,
    },
    {
      reason: 'a fraction given as a percentage',
      env: { TELFORM_PLATFORM_BUDGET_FRACTION: '90%' },
      message: /^TELFORM_PLATFORM_BUDGET_FRACTION: .*got "90%"/,
    },
    {
      reason: 'a budget under one call per second would never start a call',
      env: { TELFORM_PLATFORM_RATE_LIMIT: '1', TELFORM_PLATFORM_BUDGET_FRACTION: '0.5' },
      message: /at least 1 request\/s per account, got 1 x 0.5/,
    },
  ];
  it.each(bad)('refuses: $reason', ({ env, message }) => {
    expect(() => platformAccountBudget(env)).toThrow(message);
  });
});

describe('knownPlatformRateLimit', () => {
  const cases: Array<{ reason: string; choice: PlatformChoice; limit: number | undefined }> = [
    { reason: 'the bundled emulator at its default', choice: { emulator: true }, limit: 100 },
    {
      reason: 'the bundled emulator with its own limit',
      choice: { emulator: { rateLimit: { requests_per_second: 20, burst: 20 } } },
      limit: 20,
    },
    {
      reason: 'an unlimited emulator tells nothing',
      choice: { emulator: { rateLimit: null } },
      limit: undefined,
    },
    {
      reason: "a vendor URL does not publish it: the operator's setting or the default applies",
      choice: { platform: { url: 'http://127.0.0.1:1', apiKey: 'k' }, emulator: true },
      limit: undefined,
    },
  ];
  it.each(cases)('$reason', ({ choice, limit }) => {
    expect(knownPlatformRateLimit(choice)).toBe(limit);
  });
});

describe('buildServices with a bad platform limit', () => {
  it('refuses before it opens anything (no data directory is made)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'telform-budget-'));
    const dataDir = join(parent, 'state');
    await expect(
      buildServices({
        dataDir,
        emulator: { dataDir: false },
        logger: false,
        env: { TELFORM_PLATFORM_BUDGET_FRACTION: '2' },
      }),
    ).rejects.toThrow(/^TELFORM_PLATFORM_BUDGET_FRACTION: /);
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});
