import { errors } from '../errors/error-catalogue.js';
import { deleteSeatsOf } from './user-seats.js';
import type { KindRules } from './kind-rules.js';

/**
 * Users: the email's domain must be one of the account's allowed user domains when it has any;
 * logins are unique within an account. Deleting a user frees their seat.
 */
export const userRules: KindRules = {
  check(ctx, change) {
    const accountId = change.accountId!;
    const email = String(change.next.email ?? '');
    const allowed = [...ctx.repo.list(accountId, 'domain')]
      .filter((d) => d.attributes.kind === 'allowed_user')
      .map((d) => String(d.attributes.name).toLowerCase());
    const domain = email.split('@').pop()!.toLowerCase();
    if (allowed.length > 0 && !allowed.includes(domain)) {
      throw errors.invalid(
        'email',
        'allowed_user_domain',
        `email domain "${domain}" is not one of the account's allowed user domains (${allowed.join(', ')})`,
      );
    }
    for (const other of ctx.repo.list(accountId, 'user')) {
      if (other.id !== change.id && other.attributes.login === change.next.login) {
        throw errors.conflict(
          'login',
          'unique',
          `login "${String(change.next.login)}" is taken by ${other.id}`,
        );
      }
    }
    return change.prev?.generated ?? {};
  },
  beforeDelete(ctx, rec) {
    deleteSeatsOf(ctx, rec);
  },
};
