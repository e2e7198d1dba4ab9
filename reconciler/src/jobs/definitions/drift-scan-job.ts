import type { DriftScanner } from '../../drift/drift-scanner.js';
import type { JobDefinition } from '../job-definition.js';

export interface DriftScanJobOptions {
  /** How often the job looks for due accounts (each account has its own interval). */
  readonly schedule?: string;
  readonly timezone?: string;
  /** Accounts scanned at once. */
  readonly concurrency?: number;
}

/**
 * Scans every account whose scan interval (drift policy, default 5 minutes) has passed. The job
 * ticks every minute; the per-account `next_scan_at` decides who is due, so intervals differ per
 * account while one replica does the work.
 */
export function driftScanJob(
  scanner: DriftScanner,
  options: DriftScanJobOptions = {},
): JobDefinition {
  return {
    name: 'drift-scan',
    description:
      'Compares the platform with desired state for every account whose scan interval has passed.',
    schedule: options.schedule ?? '* * * * *',
    ...(options.timezone ? { timezone: options.timezone } : {}),
    async run() {
      const results = await scanner.scanDue({ concurrency: options.concurrency ?? 4 });
      const summary = {
        accounts: results.length,
        scanned: 0,
        skipped: 0,
        failed: 0,
        platform_calls: 0,
        opened: 0,
        still_open: 0,
        resolved: 0,
        corrected: 0,
        unmanaged: 0,
        failures: [] as { account_id: string; error: string }[],
      };
      for (const r of results) {
        if (r.outcome === 'skipped') summary.skipped += 1;
        if (r.outcome === 'failed') {
          summary.failed += 1;
          summary.platform_calls += r.calls;
          if (summary.failures.length < 20)
            summary.failures.push({ account_id: r.accountId, error: r.error });
        }
        if (r.outcome !== 'scanned') continue;
        summary.scanned += 1;
        summary.platform_calls += r.calls;
        summary.opened += r.opened;
        summary.still_open += r.stillOpen;
        summary.resolved += r.resolved;
        summary.corrected += r.corrected;
        summary.unmanaged += r.unmanaged;
      }
      if (summary.failed > 0 && summary.scanned === 0) {
        throw new Error(
          `every due account failed to scan (${summary.failed}); first: ${summary.failures[0]?.error}`,
        );
      }
      return summary;
    },
  };
}
