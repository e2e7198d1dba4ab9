import type { Metrics } from './metrics.js';
import type { ReconcileMetrics } from '../reconcile/reconcile-metrics.js';

/** The engine's metrics as the API's Prometheus objects (served on `/metrics`). */
export function prometheusReconcileMetrics(metrics: Metrics): ReconcileMetrics {
  return {
    reconciled(kind, outcome, seconds) {
      metrics.reconcileOutcomes.inc({ kind, outcome });
      metrics.reconcileDuration.observe({ kind }, seconds);
    },
    platformCall(method, status) {
      metrics.platformCalls.inc({ method, status });
    },
  };
}
