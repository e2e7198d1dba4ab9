import { errors } from '../errors/error-catalogue.js';
import { connectionCredentials } from './connection-credentials.js';
import { deleteSeatsOf } from './user-seats.js';
import type { Change, KindRules, RuleContext } from './kind-rules.js';

const extensionOf = (attrs: Record<string, unknown>) =>
  (attrs.connection_method as { extension?: string } | undefined)?.extension;

/** Extensions have the account's extension length (telephony settings) and are unique. */
function checkExtension(ctx: RuleContext, change: Change): void {
  const ext = extensionOf(change.next);
  if (ext === undefined) return;
  const settings = ctx.repo.list(change.accountId, 'telephony_settings').next().value;
  const length = settings?.attributes.extension_length;
  if (typeof length === 'number' && ext.length !== length) {
    throw errors.invalid(
      'connection_method.extension',
      'extension_length',
      `connection_method.extension must have ${length} digits (the account's extension length)`,
    );
  }
  for (const other of ctx.repo.list(change.accountId, 'user')) {
    if (other.id !== change.id && extensionOf(other.attributes) === ext) {
      throw errors.conflict(
        'connection_method.extension',
        'unique',
        `extension ${ext} belongs to ${other.id}`,
      );
    }
  }
}

/**
 * Users: the email's domain must be one of the account's allowed user domains when it has any;
 * logins and extensions are unique within an account, extensions have the account's length; the
 * connection method's credentials are generated (see connectionCredentials). Deleting a user
 * frees their seat.
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
    checkExtension(ctx, change);
    for (const other of ctx.repo.list(accountId, 'user')) {
      if (other.id !== change.id && other.attributes.login === change.next.login) {
        const message = `login "${String(change.next.login)}" is taken by ${other.id}`;
        if (change.op === 'create') {
          throw errors.alreadyExists('login', message, { account_id: accountId, id: other.id });
        }
        throw errors.conflict('login', 'unique', message);
      }
    }
    return connectionCredentials(
      change.next,
      change.prev,
      `sip.${new URL(ctx.publicUrl).hostname}`,
    );
  },
  // My Account overrides the client account settings: the user's own value, else the nearest
  // account up the tree that sets it (a sub-account has no country of its own).
  computed(ctx, rec) {
    const out: Record<string, unknown> = {};
    for (const name of ['country', 'language', 'time_zone'] as const) {
      const value = rec.attributes[name] ?? inherited(ctx, rec.account_id, name);
      if (value !== undefined) out[`effective_${name}`] = value;
    }
    return out;
  },
  beforeDelete(ctx, rec) {
    deleteSeatsOf(ctx, rec);
  },
};

function inherited(ctx: RuleContext, accountId: string | null, name: string): unknown {
  let at = accountId ? ctx.repo.get(accountId) : undefined;
  for (let depth = 0; at && depth < 32; depth++) {
    if (at.attributes[name] !== undefined) return at.attributes[name];
    at = at.account_id ? ctx.repo.get(at.account_id) : undefined;
  }
  return undefined;
}
