import type { KindInfo } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';
import type { ObjectRepository } from './object-repository.js';
import type { Attrs } from './records.js';

/**
 * References on this platform carry platform ids (`u-42`), while the schema checks telform ids
 * (`user_01...`). Validation sees a well-formed placeholder instead, and the platform then
 * checks the real rule itself: the referenced object exists, in the same account, of a kind
 * the attribute allows.
 */
export function withPlaceholders(info: KindInfo, attrs: Attrs): Attrs {
  const out = structuredClone(attrs);
  for (const ref of info.references) {
    visit(out, ref.attribute.split('.'), (v) =>
      typeof v === 'string' ? `${ref.kinds[0]}_${'0'.repeat(26)}` : v,
    );
  }
  return out;
}

export function checkReferences(
  repo: ObjectRepository,
  info: KindInfo,
  attrs: Attrs,
  accountId: string | null,
): void {
  for (const ref of info.references) {
    if (ref.attribute === 'account_id') continue; // the path names the account
    visit(structuredClone(attrs), ref.attribute.split('.'), (v) => {
      if (typeof v !== 'string') return v;
      const target = repo.get(v);
      if (!target || !ref.kinds.includes(target.kind) || target.account_id !== accountId) {
        throw errors.invalid(
          ref.attribute,
          'reference',
          `${ref.attribute} must be the id of a ${ref.kinds.join(' or ')} of account ${accountId ?? ''}`,
        );
      }
      return v;
    });
  }
}

function visit(node: unknown, path: readonly string[], fn: (v: unknown) => unknown): void {
  if (path.length === 0 || typeof node !== 'object' || node === null) return;
  const [head, ...rest] = path as [string, ...string[]];
  const isArray = head.endsWith('[]');
  const key = isArray ? head.slice(0, -2) : head;
  const obj = node as Record<string, unknown>;
  if (!(key in obj)) return;
  if (isArray) {
    if (!Array.isArray(obj[key])) return;
    const arr = obj[key] as unknown[];
    for (let i = 0; i < arr.length; i++) {
      if (rest.length === 0) arr[i] = fn(arr[i]);
      else visit(arr[i], rest, fn);
    }
  } else if (rest.length === 0) {
    obj[key] = Array.isArray(obj[key]) ? (obj[key] as unknown[]).map(fn) : fn(obj[key]);
  } else {
    visit(obj[key], rest, fn);
  }
}
