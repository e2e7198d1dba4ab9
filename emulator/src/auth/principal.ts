import { createHash, timingSafeEqual } from 'node:crypto';

/** Who is calling: the partner (reseller), the vendor's staff, or one account's own key. */
export type Principal =
  | { readonly type: 'partner'; readonly partnerHash: string }
  | { readonly type: 'staff' }
  | { readonly type: 'account'; readonly accountId: string };

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
