import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import { IdempotencyStore } from '../../store/idempotency-store.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Removes audit events older than `before` while keeping the chain verifiable (the audit trail
 * records the last removed event as the checkpoint verification starts from: `AuditStore.prune`).
 * Owned by the audit trail; retention only calls it.
 */
export type PruneAuditEvents = (before: Date) => Promise<Record<string, unknown>>;

export interface RetentionJobOptions {
  /** Resolved drift records and unmanaged objects gone from the platform, kept this long. */
  readonly driftDays?: number;
  /** Delivered and dead notifications, kept this long. */
  readonly notificationDays?: number;
  /** Audit events kept this long; only when a pruner is given. */
  readonly audit?: { readonly days: number; readonly prune: PruneAuditEvents };
  readonly schedule?: string;
  readonly timezone?: string;
  readonly now?: () => Date;
}

const dayMs = 24 * 3600_000;
const batch = 5_000;

/**
 * Deletes what has aged out, in small batches so that no transaction holds many locks: resolved
 * drift records, unmanaged objects the platform no longer has, finished notifications,
 * idempotency keys past their lifetime, and (through the audit trail's own pruner) old audit
 * events. Open drift is never deleted.
 */
export function retentionJob(options: RetentionJobOptions = {}): JobDefinition {
  const now = options.now ?? (() => new Date());
  const driftDays = options.driftDays ?? 90;
  const notificationDays = options.notificationDays ?? 30;
  return {
    name: 'retention',
    description: `Deletes resolved drift older than ${driftDays} days, finished notifications older than ${notificationDays} days, expired idempotency keys${options.audit ? ` and audit events older than ${options.audit.days} days` : ''}.`,
    schedule: options.schedule ?? '30 2 * * *',
    ...(options.timezone ? { timezone: options.timezone } : {}),
    async run({ db }) {
      const driftCutoff = new Date(now().getTime() - driftDays * dayMs);
      const notificationCutoff = new Date(now().getTime() - notificationDays * dayMs);
      const summary: Record<string, unknown> = {
        drift_records: await inBatches(
          db,
          sql`
          delete from drift_records where id in (
            select id from drift_records where state = 'resolved' and resolved_at < ${driftCutoff} limit ${batch})`,
        ),
        unmanaged_objects: await inBatches(
          db,
          sql`
          delete from unmanaged_objects where ctid in (
            select ctid from unmanaged_objects where gone_at < ${driftCutoff} limit ${batch})`,
        ),
        notifications: await inBatches(
          db,
          sql`
          delete from notification_outbox where id in (
            select id from notification_outbox
            where state <> 'pending' and coalesce(delivered_at, next_attempt_at) < ${notificationCutoff} limit ${batch})`,
        ),
        // Expired keys are already ignored; deleting them keeps the table from growing forever.
        idempotency_keys: await new IdempotencyStore(db).purgeExpired(),
        cutoffs: {
          drift: driftCutoff.toISOString(),
          notifications: notificationCutoff.toISOString(),
        },
      };
      if (options.audit) {
        const before = new Date(now().getTime() - options.audit.days * dayMs);
        summary.audit_events = await options.audit.prune(before);
      }
      return summary;
    },
  };
}

async function inBatches(db: Kysely<Database>, statement: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await statement.execute(db);
    const n = Number(result.numAffectedRows ?? 0n);
    total += n;
    if (n < batch) return total;
  }
}
