import { asPlatformActor, platformActor } from './platform-actor.js';
import { canActOnWebhooks, type WebhookActions } from './webhook-actions.js';
import type { AccountBudget } from './account-budget.js';
import type { ActivityPage, ActivityQuery } from './platform-activity.js';
import {
  canRotateProvisioningToken,
  PlatformError,
  type AccountListQuery,
  type Attributes,
  type ExternalRef,
  type ListPage,
  type ListQuery,
  type Observation,
  type Observed,
  type PlatformDriver,
  type ProvisioningTokenRotation,
  type ResourceRef,
} from './platform-driver.js';

/** Where the guard reports each platform call (the daemon counts them in Prometheus). */
export interface PlatformCallMetrics {
  /** One platform call finished: `status` is the HTTP status when known, else `ok` or the reason. */
  platformCall(operation: string, status: string): void;
}

/** The budget key of calls that name no account (creating an account): the partner itself. */
export const partnerBudgetKey = '(partner)';

/**
 * The platform account a call is charged to: the account its path names, as the platform's
 * per-account rate limit counts it (a sub-account's objects are under the sub-account).
 */
export function budgetKeyOf(ref: ResourceRef): string {
  if (ref.accountExternalId) return ref.accountExternalId;
  if ((ref.kind === 'account' || ref.kind === 'sub_account') && ref.externalId)
    return ref.externalId;
  return partnerBudgetKey;
}

/**
 * The driver every caller goes through, wrapped once when the services are built: each call
 * waits for its account's budget (keyed by the account of that call), is counted by status,
 * and a Retry-After pauses the whole account (its other calls would get 429s too). Anything a
 * driver throws that is not a PlatformError becomes a retryable one, so callers handle one
 * error type. Token rotation is offered exactly when the inner driver offers it.
 */
export class GuardedDriver implements PlatformDriver {
  readonly rotateProvisioningToken?: ProvisioningTokenRotation['rotateProvisioningToken'];
  readonly testWebhook?: WebhookActions['testWebhook'];
  readonly retryWebhookDelivery?: WebhookActions['retryWebhookDelivery'];

  constructor(
    private readonly inner: PlatformDriver,
    private readonly budget: AccountBudget,
    private readonly metrics: PlatformCallMetrics,
  ) {
    if (canRotateProvisioningToken(inner)) {
      this.rotateProvisioningToken = (ref: ExternalRef): Promise<Observed> =>
        this.call('rotate_provisioning_token', budgetKeyOf(ref), () =>
          inner.rotateProvisioningToken(ref),
        );
    }
    if (canActOnWebhooks(inner)) {
      this.testWebhook = (ref: ExternalRef) =>
        this.call('test_webhook', budgetKeyOf(ref), () => inner.testWebhook(ref));
      this.retryWebhookDelivery = (account: string, deliveryId: number) =>
        this.call('retry_webhook_delivery', account, () =>
          inner.retryWebhookDelivery(account, deliveryId),
        );
    }
  }

  observe(ref: ResourceRef): Promise<Observation> {
    return this.call('observe', budgetKeyOf(ref), () => this.inner.observe(ref));
  }
  create(ref: ResourceRef, desired: Attributes): Promise<Observed> {
    return this.call('create', budgetKeyOf(ref), () => this.inner.create(ref, desired));
  }
  update(ref: ExternalRef, desired: Attributes): Promise<Observed> {
    return this.call('update', budgetKeyOf(ref), () => this.inner.update(ref, desired));
  }
  delete(ref: ExternalRef): Promise<void> {
    return this.call('delete', budgetKeyOf(ref), () => this.inner.delete(ref));
  }
  list(query: ListQuery): Promise<ListPage> {
    return this.call('list', query.accountExternalId, () => this.inner.list(query));
  }
  listAccounts(query: AccountListQuery): Promise<ListPage> {
    return this.call('list_accounts', partnerBudgetKey, () => this.inner.listAccounts(query));
  }
  read(
    kind: string,
    accountExternalId: string,
    query?: Readonly<Record<string, string>>,
  ): Promise<Attributes> {
    return this.call('read', accountExternalId, () =>
      this.inner.read(kind, accountExternalId, query),
    );
  }

  activity(query: ActivityQuery): Promise<ActivityPage> {
    return this.call('activity', query.accountExternalId, () => this.inner.activity(query));
  }

  private async call<T>(operation: string, account: string, fn: () => Promise<T>): Promise<T> {
    // Captured now: a call that waited for the budget still carries its own caller's name.
    const actor = platformActor();
    return this.budget.run(account, () =>
      asPlatformActor(actor, async () => {
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
          if (error.details.retryAfterMs) this.budget.pause(account, error.details.retryAfterMs);
          throw error;
        }
      }),
    );
  }
}
