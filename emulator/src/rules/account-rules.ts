import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/** A sub-account's seat limit may not drop below the seats it has already assigned. */
export const subAccountRules: KindRules = {
  check(ctx, change) {
    const limit = change.next.seat_limit;
    if (change.op === 'update' && typeof limit === 'number') {
      const assigned = ctx.repo.count(change.id, 'seat');
      if (limit < assigned) {
        throw errors.conflict(
          'seat_limit',
          'not_below_assigned',
          `seat_limit ${limit} is below the ${assigned} seats already assigned in ${change.id}`,
        );
      }
    }
    return change.prev?.generated ?? {};
  },
};
