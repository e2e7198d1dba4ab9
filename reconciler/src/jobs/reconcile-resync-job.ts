import type { WorkQueue } from '../reconcile/work-queue.js';
import type { JobDefinition } from './job-definition.js';

export interface ResyncOptions {
  /** Re-observe resources whose last reconcile is older than this. */
  readonly olderThanMs: number;
  readonly schedule?: string;
}

/**
 * Makes resources applied long ago due again, so their observed values and conditions stay
 * fresh, and rejected ones get another try once the platform's rules may have changed.
 */
export function reconcileResyncJob(queue: WorkQueue, options: ResyncOptions): JobDefinition {
  return {
    name: 'reconcile-resync',
    description: `Requeues every resource last reconciled more than ${Math.round(options.olderThanMs / 60_000)} min ago.`,
    schedule: options.schedule ?? '*/10 * * * *',
    async run() {
      return { requeued: await queue.requeueApplied(options.olderThanMs) };
    },
  };
}
