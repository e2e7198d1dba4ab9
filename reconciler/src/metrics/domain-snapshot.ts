import { managedKinds } from '@telform/schemas';
import type { Kysely } from 'kysely';
import {
  openDriftCounts,
  unmanagedCounts,
  type OpenDriftCount,
  type UnmanagedCount,
} from '../drift/drift-gauge-counts.js';
import { lastJobSuccesses, type JobSuccess } from '../jobs/last-job-successes.js';
import type { Database } from '../store/database.js';

/** What the domain gauges show, read from the store in one go. */
export interface DomainSnapshot {
  /** Every managed kind with both open actions, zeros included, so a resolved kind reads 0. */
  readonly openDrift: readonly OpenDriftCount[];
  /** Every kind a scan reports unmanaged objects of, zeros included. */
  readonly unmanaged: readonly UnmanagedCount[];
  readonly jobSuccesses: readonly JobSuccess[];
}

const openActions = ['reported', 'corrected'] as const;

/**
 * Reads the snapshot: three indexed statements whose cost follows the number of kinds, open
 * records, unmanaged objects and jobs, not of resources or history.
 */
export async function loadDomainSnapshot(
  db: Kysely<Database>,
  jobs: readonly string[],
): Promise<DomainSnapshot> {
  const [drift, unmanaged, jobSuccesses] = await Promise.all([
    openDriftCounts(db),
    unmanagedCounts(db),
    lastJobSuccesses(db, jobs),
  ]);
  const kinds = managedKinds();
  const driftCount = new Map(drift.map((d) => [`${d.kind}/${d.action}`, d.count]));
  const unmanagedCount = new Map(unmanaged.map((u) => [u.kind, u.count]));
  return {
    openDrift: kinds.flatMap((k) =>
      openActions.map((action) => ({
        kind: k.kind,
        action,
        count: driftCount.get(`${k.kind}/${action}`) ?? 0,
      })),
    ),
    unmanaged: kinds
      .filter((k) => k.scope === 'account' && k.singleton === false)
      .map((k) => ({ kind: k.kind, count: unmanagedCount.get(k.kind) ?? 0 })),
    jobSuccesses,
  };
}
