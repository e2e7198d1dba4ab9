import type { Kysely } from 'kysely';
import type { AuditSink } from '../audit/audit-sink.js';
import type { ApplyDriver } from '../driver/platform-driver.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';
import { defaultBackoff, type BackoffOptions } from './backoff.js';
import { defaultRequeueDelays, type RequeueDelays } from './failure-outcome.js';
import { KindGraph } from './kind-graph.js';
import { reconcileResource, type ReconcileDeps } from './reconcile-resource.js';
import type { ResourceChanges } from './resource-changes.js';
import type { ReconcileMetrics } from './reconcile-metrics.js';
import { ReferenceResolver } from './reference-resolver.js';
import { WorkQueue } from './work-queue.js';
import { WorkerPool } from './worker-pool.js';
import type { DaemonLog } from '../log/daemon-log.js';

export interface ReconcileEngineOptions {
  readonly db: Kysely<Database>;
  /** The guarded driver the services built (budget and metrics apply to every call). */
  readonly driver: ApplyDriver;
  readonly secrets: SecretBox;
  readonly audit: AuditSink;
  readonly metrics: ReconcileMetrics;
  /** This daemon's name in leases. */
  readonly replica: string;
  readonly concurrency?: number;
  readonly pollMs?: number;
  readonly leaseMs?: number;
  readonly backoff?: BackoffOptions;
  readonly delays?: Partial<RequeueDelays>;
  readonly log?: DaemonLog;
  /** The drift policy in force for a resource (the drift policy cache). */
  readonly driftPolicy?: ReconcileDeps['driftPolicy'];
  /** Told of every outcome recorded, for the API's long-polls in this process. */
  readonly changes?: ResourceChanges;
}

/** The queue, the reconcile function and the worker pool, wired together. */
export class ReconcileEngine {
  readonly queue: WorkQueue;
  readonly pool: WorkerPool;
  readonly deps: ReconcileDeps;

  constructor(options: ReconcileEngineOptions) {
    const graph = new KindGraph();
    this.queue = new WorkQueue(options.db, graph, {
      owner: options.replica,
      leaseMs: options.leaseMs ?? 60_000,
      ...(options.changes ? { changes: options.changes } : {}),
      // A row written while it was in flight is due again at once: claim it without the poll.
      onDueNow: () => this.pool.wake(),
    });
    this.deps = {
      queue: this.queue,
      references: new ReferenceResolver(options.db, graph),
      graph,
      driver: options.driver,
      secrets: options.secrets,
      audit: options.audit,
      metrics: options.metrics,
      backoff: options.backoff ?? defaultBackoff,
      delays: { ...defaultRequeueDelays, ...options.delays },
      ...(options.driftPolicy ? { driftPolicy: options.driftPolicy } : {}),
      ...(options.log ? { log: options.log } : {}),
    };
    this.pool = new WorkerPool(
      this.queue,
      (row) => reconcileResource(this.deps, row),
      { concurrency: options.concurrency ?? 16, pollMs: options.pollMs ?? 500 },
      options.log,
    );
  }
}
