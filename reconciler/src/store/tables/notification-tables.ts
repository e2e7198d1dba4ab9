import type { ColumnType, Generated } from 'kysely';
import type { SealedSecret } from '../../secrets/secret-box.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;

/** Table `notification_subscriptions` (migration 0006). */
export interface NotificationSubscriptionsTable {
  id: string;
  url: string;
  secret: ColumnType<SealedSecret, string, string>;
  events: ColumnType<string[], string, string>;
  account_id: string | null;
  enabled: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
}

/** Table `notification_outbox` (migration 0006). bigserial comes back from pg as a string. */
export interface NotificationOutboxTable {
  id: ColumnType<string, never, never>;
  subscription_id: string;
  event: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  state: ColumnType<
    'pending' | 'delivered' | 'dead',
    'pending' | undefined,
    'pending' | 'delivered' | 'dead'
  >;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: NullableTimestamp;
}
