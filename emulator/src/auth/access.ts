import { errors } from '../errors/error-catalogue.js';
import { rootOf, subtree } from '../model/account-tree.js';
import type { ObjectRecord } from '../model/records.js';
import type { Platform } from '../services/platform.js';
import { bearerKey, hashKey, sameKey } from './principal.js';
import type { Principal } from './principal.js';

/** Resolves the caller from `Authorization: Bearer <key>`; undefined when the key is unknown. */
export function authenticate(
  p: Platform,
  authorization: string | undefined,
): Principal | undefined {
  const key = bearerKey(authorization);
  if (!key) return undefined;
  if (sameKey(key, p.config.partnerKey)) return { type: 'partner', partnerHash: hashKey(key) };
  if (p.config.staffKey && sameKey(key, p.config.staffKey)) return { type: 'staff' };
  const accountId = p.repo.accountByKeyHash(hashKey(key));
  return accountId ? { type: 'account', accountId } : undefined;
}

/**
 * The account at `accountId`, if the caller may act on it: the partner on every account it
 * created (and their sub-accounts), staff on every account, an account key on its own account
 * and its sub-accounts. A disabled sub-account refuses its own key. Others get 404, so keys
 * cannot probe which accounts exist.
 */
export function accessibleAccount(
  p: Platform,
  principal: Principal,
  accountId: string,
): ObjectRecord {
  const rec = p.repo.get(accountId);
  if (!rec || (rec.kind !== 'account' && rec.kind !== 'sub_account')) {
    throw errors.notFound(`account ${accountId}`);
  }
  if (principal.type === 'staff') return rec;
  if (principal.type === 'partner') {
    if (p.repo.meta(rootOf(p.repo, accountId))?.partner_hash !== principal.partnerHash) {
      throw errors.notFound(`account ${accountId}`);
    }
    return rec;
  }
  if (!subtree(p.repo, principal.accountId).includes(accountId))
    throw errors.notFound(`account ${accountId}`);
  if (principal.accountId === accountId && rec.attributes.enabled === false) {
    throw errors.accountDisabled(accountId);
  }
  return rec;
}
