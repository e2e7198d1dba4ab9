import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';

/** Events a subscriber can ask for. */
export const notificationEvents = [
  'drift.detected',
  'drift.resolved',
  'seats.warning',
  'seats.inactive_users',
  'provisioning.token_rotated',
  'job.failed',
] as const;

export type NotificationEvent = (typeof notificationEvents)[number];

export interface NotificationInput {
  readonly event: NotificationEvent;
  /** The account the event is about (telform id); null for events about telform itself. */
  readonly accountId: string | null;
  readonly rootAccountId: string | null;
  /** Secret-free by construction: callers pass drift fields, counts and ids only. */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Puts one outbox row per interested subscriber, in the caller's transaction: the event and its
 * notifications commit together or not at all. A subscriber scoped to an account hears about
 * that account and its root's tree. Returns how many deliveries were queued.
 */
export async function enqueueNotification(
  db: Kysely<Database>,
  input: NotificationInput,
): Promise<number> {
  const body = JSON.stringify({
    event: input.event,
    account_id: input.accountId,
    occurred_at: new Date().toISOString(),
    data: input.data,
  });
  const scopes = [input.accountId, input.rootAccountId].filter((x): x is string => x !== null);
  const result = await sql`
    insert into notification_outbox (subscription_id, event, payload)
    select id, ${input.event}, ${body}::jsonb from notification_subscriptions
    where enabled and events ? ${input.event}
      and (account_id is null or account_id = any(${scopes}::text[]))`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * `enqueueNotification` for many events in one statement (a drift scan's batch of accounts):
 * the same rows, in the order of `inputs` per subscriber, in the caller's transaction.
 */
export async function enqueueNotifications(
  db: Kysely<Database>,
  inputs: readonly NotificationInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const occurredAt = new Date().toISOString();
  const payloads = inputs.map((input) =>
    JSON.stringify({
      event: input.event,
      account_id: input.accountId,
      occurred_at: occurredAt,
      data: input.data,
    }),
  );
  const result = await sql`
    insert into notification_outbox (subscription_id, event, payload)
    select s.id, e.event, e.payload::jsonb
    from unnest(${inputs.map((i) => i.event)}::text[], ${payloads}::text[],
                ${inputs.map((i) => i.accountId)}::text[], ${inputs.map((i) => i.rootAccountId)}::text[])
      with ordinality as e(event, payload, account_id, root_account_id, n)
    join notification_subscriptions s on s.enabled and s.events ? e.event
      and (s.account_id is null or s.account_id = e.account_id or s.account_id = e.root_account_id)
    order by e.n, s.id`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
