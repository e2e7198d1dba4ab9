import { randomBytes, randomInt } from 'node:crypto';
import type { Attrs, ObjectRecord } from '../model/records.js';

/** The generated attributes of each connection method that has any. */
const fieldsOf: Readonly<Record<string, readonly string[]>> = {
  dial_in: ['dial_in_id', 'dial_in_pin'],
  sip_phone: ['sip_username', 'sip_password', 'sip_registrar'],
};
const allFields = Object.values(fieldsOf).flat();

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const methodOf = (attrs: Attrs) => (attrs.connection_method as { type?: string } | undefined)?.type;

/**
 * The credentials the dialer generates for a user's connection method (dial-in: an
 * identification number and a PIN; SIP phone: what the device needs to register). They stay
 * the same while the method does, so a configured phone keeps working across other edits; a
 * new method gets new ones and the old method's are discarded.
 */
export function connectionCredentials(
  next: Attrs,
  prev: ObjectRecord | undefined,
  registrarHost: string,
): Attrs {
  const kept: Attrs = { ...(prev?.generated ?? {}) };
  for (const f of allFields) delete kept[f];
  const method = methodOf(next);
  if (prev && methodOf(prev.attributes) === method && method && fieldsOf[method]) {
    for (const f of fieldsOf[method]) kept[f] = prev.generated[f];
    return kept;
  }
  if (method === 'dial_in') return { ...kept, dial_in_id: digits(8), dial_in_pin: digits(6) };
  if (method === 'sip_phone') {
    return {
      ...kept,
      sip_username: `sip${digits(10)}`,
      sip_password: randomBytes(18).toString('base64url'),
      sip_registrar: registrarHost,
    };
  }
  return kept;
}
