import { sql, type Kysely } from 'kysely';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';
import { deliveryBackoffMs, maxDeliveryAttempts } from './delivery-backoff.js';
import { signatureHeader, signWebhook } from './webhook-signature.js';

export interface NotificationDispatcherDeps {
  readonly db: Kysely<Database>;
  readonly secretBox: SecretBox;
  readonly fetch?: typeof fetch;
  /** Per request; a subscriber slower than this counts as failed and is retried. */
  readonly timeoutMs?: number;
  /** How long a claimed delivery is hidden from other replicas while it is sent. */
  readonly leaseMs?: number;
  readonly random?: () => number;
}

export interface DeliveryRound {
  readonly delivered: number;
  readonly retrying: number;
  readonly dead: number;
}

/** The AAD a subscription's secret is sealed with. */
export const subscriptionSecretAad = (id: string) => `${id}:secret`;

/**
 * Delivers due outbox rows as signed POSTs. Rows are claimed with SKIP LOCKED under a lease, so
 * replicas share the outbox; a replica killed mid-send leaves the row due again when the lease
 * ends: delivery is at least once, and `telform-delivery` lets a subscriber drop repeats.
 */
export class NotificationDispatcher {
  constructor(private readonly deps: NotificationDispatcherDeps) {}

  async deliverDue(limit = 50): Promise<DeliveryRound> {
    const { db } = this.deps;
    const lease = (this.deps.leaseMs ?? 60_000) / 1000;
    const claimed = await sql<{
      id: string;
      event: string;
      payload: Record<string, unknown>;
      attempts: number;
      url: string;
      secret: unknown;
      subscription_id: string;
    }>`
      with due as (
        select id from notification_outbox
        where state = 'pending' and next_attempt_at <= now()
        order by id limit ${limit} for update skip locked
      )
      update notification_outbox o set next_attempt_at = now() + make_interval(secs => ${lease})
      from due, notification_subscriptions s
      where o.id = due.id and s.id = o.subscription_id
      returning o.id, o.event, o.payload, o.attempts, o.subscription_id, s.url, s.secret`.execute(
      db,
    );
    const round = { delivered: 0, retrying: 0, dead: 0 };
    for (const row of claimed.rows) {
      const outcome = await this.send(row);
      const attempts = row.attempts + 1;
      if (outcome.ok) {
        round.delivered += 1;
        await db
          .updateTable('notification_outbox')
          .set({
            state: 'delivered',
            attempts,
            delivered_at: new Date(),
            last_status: outcome.status,
            last_error: null,
          })
          .where('id', '=', row.id)
          .execute();
        continue;
      }
      const dead = attempts >= maxDeliveryAttempts;
      round[dead ? 'dead' : 'retrying'] += 1;
      const next = new Date(Date.now() + deliveryBackoffMs(attempts, this.deps.random));
      await db
        .updateTable('notification_outbox')
        .set({
          state: dead ? 'dead' : 'pending',
          attempts,
          next_attempt_at: next,
          last_status: outcome.status ?? null,
          last_error: outcome.error,
        })
        .where('id', '=', row.id)
        .execute();
    }
    return round;
  }

  private async send(row: {
    id: string;
    event: string;
    payload: Record<string, unknown>;
    url: string;
    secret: unknown;
    subscription_id: string;
  }): Promise<{ ok: true; status: number } | { ok: false; status?: number; error: string }> {
    const body = JSON.stringify({ id: row.id, ...row.payload });
    let secret: string;
    try {
      secret = this.deps.secretBox.open(
        parse(row.secret),
        subscriptionSecretAad(row.subscription_id),
      );
    } catch {
      return { ok: false, error: 'the subscription secret cannot be opened with the current key' };
    }
    const doFetch = this.deps.fetch ?? fetch;
    try {
      const res = await doFetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'telform-webhooks/1',
          'telform-event': row.event,
          'telform-delivery': row.id,
          [signatureHeader]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      return res.ok
        ? { ok: true, status: res.status }
        : { ok: false, status: res.status, error: `HTTP ${res.status}` };
    } catch (err) {
      return {
        ok: false,
        error: err instanceof Error ? `${err.name}: ${err.message}` : 'request failed',
      };
    }
  }
}

function parse(value: unknown) {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Parameters<
    SecretBox['open']
  >[0];
}
