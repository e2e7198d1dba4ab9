import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DomainSnapshot } from './domain-snapshot.js';

export interface MetricsOptions {
  /** Read at each scrape: the work queue's depth (store/queue-depth.ts). */
  readonly queueDepth?: () => Promise<number>;
  /** Read at each scrape: the last audit chain verification (null: none yet). */
  readonly auditChainOk?: () => Promise<boolean | null>;
  /**
   * Read at each scrape: open drift, unmanaged objects and job successes, from a cache that
   * reads the store only when stale (domain-snapshot-cache.ts); without it those gauges are empty.
   */
  readonly domain?: { current(): Promise<DomainSnapshot | null> };
  /** Process metrics (memory, event loop lag); off in tests that build many apps. */
  readonly processMetrics?: boolean;
}

/**
 * The daemon's Prometheus metrics, one Registry per instance (so apps built in tests do not
 * collide). The API counts HTTP requests; the engine increments the reconcile and platform
 * metrics:
 *
 *   metrics.reconcileOutcomes.inc({ kind: 'user', outcome: 'applied' });
 *   metrics.reconcileDuration.observe({ kind: 'user' }, seconds);
 *   metrics.platformCalls.inc({ method: 'create', status: '429' });
 */
const gaugesNamedLikeCounters = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export class Metrics {
  readonly registry = new Registry();

  /** Resources whose reconcile is due now. */
  readonly queueDepth: Gauge;
  /** 1 when the last scheduled audit chain verification held, 0 when it broke, NaN before one. */
  readonly auditChainOk: Gauge;
  /** Open drift records by kind and action (`reported`, `corrected`), every account together. */
  readonly driftOpen: Gauge;
  /** Platform objects telform does not manage, by kind, as the last scan of each account found them. */
  readonly unmanagedObjects: Gauge;
  /** Unix time of each job's newest successful run (any replica); absent before its first. */
  readonly jobLastSuccess: Gauge;
  /** Finished reconciles by kind and outcome (`applied`, `unchanged`, `deleted`, `retry`, `rejected`, `error`, ...). */
  readonly reconcileOutcomes = new Counter({
    name: 'telform_reconcile_outcomes_total',
    help: 'Reconciles finished, by resource kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  /** Wall time of one reconcile, seconds. */
  readonly reconcileDuration = new Histogram({
    name: 'telform_reconcile_duration_seconds',
    help: 'Duration of one resource reconcile, in seconds.',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Calls to the platform by driver method and HTTP status (`network` when none came back). */
  readonly platformCalls = new Counter({
    name: 'telform_platform_calls_total',
    help: 'Calls to the platform, by driver method and status.',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  /** API requests by method, route pattern and status. */
  readonly httpRequests = new Counter({
    name: 'telform_http_requests_total',
    help: 'API requests, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'telform_http_request_duration_seconds',
    help: 'API request duration, in seconds, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    const read = options.queueDepth;
    this.queueDepth = new Gauge({
      name: 'telform_queue_depth',
      help: 'Resources whose reconcile is due and that no replica holds.',
      registers: [this.registry],
      async collect() {
        // A scrape still answers while the database is down; the gauge keeps its last value.
        if (read)
          await read().then(
            (depth) => this.set(depth),
            () => undefined,
          );
      },
    });
    const chain = options.auditChainOk;
    this.auditChainOk = new Gauge({
      name: 'telform_audit_chain_ok',
      help: 'Whether the last audit chain verification held (1), broke (0); NaN before the first.',
      registers: [this.registry],
      async collect() {
        if (!chain) return this.set(Number.NaN);
        await chain().then(
          (ok) => this.set(ok === null ? Number.NaN : ok ? 1 : 0),
          () => undefined,
        );
      },
    });
    const domain = options.domain;
    const snapshot = async () => (domain ? await domain.current() : null);
    this.driftOpen = new Gauge({
      name: 'telform_drift_open_records',
      help: 'Open drift records, by resource kind and action (reported, corrected).',
      labelNames: ['kind', 'action'] as const,
      registers: [this.registry],
      async collect() {
        const s = await snapshot();
        if (!s) return;
        for (const d of s.openDrift) this.set({ kind: d.kind, action: d.action }, d.count);
      },
    });
    this.unmanagedObjects = new Gauge({
      name: 'telform_unmanaged_objects',
      help: "Platform objects telform does not manage, by kind, as of each account's last drift scan.",
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const s = await snapshot();
        if (!s) return;
        for (const u of s.unmanaged) this.set({ kind: u.kind }, u.count);
      },
    });
    this.jobLastSuccess = new Gauge({
      name: 'telform_job_last_success_timestamp_seconds',
      help: 'Unix time at which each scheduled job last finished successfully, on any replica.',
      labelNames: ['job'] as const,
      registers: [this.registry],
      async collect() {
        const s = await snapshot();
        if (!s) return;
        for (const j of s.jobSuccesses) this.set({ job: j.job }, j.finishedAt.getTime() / 1000);
      },
    });
    // Node's process metrics under their standard names (process_*, nodejs_*), which stock
    // dashboards and alerts look for; only telform's own metrics carry the telform_ prefix.
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      // prom-client also exports these sums of the per-type gauges (nodejs_active_handles{type},
      // ...) as gauges named `_total`, which promtool rejects: the per-type ones stay.
      for (const name of gaugesNamedLikeCounters) this.registry.removeSingleMetric(name);
    }
  }
}
