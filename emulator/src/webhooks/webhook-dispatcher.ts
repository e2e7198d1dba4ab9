import { createHmac } from 'node:crypto';
import type { History, HistoryEntry } from '../activity/history.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { ObjectRecord } from '../model/records.js';
import { postJson } from './post-json.js';

/** One delivery attempt in the webhook history (the console's History tab). */
export interface Delivery extends HistoryEntry {
  readonly webhook_id: string;
  readonly trigger: string;
  readonly url: string;
  readonly authentication: boolean;
  readonly http_status: number | null;
  readonly payload: string;
  /** How long the endpoint took to answer (or to fail), in milliseconds. */
  readonly latency_ms: number;
  readonly retry_of?: number;
}

const TIMEOUT_MS = 5_000;

/**
 * Delivers events for real: an HTTP POST of JSON to every enabled webhook of the account whose
 * right for the event's module is on. With authentication on, the request carries HTTP basic
 * credentials and `X-Emulator-Signature: sha256=<hex HMAC of the body keyed by the password>`.
 * Every attempt is recorded with the HTTP status (null when the endpoint was unreachable).
 */
export class WebhookDispatcher {
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly repo: ObjectRepository,
    private readonly history: History,
    private readonly clock: () => Date,
    private readonly extraCa?: string,
  ) {}

  emit(accountId: string, module: string, trigger: string, data: unknown): void {
    for (const hook of this.repo.list(accountId, 'webhook')) {
      const rights = (hook.attributes.rights ?? {}) as Record<string, unknown>;
      if (hook.attributes.enabled === false || rights[module] !== true) continue;
      const at = this.clock().toISOString();
      const payload = JSON.stringify({
        trigger,
        module,
        account_id: accountId,
        occurred_at: at,
        data,
      });
      this.track(this.deliver(hook, trigger, payload));
    }
  }

  /** Sends a recorded delivery again; the new attempt is recorded with `retry_of`. */
  retry(delivery: Delivery): Promise<Delivery | undefined> {
    const hook = this.repo.get(delivery.webhook_id);
    if (!hook) return Promise.resolve(undefined);
    const p = this.deliver(hook, delivery.trigger, delivery.payload, delivery.seq);
    this.track(p.then(() => undefined));
    return p;
  }

  /**
   * "Test the connection": posts a `webhook.test` event to the webhook now, whether or not it
   * is enabled or has rights, and records the attempt like any delivery.
   */
  test(hook: ObjectRecord): Promise<Delivery> {
    const payload = JSON.stringify({
      trigger: 'webhook.test',
      module: 'test',
      account_id: hook.account_id,
      occurred_at: this.clock().toISOString(),
      data: { webhook_id: hook.id, test: true },
    });
    const p = this.deliver(hook, 'webhook.test', payload);
    this.track(p);
    return p;
  }

  /** Resolves when every delivery under way has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<unknown>): void {
    const t = p.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(t);
    void t.finally(() => this.inflight.delete(t));
  }

  private async deliver(
    hook: ObjectRecord,
    trigger: string,
    payload: string,
    retryOf?: number,
  ): Promise<Delivery> {
    const url = String(hook.attributes.url);
    const auth = (hook.attributes.authentication ?? {}) as Record<string, unknown>;
    const password = hook.secrets['authentication.password'];
    const withAuth = auth.enabled === true;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (withAuth) {
      const login = String(auth.login ?? '');
      headers.authorization = `Basic ${Buffer.from(`${login}:${String(password ?? '')}`).toString('base64')}`;
      const sig = createHmac('sha256', String(password ?? ''))
        .update(payload)
        .digest('hex');
      headers['x-emulator-signature'] = `sha256=${sig}`;
    }
    const started = performance.now();
    const status = await postJson(url, payload, headers, TIMEOUT_MS, this.extraCa);
    const latency = Math.round(performance.now() - started);
    return this.history.add(hook.account_id!, this.clock(), {
      webhook_id: hook.id,
      trigger,
      url,
      authentication: withAuth,
      http_status: status,
      payload,
      latency_ms: latency,
      ...(retryOf !== undefined ? { retry_of: retryOf } : {}),
    }) as Delivery;
  }
}
