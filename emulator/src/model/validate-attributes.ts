import { getKind, validateResource } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';
import type { ObjectRepository } from './object-repository.js';
import type { Attrs } from './records.js';
import { checkReferences, withPlaceholders } from './references.js';

/**
 * The platform checks every body against the kind's schema (the same rules its console shows)
 * and refuses with the first failure: a 422 naming the field and the rule. References are then
 * checked against the platform's own objects. Desired-only attributes (`password_wo_version`)
 * are telform's bookkeeping, unknown to a platform: one arriving here is refused, so a driver
 * that forgot to strip it fails loudly.
 */
export function validateAttributes(
  repo: ObjectRepository,
  kind: string,
  attrs: Attrs,
  mode: 'create' | 'update',
  accountId: string | null,
): void {
  const info = getKind(kind);
  for (const path of info.desiredOnly) {
    if (holds(attrs, path)) {
      throw errors.invalid(path, 'unknown_attribute', `${path} is not a platform attribute`);
    }
  }
  const result = validateResource(kind, withPlaceholders(info, attrs), mode);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw errors.invalid(first.field, first.rule, first.message);
  }
  checkReferences(repo, info, attrs, accountId);
}

// Whether a dotted attribute path (`authentication.password_wo_version`) holds a value.
function holds(attrs: Attrs, path: string): boolean {
  let node: unknown = attrs;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return node !== undefined;
}
