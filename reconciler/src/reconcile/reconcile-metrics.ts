/**
 * What the engine reports. The daemon adapts it to the Prometheus objects of `api/metrics.ts`;
 * tests and tools use the do-nothing default.
 */
export interface ReconcileMetrics {
  /** One reconcile finished with `outcome` after `seconds`. */
  reconciled(kind: string, outcome: string, seconds: number): void;
  /** One platform call finished: `status` is the HTTP status when known, else `ok` or the reason. */
  platformCall(operation: string, status: string): void;
  /** Rows due and not claimed, sampled by the worker pool. */
  queueDepth(depth: number): void;
}

export const noopReconcileMetrics: ReconcileMetrics = {
  reconciled: () => {},
  platformCall: () => {},
  queueDepth: () => {},
};
