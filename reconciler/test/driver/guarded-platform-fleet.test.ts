// The must-show of the one guarded platform seam: a drift scan and the seat-usage job over many
// accounts, against an emulator whose per-account rate limit is low, stay inside the limit
// because every caller goes through the account budget, and every call is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';

const ROOTS = 4;
const SUBS = 2;
// A scan makes about 17 calls per account, back to back: unguarded, far past this limit within
// its first second. The budget stays at half the limit, so that a busy machine's jitter (calls
// started in step arriving bunched, up to a second late) still fits: no 429 is allowed at all.
const limit = { requests_per_second: 4, burst: 4 };
const budget = { maxConcurrent: 1, ratePerSecond: 2 };

describe('one guarded platform seam over a fleet of accounts', () => {
  let emulator: RunningEmulator;
  let d: LoggedDaemon;
  // What crossed the wire, counted below the driver: the platform's own view.
  const wire = { requests: 0, byStatus: new Map<number, number>() };

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${d.daemon.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${d.daemon.adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  };
  const applied = (kind: string, id: string) =>
    api('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=60000`);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, rateLimit: limit });
    const countingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      wire.requests += 1;
      wire.byStatus.set(res.status, (wire.byStatus.get(res.status) ?? 0) + 1);
      return res;
    };
    const driver = new HttpPlatformDriver({
      baseUrl: emulator.url,
      apiKey: emulator.partnerKey,
      timeoutMs: 30_000,
      fetch: countingFetch,
    });
    d = await startLoggedDaemon({ driver, budget });
    const accounts: string[] = [];
    for (let i = 0; i < ROOTS; i++) {
      const account = await api('POST', '/v1/resources/account', {
        name: `Fleet ${i}`,
        email: `admin${i}@fleet.example`,
      });
      accounts.push(account.id);
    }
    const subs: string[] = [];
    for (let i = 0; i < SUBS; i++) {
      const sub = await api('POST', '/v1/resources/sub_account', {
        account_id: accounts[i],
        name: `Fleet ${i} branch`,
      });
      subs.push(sub.id);
    }
    for (const id of accounts)
      expect((await applied('account', id)).status.applied_generation).toBe(1);
    for (const id of subs)
      expect((await applied('sub_account', id)).status.applied_generation).toBe(1);
  }, 180_000);

  afterAll(async () => {
    await d?.dispose();
    await emulator?.close();
  });

  it('scans drift and reads seat usage with no 429 and every call in telform_platform_calls_total', async () => {
    const before = wire.requests;
    const scan = await d.daemon.scheduler.runNow('drift-scan');
    expect(scan).toMatchObject({
      outcome: 'success',
      summary: { accounts: ROOTS + SUBS, scanned: ROOTS + SUBS, failed: 0 },
    });
    const seats = await d.daemon.scheduler.runNow('seat-usage');
    expect(seats).toMatchObject({
      outcome: 'success',
      summary: { accounts: ROOTS + SUBS, failures: [] },
    });
    // The scans made many calls per account: far past the emulator's burst without the budget.
    expect(wire.requests - before).toBeGreaterThan((ROOTS + SUBS) * limit.burst);

    // The budget allows none: the platform never had to refuse a call.
    expect(wire.byStatus.get(429) ?? 0).toBe(0);
    const metrics: string = await api('GET', '/metrics');
    const calls = [...metrics.matchAll(/^telform_platform_calls_total\{([^}]*)\} (\d+)$/gm)].map(
      ([, labels, n]) => ({ labels: labels!, n: Number(n) }),
    );
    const total = calls.reduce((sum, c) => sum + c.n, 0);
    // Every request that reached the platform is counted once, whichever caller made it.
    expect(total).toBe(wire.requests);
    const count = (method: string) =>
      calls.filter((c) => c.labels.includes(`method="${method}"`)).reduce((s, c) => s + c.n, 0);
    expect(count('list')).toBeGreaterThanOrEqual(ROOTS + SUBS);
    expect(count('read')).toBe(ROOTS + SUBS);
    expect(calls.some((c) => c.labels.includes('status="429"'))).toBe(false);
  }, 300_000);
});
