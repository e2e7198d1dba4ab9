import { createHash, timingSafeEqual } from 'node:crypto';
import { errors } from '../errors/error-catalogue.js';

/**
 * Who is calling: the partner (reseller), the vendor's staff, or one account's own key; and,
 * when the caller says so (`X-Telform-Actor`), the person or tool acting behind that key.
 */
export type Principal = (
  | { readonly type: 'partner'; readonly partnerHash: string }
  | { readonly type: 'staff' }
  | { readonly type: 'account'; readonly accountId: string }
) & { readonly person?: string };

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sameKey(a: string, b: string): boolean {
  const ha = Buffer.from(hashKey(a), 'hex');
  const hb = Buffer.from(hashKey(b), 'hex');
  return timingSafeEqual(ha, hb);
}

/** The actor name written in the activity log (never the key itself). */
export function actorOf(p: Principal | undefined): string {
  if (!p) return 'anonymous';
  if (p.type === 'account') return `account:${p.accountId}`;
  return p.type;
}

/**
 * Who the histories (deletion history, seat log) show: the person behind the key when the
 * caller named one, otherwise the key's own actor name.
 */
export function personOf(p: Principal | undefined): string {
  return p?.person ?? actorOf(p);
}

// Control characters (C0 and DEL) would garble a history line.
// eslint-disable-next-line no-control-regex
const ACTOR = /^[^\u0000-\u001f\u007f]{1,128}$/;
const refuse = () =>
  errors.badRequest(
    'X-Telform-Actor must be a percent-encoded name of 1-128 characters without control characters',
    'X-Telform-Actor',
    'actor_name',
  );

/**
 * The `X-Telform-Actor` header: a name percent-encoded (as `encodeURIComponent` does, so any
 * name fits in a header), 1-128 characters once decoded, no control characters; undefined when
 * absent. Anything else is refused (400), so a history never shows a mangled name.
 */
export function actorHeader(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(Array.isArray(raw) ? raw.join(',') : raw).trim();
  } catch {
    throw refuse();
  }
  if (!ACTOR.test(name)) throw refuse();
  return name;
}

/** Takes the key from `Authorization: Bearer <key>`. */
export function bearerKey(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * The actor of a console request: `console:<user>` when the caller names the console user
 * (`X-Console-User`, an email or login name), else `console`. Anything else is refused as a
 * name so the log never carries control characters or a smuggled key.
 */
export function consoleActorOf(header: string | string[] | undefined): string {
  const user = Array.isArray(header) ? header[0] : header;
  return user && /^[A-Za-z0-9._%+@-]{1,128}$/.test(user) ? `console:${user}` : 'console';
}
