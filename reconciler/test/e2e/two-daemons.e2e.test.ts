import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { spawnDaemon, type DaemonProcess } from './daemon-process.js';
import { Api, declareFleet, inParallel, PlatformCensus, waitConverged } from './e2e-support.js';
import { sharedPostgres, type SharedPostgres } from './shared-postgres.js';

describe('two daemons on one Postgres', () => {
  let emulator: RunningEmulator;
  let shared: SharedPostgres;
  const daemons: DaemonProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    shared = await sharedPostgres(emulator);
  });
  afterAll(async () => {
    for (const d of daemons) await d.kill('SIGTERM');
    await emulator?.close();
    await shared?.drop();
  });

  it('share the work and converge with no resource applied twice', async () => {
    daemons.push(
      ...(await inParallel(2, [() => spawnDaemon(shared.env), () => spawnDaemon(shared.env)])),
    );
    const [a, b] = daemons.map((d) => new Api(d.url, shared.token));
    // Half of the accounts are declared through each daemon; both apply whatever is due.
    const [fa, fb] = await Promise.all([
      declareFleet(a!, 2, 49, 20, 'ra'),
      declareFleet(b!, 2, 49, 20, 'rb'),
    ]);
    const accountIds = [...fa.accountIds, ...fb.accountIds];
    const ids = [...fa.ids, ...fb.ids];
    await waitConverged(a!, accountIds, ids.length, 180_000);

    const census = new PlatformCensus(emulator.url, emulator.partnerKey);
    const objects = await census.objectsByClientRef(['user', 'seat']);
    expect(ids.filter((id) => (objects.get(id)?.length ?? 0) !== 1)).toEqual([]);
    const creates = await census.createsPerResource();
    expect(creates.size).toBe(ids.length);
    expect([...creates.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    // Both replicas did part of the work: each one's own metrics count creates.
    for (const d of daemons) {
      const text = await (await fetch(`${d.url}/metrics`)).text();
      const created = [
        ...text.matchAll(
          /^telform_reconcile_outcomes_total\{[^}]*outcome="created"[^}]*\} (\d+)/gm,
        ),
      ];
      expect(created.reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThan(0);
    }
  }, 300_000);
});
