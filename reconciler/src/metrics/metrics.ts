import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Read at each scrape: the work queue's depth (store/queue-depth.ts). */
  readonly queueDepth?: () => Promise<number>;
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
export class Metrics {
  readonly registry = new Registry();

  /** Resources whose reconcile is due now. */
  readonly queueDepth: Gauge;
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
    if (options.processMetrics)
      collectDefaultMetrics({ register: this.registry, prefix: 'telform_' });
  }
}
