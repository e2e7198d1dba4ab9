import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/**
 * Domains: email-address domains are created by the vendor's staff only (clients may view and
 * delete them); a name appears once per account and purpose.
 */
export const domainRules: KindRules = {
  check(ctx, change) {
    const isStaff = ctx.principal !== 'console' && ctx.principal.type === 'staff';
    if (change.next.kind === 'email_address' && change.op === 'create' && !isStaff) {
      throw errors.forbidden(
        'email-address domains can only be added by the vendor staff; clients may view and delete them',
        'kind',
        'staff_only',
      );
    }
    if (change.op === 'update' && change.prev!.attributes.kind !== change.next.kind) {
      throw errors.invalid('kind', 'immutable', 'a domain cannot change its kind');
    }
    for (const d of ctx.repo.list(change.accountId!, 'domain')) {
      if (
        d.id !== change.id &&
        d.attributes.kind === change.next.kind &&
        d.attributes.name === change.next.name
      ) {
        const message = `${String(change.next.kind)} domain "${String(change.next.name)}" exists as ${d.id}`;
        if (change.op === 'create') {
          throw errors.alreadyExists('name', message, { account_id: change.accountId!, id: d.id });
        }
        throw errors.conflict('name', 'unique', message);
      }
    }
    return change.prev?.generated ?? {};
  },
};
