import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';
import type { NotificationEvent } from './enqueue-notification.js';
import { subscriptionSecretAad } from './notification-dispatcher.js';
import type { NotificationSubscriptionsTable } from '../store/tables/notification-tables.js';

export interface SubscriptionInput {
  readonly url: string;
  /** HMAC key the subscriber verifies signatures with; stored sealed, never returned. */
  readonly secret: string;
  readonly events: readonly NotificationEvent[];
  readonly account_id?: string | null;
  readonly enabled?: boolean;
}

/** A subscription as the API shows it: the secret is write-only. */
export interface SubscriptionView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly account_id: string | null;
  readonly enabled: boolean;
  readonly secret_set: true;
  readonly created_by: string;
  readonly created_at: string;
}

export class SubscriptionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async create(input: SubscriptionInput, createdBy: string): Promise<SubscriptionView> {
    const id = `nsub_${randomBytes(13).toString('hex')}`;
    const row = await this.db
      .insertInto('notification_subscriptions')
      .values({
        id,
        url: input.url,
        secret: JSON.stringify(this.secretBox.seal(input.secret, subscriptionSecretAad(id))),
        events: JSON.stringify([...new Set(input.events)].sort()),
        account_id: input.account_id ?? null,
        enabled: input.enabled ?? true,
        created_by: createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  }

  /** Subscriptions visible to a principal scoped to `accountIds` (null: all). */
  async list(accountIds: readonly string[] | null): Promise<SubscriptionView[]> {
    let q = this.db
      .selectFrom('notification_subscriptions')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id');
    if (accountIds !== null)
      q = q.where('account_id', 'in', accountIds.length > 0 ? [...accountIds] : ['']);
    return (await q.execute()).map(view);
  }

  async get(id: string): Promise<SubscriptionView | undefined> {
    const row = await this.db
      .selectFrom('notification_subscriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? view(row) : undefined;
  }

  /** Removes the subscription and its undelivered notifications. */
  async delete(id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('notification_subscriptions')
      .where('id', '=', id)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}

function view(row: Selectable<NotificationSubscriptionsTable>): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    account_id: row.account_id,
    enabled: row.enabled,
    secret_set: true,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}
