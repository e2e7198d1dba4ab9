import { sql, type Kysely } from 'kysely';

// What the domain gauges on /metrics count, indexed so that a refresh reads only the rows it
// counts, however many resources, gone objects and past runs there are: unmanaged objects still
// on the platform by kind, and each job's newest successful run. (Open drift records already
// have partial indexes, 0005 and 0009, that hold the open rows only.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('unmanaged_objects_present_kind')
    .on('unmanaged_objects')
    .column('kind')
    .where(sql.ref('gone_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('job_runs_job_success')
    .on('job_runs')
    .columns(['job', 'finished_at desc'])
    .where(sql.ref('outcome'), '=', 'success')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['job_runs_job_success', 'unmanaged_objects_present_kind'])
    await db.schema.dropIndex(index).execute();
}
