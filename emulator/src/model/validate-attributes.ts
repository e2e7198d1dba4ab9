import { getKind, validateResource } from '@telform/schemas';
import { errors } from '../errors/error-catalogue.js';
import type { ObjectRepository } from './object-repository.js';
import type { Attrs } from './records.js';
import { checkReferences, withPlaceholders } from './references.js';

/**
 * The platform checks every body against the kind's schema (the same rules its console shows)
 * and refuses with the first failure: a 422 naming the field and the rule. References are then
 * checked against the platform's own objects.
 */
export function validateAttributes(
  repo: ObjectRepository,
  kind: string,
  attrs: Attrs,
  mode: 'create' | 'update',
  accountId: string | null,
): void {
  const info = getKind(kind);
  const result = validateResource(kind, withPlaceholders(info, attrs), mode);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw errors.invalid(first.field, first.rule, first.message);
  }
  checkReferences(repo, info, attrs, accountId);
}
