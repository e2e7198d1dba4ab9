import type { AuditSink } from '../audit/audit-sink.js';
import type { ResourceRow } from './work-queue.js';

/** One change the reconciler made (or failed to make) on the platform, as an audit event. */
export async function recordPlatformAudit(
  audit: AuditSink,
  row: ResourceRow,
  verb: string,
  outcome: 'success' | 'failure',
  change: Record<string, unknown>,
): Promise<void> {
  await audit.record({
    event: `platform.${row.kind}.${verb}`,
    access: 'write',
    resource: `${row.kind}/${row.id}`,
    ...(row.account_id ? { accountId: row.account_id } : { accountId: row.id }),
    actor: 'reconciler',
    outcome,
    change,
  });
}
