import type { PlatformCallMetrics } from '../driver/guarded-driver.js';

/**
 * What the engine reports (platform calls are counted by the guarded driver, through the same
 * interface). The daemon adapts it to the Prometheus objects of `api/metrics.ts`; tests and
 * tools use the do-nothing default.
 */
export interface ReconcileMetrics extends PlatformCallMetrics {
  /** One reconcile finished with `outcome` after `seconds`. */
  reconciled(kind: string, outcome: string, seconds: number): void;
}

export const noopReconcileMetrics: ReconcileMetrics = {
  reconciled: () => {},
  platformCall: () => {},
};
