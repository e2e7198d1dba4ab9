import { errors } from '../errors/error-catalogue.js';
import { rootOf, subtree } from '../model/account-tree.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { ObjectRecord } from '../model/records.js';
import type { KindRules, RuleContext } from './kind-rules.js';
import { personOf } from '../auth/principal.js';

/** Seats purchased by the top-level account (its `seat` limit); shared by its sub-accounts. */
export function seatsPurchased(
  repo: ObjectRepository,
  accountId: string,
  fallback: number,
): number {
  return repo.meta(rootOf(repo, accountId))?.limits.seat ?? fallback;
}

function seatLimitOf(repo: ObjectRepository, accountId: string): number | null {
  const rec = repo.get(accountId);
  const limit = rec?.kind === 'sub_account' ? rec.attributes.seat_limit : undefined;
  return typeof limit === 'number' ? limit : null;
}

function assignedIn(repo: ObjectRepository, accounts: readonly string[]): number {
  return accounts.reduce((n, id) => n + repo.count(id, 'seat'), 0);
}

/** The 85/95/97% rule: the threshold depends on how many seats the account can use. */
export function warningThreshold(capacity: number): 85 | 95 | 97 {
  if (capacity <= 50) return 85;
  if (capacity <= 100) return 95;
  return 97;
}

// "Inactive for over 3 months" (CPaaS Seats, "Inactive users with seats"): 90 days.
const INACTIVE_MS = 90 * 24 * 3600 * 1000;

/** The Seats page of one account: usage, warning and inactive users holding a seat. */
export function seatUsage(ctx: RuleContext, accountId: string, fallbackPurchased: number) {
  const { repo } = ctx;
  const purchased = seatsPurchased(repo, accountId, fallbackPurchased);
  const limit = seatLimitOf(repo, accountId);
  const tree = subtree(repo, accountId);
  const assigned = assignedIn(repo, tree);
  const treeAssigned = assignedIn(repo, subtree(repo, rootOf(repo, accountId)));
  const capacity = limit ?? purchased;
  const remaining = Math.max(0, Math.min(purchased - treeAssigned, capacity - assigned));
  const usage = purchased === 0 ? 0 : Math.round((assigned / purchased) * 10000) / 100;
  const threshold = warningThreshold(capacity);
  const inactive = [];
  for (const acct of tree) {
    for (const seat of repo.list(acct, 'seat')) {
      const user = repo.get(String(seat.attributes.user_id));
      if (!user) continue;
      const last = (user.generated.last_login_at as string | undefined) ?? null;
      const role = user.attributes.role;
      if (role === undefined || role === null) {
        inactive.push({ user_id: user.id, reason: 'no_role', last_login_at: last });
      } else if (ctx.now.getTime() - Date.parse(last ?? user.created_at) > INACTIVE_MS) {
        // Never logged in counts from the user's creation: a new user is not inactive yet.
        inactive.push({ user_id: user.id, reason: 'no_login', last_login_at: last });
      }
    }
  }
  return {
    account_id: accountId,
    purchased,
    assigned,
    remaining,
    seat_limit: limit,
    usage_percent: usage,
    warning_threshold_percent: threshold,
    warning_active: capacity > 0 && (assigned / capacity) * 100 >= threshold,
    inactive_users_with_seats: inactive,
  };
}

/**
 * A seat is one user's assignment. Refused: a user of another account, a second seat for the
 * same user, an assignment past the sub-account's seat limit or past the seats purchased by
 * the top-level account. Checks and the write happen in one synchronous step, so concurrent
 * assignments never overshoot.
 */
export function seatRules(fallbackPurchased: number): KindRules {
  return {
    check(ctx, change) {
      const { repo } = ctx;
      const accountId = change.accountId!;
      const userId = String(change.next.user_id);
      const user = repo.get(userId);
      if (!user || user.kind !== 'user' || user.account_id !== accountId) {
        throw errors.invalid(
          'user_id',
          'user_in_account',
          `user ${userId} is not a user of account ${accountId}`,
        );
      }
      if (change.op === 'update') {
        if (change.prev!.attributes.user_id !== userId) {
          throw errors.invalid(
            'user_id',
            'immutable',
            'a seat cannot move to another user; remove it and assign a new one',
          );
        }
        return change.prev!.generated;
      }
      for (const seat of repo.list(accountId, 'seat')) {
        if (seat.attributes.user_id === userId) {
          // Only a create gets here: a seat's user never changes.
          throw errors.alreadyExists('user_id', `user ${userId} already has seat ${seat.id}`, {
            account_id: accountId,
            id: seat.id,
          });
        }
      }
      const limit = seatLimitOf(repo, accountId);
      if (limit !== null && repo.count(accountId, 'seat') >= limit) {
        throw errors.limitReached(
          'seat_limit',
          'seat_limit',
          `account ${accountId} has assigned all ${limit} seats of its seat limit`,
        );
      }
      const purchased = seatsPurchased(repo, accountId, fallbackPurchased);
      if (assignedIn(repo, subtree(repo, rootOf(repo, accountId))) >= purchased) {
        throw errors.limitReached(
          'max_seats',
          'seats_purchased',
          `all ${purchased} purchased seats are assigned`,
        );
      }
      return { assigned_at: ctx.now.toISOString() };
    },
    afterWrite(ctx, rec, prev) {
      if (!prev) log(ctx, rec, 'seat_assigned');
    },
    beforeDelete(ctx, rec) {
      log(ctx, rec, 'seat_removed');
    },
  };
}

function log(ctx: RuleContext, seat: ObjectRecord, event: string): void {
  ctx.seatLog.add(seat.account_id!, ctx.now, {
    done_by: ctx.principal === 'console' ? 'console' : personOf(ctx.principal),
    event,
    impacted_user_id: seat.attributes.user_id,
  });
}
