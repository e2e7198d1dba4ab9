import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';
import { createPostgresDatabase } from '../support/databases.js';
import { Api, declareFleet, PlatformCensus, waitConverged } from './e2e-support.js';

// The daemon in-process on real Postgres, against an emulator that fails about 30% of calls.
// Each 429 pauses its whole account for the Retry-After (1 s); the deadline leaves a margin for a
// busy 2-core machine, and the test asserts the slowest resource comes in within half of it.
const deadlineMs = 480_000;
describe('a flaky platform (5xx and 429 with Retry-After)', () => {
  let daemon: RunningDaemon;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    daemon = await startDaemon({
      databaseUrl: created.url,
      listen: { host: '127.0.0.1', port: 0 },
      emulator: { host: '127.0.0.1', port: 0, dataDir: false },
      hardening: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
      env: { TELFORM_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') },
      logger: false,
      jobs: false,
    });
  });
  afterAll(async () => {
    await daemon?.stop();
    // pg's Pool.end() resolves before its sockets close; a forced drop right away hits them.
    await new Promise((r) => setTimeout(r, 500));
    await drop?.();
  });

  it('converges, each resource created once, after retrying every failure', async () => {
    const emulator = daemon.emulator!;
    for (const rule of [
      { mode: 'error', rate: 0.16, status: 503, seed: 1 },
      { mode: 'throttle', rate: 0.16, retry_after_s: 1, seed: 2 },
    ]) {
      const res = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${emulator.partnerKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(rule),
      });
      expect(res.status).toBe(201);
    }
    const api = new Api(daemon.url, daemon.adminToken!);
    const started = Date.now();
    const { accountIds, ids } = await declareFleet(api, 3, 49, 20, 'flaky');
    const firstApplied = new Map<string, number>();
    await waitConverged(api, accountIds, ids.length, deadlineMs, firstApplied);
    // The margin the issue asks for: the slowest resource within half the deadline, measured from
    // the first declaration (so a slow declaration counts against it too).
    const times = [...firstApplied.values()].map((t) => t - started).sort((a, b) => a - b);
    const slowest = times[times.length - 1]!;
    console.info(
      `faults e2e: ${times.length} resources; applied after median ${Math.round(times[times.length >> 1]! / 1000)} s, slowest ${Math.round(slowest / 1000)} s (deadline ${deadlineMs / 1000} s)`,
    );
    expect(slowest).toBeLessThan(deadlineMs / 2);

    const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
    const failed = (status: string) =>
      [
        ...metrics.matchAll(
          new RegExp(
            `^telform_platform_calls_total\\{[^}]*status="${status}"[^}]*\\} (\\d+)`,
            'gm',
          ),
        ),
      ].reduce((sum, m) => sum + Number(m[1]), 0);
    // The faults did happen and were retried.
    expect(failed('503')).toBeGreaterThan(10);
    expect(failed('429')).toBeGreaterThan(10);

    await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${emulator.partnerKey}` },
    });
    const objects = await new PlatformCensus(emulator.url, emulator.partnerKey).objectsByClientRef([
      'user',
      'seat',
    ]);
    expect(ids.filter((id) => (objects.get(id)?.length ?? 0) !== 1)).toEqual([]);
  }, 540_000);
});
