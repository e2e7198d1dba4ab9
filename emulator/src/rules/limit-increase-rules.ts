import { errors } from '../errors/error-catalogue.js';
import { rootOf } from '../model/account-tree.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import type { KindRules } from './kind-rules.js';

/** The kind a limit name counts (`max_users` -> user), among the platform's limits. */
export function kindOfLimit(defaults: Readonly<Record<string, number>>, name: string) {
  return Object.keys(defaults).find((k) => `max_${k.endsWith('s') ? k : `${k}s`}` === name);
}

/** Where a kind's limit is kept: seats are purchased by the top-level account, the rest per account. */
const ownerOf = (repo: ObjectRepository, accountId: string, kind: string) =>
  kind === 'seat' ? rootOf(repo, accountId) : accountId;

/** The value of limit `kind` that the platform applies to `accountId` now. */
export function currentLimit(
  repo: ObjectRepository,
  defaults: Readonly<Record<string, number>>,
  accountId: string,
  kind: string,
): number {
  return repo.meta(ownerOf(repo, accountId, kind))?.limits[kind] ?? defaults[kind] ?? 0;
}

/** The vendor's decision on a pending request; an approval raises the limit. */
export function decide(
  repo: ObjectRepository,
  defaults: Readonly<Record<string, number>>,
  rec: ObjectRecord,
  decision: 'approved' | 'rejected',
  note: string,
  now: Date,
): ObjectRecord {
  if (rec.generated.status !== 'pending') {
    throw errors.conflict(
      'status',
      'pending',
      `request ${rec.id} is already ${String(rec.generated.status)}`,
    );
  }
  const kind = kindOfLimit(defaults, String(rec.attributes.limit))!;
  if (decision === 'approved') {
    const owner = ownerOf(repo, rec.account_id!, kind);
    const meta = repo.meta(owner);
    if (!meta) throw errors.notFound(`account ${owner}`);
    repo.putMeta({ ...meta, limits: { ...meta.limits, [kind]: Number(rec.attributes.requested) } });
  }
  const generated: Attrs = {
    ...rec.generated,
    status: decision,
    decided_at: now.toISOString(),
    ...(note === '' ? {} : { decision_note: note }),
  };
  const next: ObjectRecord = { ...rec, generated, updated_at: now.toISOString() };
  repo.put(next);
  return next;
}

/**
 * Limit increase requests: each asks for more than the current limit, one pending request per
 * limit and account; a request is never edited (telform replaces it). The vendor decides
 * through `decide` (its staff), and `current_limit` always shows the value applied now.
 */
export function limitIncreaseRules(defaults: Readonly<Record<string, number>>): KindRules {
  return {
    check(ctx, change) {
      if (change.op === 'update') {
        for (const name of ['limit', 'requested', 'reason']) {
          if (change.prev!.attributes[name] !== change.next[name]) {
            throw errors.invalid(
              name,
              'immutable',
              'a limit increase request cannot be edited; submit a new one',
            );
          }
        }
        return change.prev!.generated;
      }
      const accountId = change.accountId!;
      const name = String(change.next.limit);
      const kind = kindOfLimit(defaults, name);
      if (!kind)
        throw errors.invalid('limit', 'known_limit', `${name} is not a limit of this platform`);
      const current = currentLimit(ctx.repo, defaults, accountId, kind);
      if (Number(change.next.requested) <= current) {
        throw errors.invalid(
          'requested',
          'above_current_limit',
          `requested must be more than the current ${name} (${current})`,
        );
      }
      for (const other of ctx.repo.list(accountId, 'limit_increase_request')) {
        if (other.attributes.limit === name && other.generated.status === 'pending') {
          throw errors.conflict('limit', 'one_pending', `${other.id} for ${name} is still pending`);
        }
      }
      return { status: 'pending', submitted_at: ctx.now.toISOString() };
    },
    computed(ctx, rec) {
      const kind = kindOfLimit(defaults, String(rec.attributes.limit));
      return kind ? { current_limit: currentLimit(ctx.repo, defaults, rec.account_id!, kind) } : {};
    },
  };
}
