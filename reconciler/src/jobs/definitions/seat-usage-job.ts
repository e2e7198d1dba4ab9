import type { InventoryDriver } from '../../driver/platform-driver.js';
import { enqueueNotification } from '../../notifications/enqueue-notification.js';
import type { JobDefinition } from '../job-definition.js';
import { failureText, platformAccounts } from './platform-accounts.js';
import { seatWarning } from './seat-warning.js';

export interface SeatUsageJobOptions {
  readonly schedule?: string;
  /** The operator's time zone, so the daily check lands in their morning. */
  readonly timezone?: string;
}

interface InactiveUser {
  readonly user_id: string;
  readonly reason: string;
  readonly last_login_at?: string | null;
}

/**
 * Reads every account's seat usage from the platform, applies the 85/95/97% rule itself, lists
 * the inactive users holding a seat (as telform ids where telform manages them), and notifies
 * subscribers of `seats.warning` and `seats.inactive_users`.
 */
export function seatUsageJob(
  driver: InventoryDriver,
  options: SeatUsageJobOptions = {},
): JobDefinition {
  return {
    name: 'seat-usage',
    description:
      'Checks seat usage against the 85/95/97% rule and lists inactive users holding seats.',
    schedule: options.schedule ?? '0 8 * * *',
    ...(options.timezone ? { timezone: options.timezone } : {}),
    async run({ db }) {
      const warnings: Record<string, unknown>[] = [];
      const inactive: Record<string, unknown>[] = [];
      const failures: { account_id: string; error: string }[] = [];
      const accounts = await platformAccounts(db);
      for (const account of accounts) {
        let usage;
        try {
          usage = await driver.read('seat_usage', account.external_id);
        } catch (err) {
          failures.push({ account_id: account.id, error: failureText(err) });
          continue;
        }
        const counts = {
          purchased: Number(usage.purchased ?? 0),
          assigned: Number(usage.assigned ?? 0),
          seat_limit: typeof usage.seat_limit === 'number' ? usage.seat_limit : null,
        };
        const warning = seatWarning(counts);
        const scope = { accountId: account.id, rootAccountId: account.root_account_id };
        if (warning.active) {
          const data = {
            account_id: account.id,
            ...counts,
            capacity: warning.capacity,
            usage_percent: warning.usagePercent,
            threshold_percent: warning.thresholdPercent,
          };
          warnings.push(data);
          await enqueueNotification(db, { event: 'seats.warning', ...scope, data });
        }
        const users = Array.isArray(usage.inactive_users_with_seats)
          ? (usage.inactive_users_with_seats as InactiveUser[])
          : [];
        if (users.length === 0) continue;
        const known = await db
          .selectFrom('resources')
          .select(['id', 'external_id'])
          .where('kind', '=', 'user')
          .where(
            'external_id',
            'in',
            users.map((u) => u.user_id),
          )
          .execute();
        const telformId = new Map(known.map((k) => [k.external_id, k.id]));
        const listed = users.map((u) => ({
          user_id: telformId.get(u.user_id) ?? null,
          platform_user_id: u.user_id,
          reason: u.reason,
          last_login_at: u.last_login_at ?? null,
        }));
        inactive.push({ account_id: account.id, users: listed });
        await enqueueNotification(db, {
          event: 'seats.inactive_users',
          ...scope,
          data: { account_id: account.id, users: listed },
        });
      }
      if (failures.length > 0 && failures.length === accounts.length) {
        throw new Error(
          `seat usage could not be read for any account; first: ${failures[0]!.error}`,
        );
      }
      return { accounts: accounts.length, warnings, inactive_users: inactive, failures };
    },
  };
}
