import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/** A phone (MAC address) is registered once on the platform, across all accounts. */
export const deviceRules: KindRules = {
  check(ctx, change) {
    const mac = String(change.next.mac_address).toLowerCase();
    for (const other of ctx.repo.allOfKind('device')) {
      if (other.id !== change.id && String(other.attributes.mac_address).toLowerCase() === mac) {
        const message = `a device with this MAC address is registered as ${other.id}`;
        if (change.op === 'create') {
          throw errors.alreadyExists('mac_address', message, {
            account_id: other.account_id,
            id: other.id,
          });
        }
        throw errors.conflict('mac_address', 'unique', message);
      }
    }
    return change.prev?.generated ?? {};
  },
};
