import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** A scheduled job: what the scheduler runs on exactly one replica per cron slot. */
export interface JobDefinition {
  /** Stable name: the advisory lock key, the `job_runs.job` value and the API path segment. */
  readonly name: string;
  readonly description: string;
  /** node-cron expression (5 fields, or 6 with seconds first). */
  readonly schedule: string;
  /** IANA time zone the expression is read in (default UTC). */
  readonly timezone?: string;
  /** Does the work; the returned summary is stored with the run (no secrets). */
  run(context: JobContext): Promise<Record<string, unknown>>;
}

export interface JobContext {
  readonly db: Kysely<Database>;
  /** This daemon's name. */
  readonly replica: string;
  readonly trigger: 'scheduled' | 'manual';
  /** The cron slot for scheduled runs. */
  readonly scheduledFor?: Date;
}
