import { sql, type Kysely } from 'kysely';

// One row per run of a scheduled job, written by the replica that held the job's advisory lock:
// `running` when it starts, its outcome when it ends (a crashed run stays `running`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('replica', 'text', (c) => c.notNull())
    // `scheduled` by cron, or `manual` (runNow, POST /v1/jobs/{name}/runs).
    .addColumn('trigger', 'text', (c) => c.notNull())
    // The cron slot a scheduled run belongs to (null for manual runs): unique per job, so a slot
    // runs once even when replicas' clocks fire it a little apart.
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('running', 'success', 'failure')`),
    )
    .addColumn('summary', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('job_runs_job_started')
    .on('job_runs')
    .columns(['job', 'started_at desc'])
    .execute();
  await db.schema
    .createIndex('job_runs_job_slot')
    .unique()
    .on('job_runs')
    .columns(['job', 'scheduled_for'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
}
