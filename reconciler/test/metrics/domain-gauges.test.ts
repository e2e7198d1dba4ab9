// The domain gauges on the daemon's /metrics, through the services the daemon builds: they move
// when a drift opens and resolves, when unmanaged objects appear and go, and when a job
// succeeds; and a scrape without such an event reads the cached snapshot, not the store.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { buildServices, type Services } from '../../src/services.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { seedResources } from '../drift/seed-resources.js';
import { createPostgresDatabase, dialects } from '../support/databases.js';

const acme = { name: 'Acme', email: 'admin@acme.example' };
const alice = { name: 'Alice', login: 'alice', email: 'alice@acme.example' };

for (const dialect of dialects) {
  describe(`domain gauges on /metrics [${dialect}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-gauges-'));
    const driver = new MemoryPlatformDriver();
    let services: Services;
    let app: FastifyInstance;
    let pg: { url: string; drop(): Promise<void> } | undefined;
    let aliceOnPlatform: string;
    let platformAccount: string;

    beforeAll(async () => {
      if (dialect === 'postgres') pg = await createPostgresDatabase();
      services = await buildServices({
        ...(pg ? { databaseUrl: pg.url } : {}),
        dataDir: dir,
        driver,
        logger: false,
        env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
      });
      app = buildApp(services.api);
      await app.ready();
      platformAccount = driver.seed('account', '', acme, 'account_a');
      aliceOnPlatform = driver.seed(
        'user',
        platformAccount,
        { ...alice, account_id: platformAccount },
        'user_alice',
      );
      await seedResources(services.database.db, [
        {
          id: 'account_a',
          kind: 'account',
          accountId: null,
          rootAccountId: 'account_a',
          spec: acme,
          externalId: platformAccount,
        },
        {
          id: 'user_alice',
          kind: 'user',
          accountId: 'account_a',
          rootAccountId: 'account_a',
          spec: { ...alice, account_id: 'account_a' },
          externalId: aliceOnPlatform,
        },
      ]);
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The value of one series on a fresh scrape (undefined: not exposed). */
    const scrape = async () => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      return (series: string): number | undefined => {
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
    };
    const userReported = 'telform_drift_open_records{kind="user",action="reported"}';
    const unmanagedUsers = 'telform_unmanaged_objects{kind="user"}';
    const scan = () => services.api.drift!.scanner.scanAccount('account_a');

    it('shows zeros for every kind before any drift', async () => {
      const value = await scrape();
      expect(value(userReported)).toBe(0);
      expect(value('telform_drift_open_records{kind="user",action="corrected"}')).toBe(0);
      expect(value(unmanagedUsers)).toBe(0);
    });

    it('counts a drift when a scan opens it and drops to 0 when a scan resolves it', async () => {
      driver.consoleEdit(aliceOnPlatform, { name: 'Mallory' }, 'jane@acme.example');
      await scan();
      expect((await scrape())(userReported)).toBe(1);
      driver.consoleEdit(aliceOnPlatform, { name: 'Alice' }, 'jane@acme.example');
      await scan();
      expect((await scrape())(userReported)).toBe(0);
    });

    it('counts unmanaged objects as the last scan found them', async () => {
      const stranger = driver.seed('user', platformAccount, {
        ...alice,
        login: 'eve',
        account_id: platformAccount,
      });
      await scan();
      expect((await scrape())(unmanagedUsers)).toBe(1);
      driver.remove(stranger);
      await scan();
      expect((await scrape())(unmanagedUsers)).toBe(0);
    });

    it("sets a job's last success time when it succeeds", async () => {
      const before = Date.now() / 1000;
      const series = 'telform_job_last_success_timestamp_seconds{job="audit-chain-verify"}';
      const run = await services.scheduler.runNow('audit-chain-verify');
      expect(run.outcome).toBe('success');
      const at = (await scrape())(series);
      // Database and test clocks are the same machine's; a second of slack for rounding.
      expect(at).toBeGreaterThanOrEqual(before - 1);
      expect(at).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    });

    it('answers a scrape from the cache when nothing on this daemon changed the counts', async () => {
      expect((await scrape())(userReported)).toBe(0);
      // Written behind the daemon's back (as another replica would): no event, so not read yet.
      await services.database.db
        .insertInto('drift_records')
        .values({
          resource_id: 'user_alice',
          kind: 'user',
          account_id: 'account_a',
          root_account_id: 'account_a',
          fields: JSON.stringify([{ field: 'name', desired: 'Alice', actual: 'Eve' }]),
          action: 'reported',
          state: 'open',
          first_seen_at: new Date(),
          last_seen_at: new Date(),
        })
        .execute();
      expect((await scrape())(userReported)).toBe(0);
      // The next event (any job run) makes the next scrape read the store again.
      await services.scheduler.runNow('audit-chain-verify');
      expect((await scrape())(userReported)).toBe(1);
    });
  });
}
