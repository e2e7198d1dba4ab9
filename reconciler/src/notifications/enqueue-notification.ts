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
