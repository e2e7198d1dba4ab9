import type { Attrs } from '../model/records.js';
import { checkE911Address } from './e911-address-check.js';
import type { KindRules } from './kind-rules.js';

/** Locations: every write of the E911 address goes through the carrier's check. */
export const locationRules: KindRules = {
  check(_ctx, change) {
    return { ...checkE911Address(change.next.e911_address as Attrs) };
  },
};
