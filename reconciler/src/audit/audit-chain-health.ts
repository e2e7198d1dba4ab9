import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { ChainReport } from './verify-audit-chain.js';

/** The job that verifies the audit chain on a schedule; its runs keep the last result. */
export const auditChainJobName = 'audit-chain-verify';

/** The last scheduled (or manual) verification, as `/status` and the gauge show it. */
export interface AuditChainHealth {
  readonly ok: boolean;
  readonly checked_at: string;
  /** Events the verification walked (up to the first problem). */
  readonly events: number;
  /** Where the chain first breaks; null when it holds. */
  readonly first_bad_event: {
    readonly seq: string;
    readonly kind: 'edited' | 'removed' | 'reordered';
    readonly message: string;
  } | null;
}

export function healthOf(report: ChainReport, checkedAt: Date): AuditChainHealth {
  return {
    ok: report.ok,
    checked_at: checkedAt.toISOString(),
    events: report.checked,
    first_bad_event: report.problem
      ? { seq: report.problem.seq, kind: report.problem.kind, message: report.problem.message }
      : null,
  };
}

/**
 * The newest finished verification, read from the job's runs (so every replica and a restarted
 * daemon show the same result); null before the first one.
 */
export async function lastAuditChainHealth(db: Kysely<Database>): Promise<AuditChainHealth | null> {
  const row = await db
    .selectFrom('job_runs')
    .select('summary')
    .where('job', '=', auditChainJobName)
    .where('outcome', '=', 'success')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const s = row?.summary as Partial<AuditChainHealth> | undefined;
  if (!s || typeof s.ok !== 'boolean' || typeof s.checked_at !== 'string') return null;
  return {
    ok: s.ok,
    checked_at: s.checked_at,
    events: Number(s.events ?? 0),
    first_bad_event: s.first_bad_event ?? null,
  };
}
