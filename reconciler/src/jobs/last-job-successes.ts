import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';

export interface JobSuccess {
  readonly job: string;
  readonly finishedAt: Date;
}

/**
 * Each named job's newest successful run, on any replica (one indexed look-up per job,
 * migration 0013); jobs that never succeeded are absent.
 */
export async function lastJobSuccesses(
  db: Kysely<Database>,
  jobs: readonly string[],
): Promise<JobSuccess[]> {
  if (jobs.length === 0) return [];
  const { rows } = await sql<{ job: string; finished_at: Date | string }>`
    select j.job, r.finished_at
    from unnest(${[...jobs]}::text[]) as j(job)
    cross join lateral (
      select finished_at from job_runs
      where job = j.job and outcome = 'success' and finished_at is not null
      order by finished_at desc limit 1
    ) as r`.execute(db);
  return rows.map((r) => ({ job: r.job, finishedAt: new Date(r.finished_at) }));
}
