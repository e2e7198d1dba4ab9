import type { ColumnType, Generated } from 'kysely';

/** `job_runs` (migration 0003): one row per run of a scheduled job. */
export interface JobRunsTable {
  id: Generated<string>;
  job: string;
  replica: string;
  trigger: 'scheduled' | 'manual';
  scheduled_for: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  outcome: 'running' | 'success' | 'failure';
  summary: ColumnType<Record<string, unknown>, string | undefined, string>;
}
