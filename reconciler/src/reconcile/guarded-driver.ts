import {
  PlatformError,
  type Attributes,
  type ExternalRef,
  type ListPage,
  type ListQuery,
  type Observation,
  type Observed,
  type PlatformDriver,
  type ResourceRef,
} from '../driver/platform-driver.js';
import type { AccountBudget } from './account-budget.js';
import type { ReconcileMetrics } from './reconcile-metrics.js';

/**
 * The driver as one reconcile sees it: every call waits for the account's budget, is counted by
 * status, and a Retry-After pauses the whole account (its other resources would get 429s too).
 * Anything a driver throws that is not a PlatformError becomes a retryable one, so the engine
 * handles one error type.
 */
export class GuardedDriver implements PlatformDriver {
  constructor(
    private readonly inner: PlatformDriver,
    private readonly budget: AccountBudget,
    private readonly metrics: ReconcileMetrics,
    private readonly account: string,
  ) {}

  observe(ref: ResourceRef): Promise<Observation> {
    return this.call('observe', () => this.inner.observe(ref));
  }
  create(ref: ResourceRef, desired: Attributes): Promise<Observed> {
    return this.call('create', () => this.inner.create(ref, desired));
  }
  update(ref: ExternalRef, desired: Attributes): Promise<Observed> {
    return this.call('update', () => this.inner.update(ref, desired));
  }
  delete(ref: ExternalRef): Promise<void> {
    return this.call('delete', () => this.inner.delete(ref));
  }
  list(query: ListQuery): Promise<ListPage> {
    return this.call('list', () => this.inner.list(query));
  }
  read(kind: string, accountExternalId: string): Promise<Attributes> {
    return this.call('read', () => this.inner.read(kind, accountExternalId));
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return this.budget.run(this.account, async () => {
      try {
        const result = await fn();
        this.metrics.platformCall(operation, 'ok');
        return result;
      } catch (err) {
        const error =
          err instanceof PlatformError
            ? err
            : new PlatformError(
                'retryable',
                `driver failed: ${err instanceof Error ? err.message : String(err)}`,
              );
        this.metrics.platformCall(operation, String(error.details.status ?? error.reason));
        if (error.details.retryAfterMs) this.budget.pause(this.account, error.details.retryAfterMs);
        throw error;
      }
    });
  }
}
