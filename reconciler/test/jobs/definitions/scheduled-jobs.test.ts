// The job definitions under the real Scheduler: two replicas on one Postgres, fake timers.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DriftPolicyCache } from '../../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../../src/drift/drift-scanner.js';
import { driftScanJob } from '../../../src/jobs/definitions/drift-scan-job.js';
import { seatUsageJob } from '../../../src/jobs/definitions/seat-usage-job.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { openDatabase, type OpenedDatabase } from '../../../src/store/open-database.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { MemoryPlatformDriver } from '../../drift/memory-platform-driver.js';
import { seedResources } from '../../drift/seed-resources.js';

describe('scheduled job definitions on two replicas', () => {
  let t: TestDatabase;
  let second: OpenedDatabase;
  const driver = new MemoryPlatformDriver();

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    second = await openDatabase({ databaseUrl: t.databaseUrl! });
    const pa = driver.seed('account', '', { name: 'Acme', email: 'a@acme.example' }, 'account_a');
    const u = {
      account_id: 'account_a',
      name: 'Alice',
      login: 'alice',
      email: 'alice@acme.example',
    };
    const pu = driver.seed('user', pa, { ...u, account_id: pa, name: 'Mallory' }, 'user_a');
    driver.data.set(`seat_usage:${pa}`, {
      purchased: 10,
      assigned: 10,
      seat_limit: null,
      inactive_users_with_seats: [],
    });
    await seedResources(t.db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: { name: 'Acme', email: 'a@acme.example' },
        externalId: pa,
      },
      {
        id: 'user_a',
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: u,
        externalId: pu,
      },
    ]);
  });
  // Stopped even when an assertion fails, so no replica holds a connection when the database drops.
  const stopAfter: Scheduler[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const r of stopAfter.splice(0)) await r.stop();
  });
  afterAll(async () => {
    await second?.close();
    await t?.dispose();
  });

  const finished = async (job: string, count: number) => {
    for (let i = 0; i < 10_000; i++) {
      const done = await t.db
        .selectFrom('job_runs')
        .select('id')
        .where('job', '=', job)
        .where('outcome', '<>', 'running')
        .execute();
      if (done.length >= count) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`${job} did not finish ${count} run(s)`);
  };

  const replica = (name: string, db: TestDatabase['db']) => {
    const scheduler = new Scheduler(db, { replica: name, dialect: 'postgres' });
    scheduler.register(
      driftScanJob(new DriftScanner({ db, driver, policies: new DriftPolicyCache(db) })),
    );
    // 08:00 in New York is 13:00 UTC in November.
    scheduler.register(
      seatUsageJob(driver, { schedule: '0 8 * * *', timezone: 'America/New_York' }),
    );
    return scheduler;
  };

  it('runs each slot once across the replicas, at the wall-clock time of the job time zone', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-22T12:58:30Z'));
    const replicas = [replica('a', t.db), replica('b', second.db)];
    stopAfter.push(...replicas);
    for (const r of replicas) r.start();
    const seatJob = replicas[0]!.list().find((j) => j.name === 'seat-usage')!;
    expect(seatJob.nextRunAt?.toISOString()).toBe('2026-11-22T13:00:00.000Z');
    // Two drift-scan slots (12:59, 13:00) and one seat-usage slot (13:00). Fake time jumps, the
    // database does not: let the 12:59 run finish before 13:00, or noOverlap rightly skips it.
    await vi.advanceTimersByTimeAsync(31_000);
    await finished('drift-scan', 1);
    await vi.advanceTimersByTimeAsync(60_000);
    // Keep the fake clock until the 13:00 runs end: their "now" must be the slot's, not today's.
    await finished('drift-scan', 2);
    await finished('seat-usage', 1);
    vi.useRealTimers();
    await vi.waitFor(
      async () => {
        const runs = await t.db
          .selectFrom('job_runs')
          .select(['job', 'scheduled_for', 'outcome'])
          .orderBy('job')
          .orderBy('scheduled_for')
          .execute();
        expect(runs.map((r) => [r.job, r.scheduled_for?.toISOString(), r.outcome])).toEqual([
          ['drift-scan', '2026-11-22T12:59:00.000Z', 'success'],
          ['drift-scan', '2026-11-22T13:00:00.000Z', 'success'],
          ['seat-usage', '2026-11-22T13:00:00.000Z', 'success'],
        ]);
      },
      { timeout: 10_000 },
    );
    for (const r of stopAfter.splice(0)) await r.stop();
    // The first scan found the drift; the second slot found the account not yet due again.
    const records = await t.db
      .selectFrom('drift_records')
      .select(['resource_id', 'state'])
      .execute();
    expect(records).toEqual([{ resource_id: 'user_a', state: 'open' }]);
    const [first, secondRun] = await t.db
      .selectFrom('job_runs')
      .select('summary')
      .where('job', '=', 'drift-scan')
      .orderBy('scheduled_for')
      .execute();
    expect(first!.summary).toMatchObject({ scanned: 1, opened: 1 });
    expect(secondRun!.summary).toMatchObject({ accounts: 0 });
    const seat = await t.db
      .selectFrom('job_runs')
      .select('summary')
      .where('job', '=', 'seat-usage')
      .executeTakeFirstOrThrow();
    expect(seat.summary).toMatchObject({
      warnings: [{ account_id: 'account_a', usage_percent: 100, threshold_percent: 85 }],
    });
  });
});
