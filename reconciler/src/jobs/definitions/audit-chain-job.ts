import { auditChainJobName, healthOf } from '../../audit/audit-chain-health.js';
import { verifyAuditChain } from '../../audit/verify-audit-chain.js';
import type { JobDefinition } from '../job-definition.js';

export interface AuditChainJobOptions {
  /** Default every 30 minutes: a broken chain shows within the half hour. */
  readonly schedule?: string;
}

/**
 * Verifies the audit chain on a schedule, so its health is visible without anyone running
 * `telform audit verify`: the run's summary is the result that `/status` and the
 * `telform_audit_chain_ok` gauge read. A broken chain is a successful run that says `ok: false`.
 */
export function auditChainJob(options: AuditChainJobOptions = {}): JobDefinition {
  return {
    name: auditChainJobName,
    description:
      'Verifies the audit hash chain; /status and telform_audit_chain_ok show the result.',
    schedule: options.schedule ?? '*/30 * * * *',
    async run({ db }) {
      return { ...healthOf(await verifyAuditChain(db), new Date()) };
    },
  };
}
