import type { AuditSink } from '../audit/audit-sink.js';
import type { ApplyDriver } from '../driver/platform-driver.js';
import type { DriftPolicy } from '../drift/drift-policy.js';
import type { DaemonLog } from '../log/daemon-log.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { BackoffOptions } from './backoff.js';
import type { RequeueDelays } from './failure-outcome.js';
import type { KindGraph } from './kind-graph.js';
import type { ReconcileMetrics } from './reconcile-metrics.js';
import type { ReferenceResolver } from './reference-resolver.js';
import type { ResourceRow, WorkQueue } from './work-queue.js';

/** What one reconcile works with; the engine builds it once (reconcile-engine.ts). */
export interface ReconcileDeps {
  readonly queue: WorkQueue;
  readonly references: ReferenceResolver;
  readonly graph: KindGraph;
  /** The guarded driver (account budget, platform-call metrics), shared with every caller. */
  readonly driver: ApplyDriver;
  readonly secrets: SecretBox;
  readonly audit: AuditSink;
  readonly metrics: ReconcileMetrics;
  readonly backoff: BackoffOptions;
  readonly delays: RequeueDelays;
  /** The drift policy in force for this resource (default: report only, nothing ignored). */
  readonly driftPolicy?: (row: ResourceRow) => DriftPolicy;
  readonly now?: () => Date;
  /** Each reconcile's decision and outcome (debug). Default: silent. */
  readonly log?: DaemonLog;
}

export type ReconcileOutcome =
  | 'created'
  | 'updated'
  | 'deleted'
  | 'synced'
  | 'waiting'
  | 'retry'
  | 'rejected'
  | 'conflict'
  | 'forbidden'
  | 'error'
  | 'lease_lost';
