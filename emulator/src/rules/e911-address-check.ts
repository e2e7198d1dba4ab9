import { errors } from '../errors/error-catalogue.js';
import type { Attrs } from '../model/records.js';

/** What the carrier's E911 database says about an address it accepted. */
export interface E911Verdict {
  readonly e911_validated: boolean;
  /** Why the address is not validated; absent once it is. */
  readonly e911_validation_reason?: string;
}

// The carrier's coverage: the countries whose address databases it matches against, each with
// its postal code format.
const postalFormats: Readonly<Record<string, RegExp>> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
  FR: /^\d{5}$/,
  DE: /^\d{5}$/,
  ES: /^\d{5}$/,
  IT: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/i,
  BE: /^\d{4}$/,
  AU: /^\d{4}$/,
};

// Where dispatch is by state or province, the carrier needs it to route the call to a PSAP.
const regions: Readonly<Record<string, ReadonlySet<string>>> = {
  US: new Set(
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY'.split(
      ' ',
    ),
  ),
  CA: new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ')),
};

const poBox = /\b(p\.?\s*o\.?\s*box|post\s+office\s+box|bo[iî]te\s+postale)\b/i;

/**
 * Checks an E911 address as a carrier does before it accepts it for emergency calls. It refuses
 * (throws a 422 naming the field) what can never be dispatched to: a PO box, or a postal code
 * that is not of the country's format. It accepts but flags (validated false, with the reason)
 * what it cannot match: a country outside its coverage, a US or Canadian address without a valid
 * state or province, a street line without a street number.
 */
export function checkE911Address(address: Attrs): E911Verdict {
  const country = String(address.country);
  const line1 = String(address.line1);
  if (poBox.test(line1) || poBox.test(String(address.line2 ?? ''))) {
    throw errors.invalid(
      'e911_address.line1',
      'e911_dispatchable',
      'e911_address must be a street address emergency services can be sent to, not a PO box',
    );
  }
  const format = postalFormats[country];
  if (format && !format.test(String(address.postal_code))) {
    throw errors.invalid(
      'e911_address.postal_code',
      'e911_postal_code',
      `e911_address.postal_code "${String(address.postal_code)}" is not a ${country} postal code`,
    );
  }
  if (!format) {
    return {
      e911_validated: false,
      e911_validation_reason: `the carrier's E911 database does not cover country ${country}; emergency calls are routed on the caller's number only`,
    };
  }
  const known = regions[country];
  if (known && !known.has(String(address.region ?? '').toUpperCase())) {
    return {
      e911_validated: false,
      e911_validation_reason: `the carrier needs e911_address.region, the ${country} ${country === 'US' ? 'state' : 'province'} code (such as ${[...known][0]}), to route emergency calls`,
    };
  }
  if (!/\d/.test(line1)) {
    return {
      e911_validated: false,
      e911_validation_reason:
        'the carrier could not match e911_address.line1 to a street address: it has no street number',
    };
  }
  return { e911_validated: true };
}
