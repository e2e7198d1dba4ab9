import type { ExternalRef } from './platform-driver.js';

/** One delivery attempt the platform made and reported (its webhook history records it). */
export interface WebhookAttempt {
  readonly delivery_id: number;
  readonly http_status: number | null;
  /** The endpoint answered 2xx. */
  readonly ok: boolean;
  readonly latency_ms: number;
  readonly at: string;
  readonly retry_of?: number;
}

/**
 * The platform's webhook actions, an optional ability of a driver: "test the connection"
 * (a test event posted now) and Retry of a recorded delivery. Neither is idempotent: each call
 * posts again, so callers never retry them on their own. Failures are classified like any call.
 */
export interface WebhookActions {
  testWebhook(ref: ExternalRef): Promise<WebhookAttempt>;
  retryWebhookDelivery(accountExternalId: string, deliveryId: number): Promise<WebhookAttempt>;
}

/** Whether a driver offers {@link WebhookActions}. */
export function canActOnWebhooks<D extends object>(driver: D): driver is D & WebhookActions {
  const d = driver as Partial<WebhookActions>;
  return typeof d.testWebhook === 'function' && typeof d.retryWebhookDelivery === 'function';
}
