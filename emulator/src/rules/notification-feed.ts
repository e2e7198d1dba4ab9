import type { History, HistoryEntry } from '../activity/history.js';
import { errors } from '../errors/error-catalogue.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { StateStore } from '../storage/state-store.js';

/** The events an account subscribes to (CPaaS "Subscriptions" tab). */
export const notificationEvents = ['low_balance', 'account_balance', 'campaign_events'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

/** One notification of the "Notifications" tab: its type, when it was made, what it says. */
export interface NotificationView {
  readonly notification_id: number;
  readonly event: string;
  readonly created_at: string;
  readonly subscription_id: string;
  readonly recipient: string;
  readonly message: string;
}

const BALANCES = 'account_balances';
const money = (n: number) => n.toFixed(2);

/**
 * The notifications feed: what the platform sends an account's enabled subscriptions when a
 * subscribed event happens. A balance change notifies `account_balance` subscribers; a balance
 * that falls below a `low_balance` threshold (from at or above it, or a first balance) notifies
 * that subscriber once, until it climbs back; a campaign update notifies `campaign_events`.
 */
export class NotificationFeed {
  constructor(
    private readonly store: StateStore,
    private readonly repo: ObjectRepository,
    private readonly history: History,
  ) {}

  /** Sets the account's balance; returns the notifications it caused. */
  balance(accountId: string, balance: unknown, at: Date): NotificationView[] {
    if (typeof balance !== 'number' || !Number.isFinite(balance)) {
      throw errors.invalid('balance', 'number', 'balance must be a number');
    }
    const before = this.store.get<{ balance: number }>(BALANCES, accountId)?.balance;
    this.store.put(BALANCES, accountId, { balance });
    const made: HistoryEntry[] = [];
    for (const sub of this.subscriptions(accountId)) {
      const a = sub.attributes;
      if (a.event === 'account_balance' && before !== balance) {
        const was = before === undefined ? '' : ` (was ${money(before)})`;
        made.push(this.add(accountId, at, sub, `Account balance is ${money(balance)}${was}`));
      }
      const threshold = a.threshold as number | undefined;
      if (a.event === 'low_balance' && threshold !== undefined && balance < threshold) {
        if (before === undefined || before >= threshold) {
          const text = `Low balance: ${money(balance)} is below ${money(threshold)}`;
          made.push(this.add(accountId, at, sub, text));
        }
      }
    }
    return made.map(notificationView);
  }

  /** A campaign changed state (`started`, `finished`, ...); returns the notifications. */
  campaign(accountId: string, campaign: unknown, status: unknown, at: Date): NotificationView[] {
    for (const [field, value] of [
      ['campaign', campaign],
      ['status', status],
    ] as const) {
      if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
        throw errors.invalid(field, 'required', `${field} must be text of 1 to 200 characters`);
      }
    }
    const made = [...this.subscriptions(accountId)]
      .filter((s) => s.attributes.event === 'campaign_events')
      .map((s) => this.add(accountId, at, s, `Campaign ${String(campaign)}: ${String(status)}`));
    return made.map(notificationView);
  }

  private *subscriptions(accountId: string) {
    for (const rec of this.repo.list(accountId, 'notification_subscription')) {
      if (rec.attributes.enabled !== false) yield rec;
    }
  }

  private add(
    accountId: string,
    at: Date,
    sub: { id: string; attributes: Readonly<Record<string, unknown>> },
    message: string,
  ): HistoryEntry {
    return this.history.add(accountId, at, {
      event: sub.attributes.event,
      subscription_id: sub.id,
      recipient: sub.attributes.recipient,
      message,
    });
  }
}

/** A stored notification as the API shows it. */
export function notificationView(e: HistoryEntry): NotificationView {
  return {
    notification_id: e.seq,
    event: String(e.event),
    created_at: e.time,
    subscription_id: String(e.subscription_id),
    recipient: String(e.recipient),
    message: String(e.message),
  };
}
