import type { Kysely } from 'kysely';
import type { KindInfo } from '@telform/schemas';
import type { Database } from './database.js';
import { rowInTree, type AccountTree } from './account-scope.js';
import { valuesAt } from './attribute-paths.js';
import type { FieldError } from './store-error.js';

export interface ReferenceCheck {
  readonly errors: FieldError[];
  /** Root account of the resource's `account_id` (undefined when it has none or it is broken). */
  readonly root?: string;
}

/**
 * Checks that every `x-telform-references` attribute names an existing resource of an allowed
 * kind, visible in `scope` (null: everything), not being deleted, and in one account tree with
 * the resource's own `account_id`. A missing or invisible target reads the same: it does not
 * exist for this caller.
 */
export async function checkReferences(
  db: Kysely<Database>,
  info: KindInfo,
  attributes: Readonly<Record<string, unknown>>,
  scope: AccountTree | null,
): Promise<ReferenceCheck> {
  const errors: FieldError[] = [];
  const targets: Array<{ field: string; id: string; kinds: readonly string[] }> = [];
  for (const ref of info.references) {
    for (const { path, value } of valuesAt(attributes, ref.attribute)) {
      for (const [i, item] of (Array.isArray(value) ? value : [value]).entries()) {
        const field = Array.isArray(value) ? `${path}[${i}]` : path;
        if (typeof item === 'string') targets.push({ field, id: item, kinds: ref.kinds });
      }
    }
  }
  if (targets.length === 0) return { errors };
  const rows = await db
    .selectFrom('resources')
    .select(['id', 'kind', 'account_id', 'root_account_id', 'deletion_requested_at'])
    .where(
      'id',
      'in',
      targets.map((t) => t.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ownerRoot = byId.get(String(attributes.account_id))?.root_account_id;
  for (const target of targets) {
    const row = byId.get(target.id);
    const what = target.kinds.join(' or ');
    if (!row || !target.kinds.includes(row.kind) || (scope && !rowInTree(row, scope))) {
      errors.push({
        field: target.field,
        rule: 'reference',
        message: `${target.field} must be the id of an existing ${what}; ${target.id} is not one`,
      });
    } else if (row.deletion_requested_at !== null) {
      errors.push({
        field: target.field,
        rule: 'reference_deleting',
        message: `${target.field} refers to ${target.id}, which is being deleted`,
      });
    } else if (ownerRoot !== undefined && row.root_account_id !== ownerRoot) {
      errors.push({
        field: target.field,
        rule: 'reference_account',
        message: `${target.field} refers to ${target.id}, which belongs to another account tree`,
      });
    }
  }
  return errors.length === 0 ? { errors, root: ownerRoot } : { errors };
}
