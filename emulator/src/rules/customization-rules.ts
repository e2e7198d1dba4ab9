import { isDeepStrictEqual } from 'node:util';
import { errors } from '../errors/error-catalogue.js';
import type { KindRules } from './kind-rules.js';

/**
 * Customization cannot be edited in place: the vendor requires deleting it and creating a new
 * one. Writing the same values again is accepted (an idempotent retry).
 */
export const customizationRules: KindRules = {
  check(_ctx, change) {
    if (change.op === 'update' && !isDeepStrictEqual(change.next, change.prev!.attributes)) {
      throw errors.conflict(
        'customization',
        'delete_and_recreate',
        'a customization cannot be changed; delete it and create a new one',
      );
    }
    return change.prev?.generated ?? {};
  },
};
