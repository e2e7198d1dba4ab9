import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { spawnDaemon, type DaemonProcess } from './daemon-process.js';
import { Api, declareFleet, isApplied, PlatformCensus, waitConverged } from './e2e-support.js';
import { sharedPostgres, type SharedPostgres } from './shared-postgres.js';

async function addFault(emulator: RunningEmulator, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.partnerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(201);
}

describe('a daemon killed with SIGKILL mid-run', () => {
  let emulator: RunningEmulator;
  let shared: SharedPostgres;
  const daemons: DaemonProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    shared = await sharedPostgres(emulator);
  });
  afterAll(async () => {
    for (const d of daemons) await d.kill('SIGKILL');
    await emulator?.close();
    await shared?.drop();
  });

  it('converges after a restart with no duplicate create on the platform', async () => {
    // Slow platform calls so that the kill lands while creates are in flight.
    await addFault(emulator, { mode: 'latency', rate: 1, latency_ms: 40 });
    const first = await spawnDaemon({ ...shared.env, TELFORM_LEASE_MS: '3000' });
    daemons.push(first);
    const api = new Api(first.url, shared.token);
    const { accountIds, ids } = await declareFleet(api, 3, 49, 20, 'crash');

    await expect
      .poll(
        async () =>
          (await Promise.all(accountIds.map((a) => api.listAccount(a)))).flat().filter(isApplied)
            .length,
        {
          timeout: 60_000,
          interval: 200,
        },
      )
      .toBeGreaterThan(20);
    await first.kill('SIGKILL');
    // The kill landed mid-run: work was left unapplied, some of it under the dead daemon's lease.
    const client = new pg.Client({ connectionString: shared.url });
    await client.connect();
    const { rows } = await client.query<{ unapplied: string; leased: string }>(
      `select count(*) filter (where applied_generation = 0) as unapplied,
              count(*) filter (where claimed_by is not null) as leased from resources`,
    );
    await client.end();
    expect(Number(rows[0]!.unapplied)).toBeGreaterThan(0);
    expect(Number(rows[0]!.leased)).toBeGreaterThan(0);

    const second = await spawnDaemon({ ...shared.env, TELFORM_LEASE_MS: '3000' });
    daemons.push(second);
    await waitConverged(new Api(second.url, shared.token), accountIds, ids.length, 180_000);

    const objects = await new PlatformCensus(emulator.url, emulator.partnerKey).objectsByClientRef([
      'user',
      'seat',
    ]);
    const duplicates = ids.filter((id) => (objects.get(id)?.length ?? 0) !== 1);
    expect(duplicates).toEqual([]);
  }, 300_000);
});
