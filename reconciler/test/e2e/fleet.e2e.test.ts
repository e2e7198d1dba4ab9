import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';
import {
  Api,
  declareFleet,
  PlatformCensus,
  syncedOf,
  waitConverged,
  type ResourceView,
} from './e2e-support.js';

// The README's main path: the embedded default (PGlite + bundled emulator), driven over HTTP.
describe('daemon end to end on the embedded default', () => {
  let dir: string;
  let daemon: RunningDaemon;
  let api: Api;
  let census: PlatformCensus;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telform-e2e-'));
    daemon = await startDaemon({
      dataDir: dir,
      listen: { host: '127.0.0.1', port: 0 },
      emulator: { host: '127.0.0.1', port: 0, dataDir: false },
      hardening: { rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } },
      logger: false,
      jobs: false,
    });
    expect(daemon.adminToken).toMatch(/^tf_/);
    api = new Api(daemon.url, daemon.adminToken!);
    census = new PlatformCensus(daemon.emulator!.url, daemon.emulator!.partnerKey);
  });
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let fleet: ResourceView[] = [];

  it('syncs 1,000 resources across 10 accounts onto the platform, each exactly once', async () => {
    // Per account: 1 account + 69 users + 30 seats = 100.
    const t0 = Date.now();
    const { accountIds, ids } = await declareFleet(api, 10, 69, 30);
    expect(ids).toHaveLength(1_000);
    const declared = Date.now();
    fleet = await waitConverged(api, accountIds, 1_000, 240_000);
    console.info(
      `[e2e] declared 1,000 in ${declared - t0} ms; all applied ${Date.now() - t0} ms after the first POST`,
    );

    const objects = await census.objectsByClientRef(['user', 'seat']);
    for (const id of ids) expect(objects.get(id), id).toHaveLength(1);
    for (const r of fleet) expect(r.status.external_id).toBe(objects.get(r.id)![0]!.id);
  }, 300_000);

  it('propagates an update and a delete', async () => {
    const user = fleet.find((r) => r.kind === 'user')!;
    const seat = fleet.find((r) => r.kind === 'seat')!;
    const put = await api.call<ResourceView>(
      'PUT',
      `/v1/resources/user/${user.id}`,
      { ...user.spec, name: 'Renamed User' },
      { 'if-match': `"${user.generation}"` },
    );
    expect(put.status).toBe(200);
    const del = await api.call('DELETE', `/v1/resources/seat/${seat.id}`);
    expect(del.status).toBe(202);

    await expect
      .poll(
        async () =>
          (await api.call<ResourceView>('GET', `/v1/resources/user/${user.id}`)).body.status
            .applied_generation,
        { timeout: 20_000 },
      )
      .toBe(user.generation + 1);
    await expect
      .poll(async () => (await api.call('GET', `/v1/resources/seat/${seat.id}`)).status, {
        timeout: 20_000,
      })
      .toBe(404);

    const objects = await census.objectsByClientRef(['user', 'seat']);
    expect(objects.get(user.id)?.[0]?.attributes.name).toBe('Renamed User');
    expect(objects.has(seat.id)).toBe(false);
  });

  it('shows a seat past the sub-account limit on the seat status with the platform reason', async () => {
    const accountId = fleet.find((r) => r.kind === 'account')!.id;
    const sub = await api.create('sub_account', {
      account_id: accountId,
      name: 'Lyon',
      seat_limit: 1,
    });
    const users = await Promise.all(
      [1, 2].map((n) =>
        api.create('user', {
          account_id: sub.id,
          name: `Lyon ${n}`,
          login: `lyon${n}`,
          email: `lyon${n}@f.example`,
        }),
      ),
    );
    const first = await api.create('seat', { account_id: sub.id, user_id: users[0]!.id });
    await expect
      .poll(
        async () =>
          syncedOf((await api.call<ResourceView>('GET', `/v1/resources/seat/${first.id}`)).body)
            ?.status,
        { timeout: 20_000 },
      )
      .toBe('True');

    const second = await api.create('seat', { account_id: sub.id, user_id: users[1]!.id });
    await expect
      .poll(
        async () =>
          syncedOf((await api.call<ResourceView>('GET', `/v1/resources/seat/${second.id}`)).body)
            ?.reason,
        { timeout: 20_000 },
      )
      .toMatch(/^(Conflict|PlatformRejected)$/);
    const status = syncedOf(
      (await api.call<ResourceView>('GET', `/v1/resources/seat/${second.id}`)).body,
    );
    expect(status).toMatchObject({ status: 'False' });
    expect(status?.message).toMatch(/seat limit/);
  });
});
