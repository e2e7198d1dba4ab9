import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobDefinition } from '../../src/jobs/job-definition.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingJob(name: string, schedule = '* * * * *', extra: Partial<JobDefinition> = {}) {
  const runs: Date[] = [];
  const job: JobDefinition = {
    name,
    description: 'counts its runs',
    schedule,
    async run() {
      runs.push(new Date());
      await sleep(50);
      return { n: runs.length };
    },
    ...extra,
  };
  return { job, runs };
}

describe('Scheduler on Postgres', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(async () => t?.dispose());
  afterEach(() => vi.useRealTimers());

  it('fires at the wall-clock time of the job time zone and records the slot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-22T07:58:30Z'));
    const { job, runs } = countingJob('paris-nine', '0 9 * * *', { timezone: 'Europe/Paris' });
    const s = new Scheduler(t.db, { replica: 'r1', dialect: 'postgres' });
    s.register(job);
    s.start();
    // 09:00 in Paris is 08:00 UTC in November; a UTC reading would wait until 09:00 UTC.
    expect(s.list()[0]?.nextRunAt?.toISOString()).toBe('2026-11-22T08:00:00.000Z');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(31_000);
    vi.useRealTimers();
    await vi.waitFor(async () => {
      const rows = await t.db
        .selectFrom('job_runs')
        .selectAll()
        .where('job', '=', 'paris-nine')
        .execute();
      expect(rows).toMatchObject([{ outcome: 'success', trigger: 'scheduled', replica: 'r1' }]);
      expect(rows[0]?.scheduled_for?.toISOString()).toBe('2026-11-22T08:00:00.000Z');
    });
    expect(runs).toHaveLength(1);
    await s.stop();
  });

  it('runs a slot once when two replicas fire it together, and again never', async () => {
    const { job, runs } = countingJob('shared');
    const [a, b] = [
      new Scheduler(t.db, { replica: 'a', dialect: 'postgres' }),
      new Scheduler(t.db, { replica: 'b', dialect: 'postgres' }),
    ];
    a.register(job);
    b.register(job);
    const slot = new Date('2026-11-22T10:00:00.250Z');
    const results = await Promise.all([
      a.runScheduled('shared', slot),
      b.runScheduled('shared', slot),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'success']);
    // A replica whose clock fired late finds the slot taken.
    expect(await b.runScheduled('shared', new Date('2026-11-22T10:00:00.900Z'))).toMatchObject({
      outcome: 'skipped',
    });
    expect(runs).toHaveLength(1);
    const rows = await t.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'shared')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('lets only one replica run a job at a time, even on demand', async () => {
    const { job, runs } = countingJob('manual');
    const [a, b] = [
      new Scheduler(t.db, { replica: 'a', dialect: 'postgres' }),
      new Scheduler(t.db, { replica: 'b', dialect: 'postgres' }),
    ];
    a.register(job);
    b.register(job);
    const results = await Promise.all([a.runNow('manual'), b.runNow('manual')]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'success']);
    expect(await b.runNow('manual')).toMatchObject({ outcome: 'success', summary: { n: 2 } });
    expect(runs).toHaveLength(2);
  });

  it('records a failing run with its error and stays usable', async () => {
    const s = new Scheduler(t.db, { replica: 'a', dialect: 'postgres' });
    s.register({
      name: 'broken',
      description: 'fails',
      schedule: '0 * * * *',
      run: async () => Promise.reject(new Error('platform down')),
    });
    expect(await s.runNow('broken')).toMatchObject({
      outcome: 'failure',
      summary: { error: 'platform down' },
    });
    const row = await t.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'broken')
      .executeTakeFirst();
    expect(row).toMatchObject({ outcome: 'failure', summary: { error: 'platform down' } });
    expect(row?.finished_at).not.toBeNull();
  });

  const misuse = [
    {
      reason: 'a bad cron expression is refused at registration',
      act: (s: Scheduler) => s.register(countingJob('x', 'every day').job),
      want: /not a valid cron expression/,
    },
    {
      reason: 'a second job of one name is refused',
      act: (s: Scheduler) => {
        s.register(countingJob('dup').job);
        s.register(countingJob('dup').job);
      },
      want: /registered twice/,
    },
    {
      reason: 'an unknown job names the known ones',
      act: (s: Scheduler) => {
        s.register(countingJob('known').job);
        return s.runNow('nope');
      },
      want: /unknown job "nope"; known jobs: known/,
    },
  ];
  it.each(misuse)('$reason', ({ act, want }) => {
    const s = new Scheduler(t.db, { replica: 'a', dialect: 'postgres' });
    expect(() => act(s)).toThrow(want);
  });
});

describe('Scheduler on PGlite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => t?.dispose());

  it('runs and records without an advisory lock (one process holds the directory)', async () => {
    const { job } = countingJob('embedded');
    const s = new Scheduler(t.db, { replica: 'solo', dialect: 'pglite' });
    s.register(job);
    expect(await s.runNow('embedded')).toMatchObject({ outcome: 'success', summary: { n: 1 } });
    expect(await t.db.selectFrom('job_runs').select('outcome').execute()).toEqual([
      { outcome: 'success' },
    ]);
  });
});
