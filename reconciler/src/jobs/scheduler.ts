import { sql, type Kysely } from 'kysely';
import cron, { type ScheduledTask } from 'node-cron';
import type { DaemonLog } from '../log/daemon-log.js';
import type { Database } from '../store/database.js';
import type { JobContext, JobDefinition } from './job-definition.js';

// First half of every job's advisory lock key; the second is hashtext(job name).
const LOCK_NAMESPACE = 0x7e1f;

export interface SchedulerOptions {
  readonly replica: string;
  /** PGlite has one process by construction: no advisory lock (it would hold the only connection). */
  readonly dialect: 'postgres' | 'pglite';
  /** Told after each run's outcome is stored (the domain gauges read it again). Must not throw. */
  readonly onRunRecorded?: () => void;
  /** Failed runs (error); each run's start and end (debug); its advisory lock (trace). */
  readonly log?: DaemonLog;
}

export type JobRunResult =
  | {
      readonly outcome: 'success' | 'failure';
      readonly runId: string;
      readonly summary: Record<string, unknown>;
    }
  | { readonly outcome: 'skipped'; readonly why: string };

export interface JobInfo {
  readonly name: string;
  readonly description: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly nextRunAt: Date | null;
}

/**
 * Runs registered jobs on their cron schedules. Every run first takes a Postgres advisory lock
 * for the job on a dedicated connection (so one replica runs it at a time), then claims its cron
 * slot in `job_runs` (so a slot runs once even when replicas fire it a little apart), and records
 * the outcome and summary there.
 */
export class Scheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Kysely<Database>,
    readonly options: SchedulerOptions,
  ) {}

  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is registered twice`);
    if (!cron.validate(job.schedule)) {
      throw new Error(
        `job "${job.name}": schedule "${job.schedule}" is not a valid cron expression`,
      );
    }
    this.jobs.set(job.name, job);
  }

  start(): void {
    for (const job of this.jobs.values()) {
      if (this.tasks.has(job.name)) continue;
      const task = cron.schedule(
        job.schedule,
        (ctx) => this.track(this.runScheduled(job.name, ctx.date)),
        {
          name: job.name,
          timezone: job.timezone ?? 'UTC',
          noOverlap: true,
        },
      );
      this.tasks.set(job.name, task);
    }
  }

  /** Stops the schedules and waits for runs in flight. */
  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((job) => ({
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      timezone: job.timezone ?? 'UTC',
      nextRunAt: this.tasks.get(job.name)?.getNextRun() ?? null,
    }));
  }

  /** Runs a job now, outside its schedule (still one replica at a time). */
  runNow(name: string): Promise<JobRunResult> {
    return this.track(this.execute(this.job(name), 'manual'));
  }

  /** What the cron tick calls: runs the slot unless another replica holds or already ran it. */
  runScheduled(name: string, slot: Date): Promise<JobRunResult> {
    const second = new Date(Math.floor(slot.getTime() / 1000) * 1000);
    return this.execute(this.job(name), 'scheduled', second);
  }

  private job(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job)
      throw new Error(`unknown job "${name}"; known jobs: ${[...this.jobs.keys()].join(', ')}`);
    return job;
  }

  private async execute(
    job: JobDefinition,
    trigger: JobContext['trigger'],
    slot?: Date,
  ): Promise<JobRunResult> {
    if (this.options.dialect === 'pglite') return this.record(this.db, job, trigger, slot);
    return this.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ locked: boolean }>`
        select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${job.name})) as locked`.execute(
        conn,
      );
      if (!rows[0]?.locked) {
        this.options.log?.trace({ job: job.name }, 'job lock held by another replica');
        return { outcome: 'skipped', why: 'running on another replica' } as const;
      }
      this.options.log?.trace({ job: job.name }, 'job lock taken');
      try {
        return await this.record(conn, job, trigger, slot);
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${job.name}))`.execute(
          conn,
        );
      }
    });
  }

  private async record(
    conn: Kysely<Database>,
    job: JobDefinition,
    trigger: JobContext['trigger'],
    slot?: Date,
  ): Promise<JobRunResult> {
    const { replica } = this.options;
    const started = await conn
      .insertInto('job_runs')
      .values({ job: job.name, replica, trigger, scheduled_for: slot ?? null, outcome: 'running' })
      .onConflict((oc) => oc.columns(['job', 'scheduled_for']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const log = this.options.log;
    if (!started) {
      log?.debug({ job: job.name, slot }, 'job slot already ran on another replica');
      return { outcome: 'skipped', why: 'this slot already ran on another replica' };
    }
    const runId = String(started.id);
    log?.debug({ job: job.name, runId, trigger }, 'job run started');
    const began = performance.now();
    let outcome: 'success' | 'failure' = 'success';
    let summary: Record<string, unknown>;
    try {
      summary = await job.run({
        db: this.db,
        replica,
        trigger,
        ...(slot ? { scheduledFor: slot } : {}),
      });
    } catch (err) {
      outcome = 'failure';
      summary = { error: err instanceof Error ? err.message : String(err) };
      log?.error({ err, job: job.name, runId }, 'scheduled job failed');
    }
    await conn
      .updateTable('job_runs')
      .set({ outcome, summary: JSON.stringify(summary), finished_at: sql`now()` })
      .where('id', '=', started.id)
      .execute();
    this.options.onRunRecorded?.();
    // The summary's keys only: its figures are in job_runs and behind GET /v1/jobs.
    log?.debug(
      {
        job: job.name,
        runId,
        outcome,
        ms: Math.round(performance.now() - began),
        summary: Object.keys(summary),
      },
      'job run finished',
    );
    return { outcome, runId, summary };
  }

  private track<T>(run: Promise<T>): Promise<T> {
    const tracked = run.finally(() => this.inFlight.delete(tracked)).catch(() => {});
    this.inFlight.add(tracked);
    return run;
  }
}
