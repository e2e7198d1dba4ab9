import { getKind } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { Database, ResourcesTable } from '../store/database.js';
import type { AttributeSchema } from './compare.js';
import { effectiveDriftPolicy, type StoredDriftPolicy } from './drift-policy.js';
import { platformSpec, type PlatformSpec } from './platform-spec.js';

type Row = Pick<
  ResourcesTable,
  'id' | 'kind' | 'account_id' | 'root_account_id' | 'external_id'
> & {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly observed: Readonly<Record<string, unknown>> | null;
};

/** The platform's view of one row's spec; null when the platform was never observed. */
export type PlatformSpecOf = (row: Row) => PlatformSpec | null;

/**
 * Everything {@link platformSpec} needs for `rows`, in two queries whatever their number: the
 * platform ids of every resource of their account trees (references both ways) and the drift
 * policies of those trees (ignored fields, combined as the scanner combines them).
 */
export async function loadPlatformSpecs(
  db: Kysely<Database>,
  rows: readonly Row[],
): Promise<PlatformSpecOf> {
  const roots = [...new Set(rows.filter((r) => r.observed !== null).map((r) => r.root_account_id))];
  if (roots.length === 0) return () => null;
  const [known, stored] = await Promise.all([
    db
      .selectFrom('resources')
      .select(['id', 'kind', 'external_id'])
      .where('root_account_id', 'in', roots)
      .where('external_id', 'is not', null)
      .execute(),
    db
      .selectFrom('drift_policies as p')
      .innerJoin('resources as r', 'r.id', 'p.target_id')
      .select(['p.target_id', 'p.mode', 'p.ignore_fields'])
      .where('r.root_account_id', 'in', roots)
      .execute(),
  ]);
  const platformIds = new Map(known.map((r) => [r.id, r.external_id!]));
  // Platform ids are unique per kind only: look them up under the kinds a reference allows.
  const telformIds = new Map(known.map((r) => [`${r.kind}:${r.external_id}`, r.id]));
  const policies = new Map<string, StoredDriftPolicy>(
    stored.map((p) => [p.target_id, { mode: p.mode, ignoreFields: p.ignore_fields }]),
  );
  const options = {
    toPlatformId: (id: string) => platformIds.get(id),
    toTelformId: (platformId: string, kinds: readonly string[]) =>
      kinds.map((k) => telformIds.get(`${k}:${platformId}`)).find((id) => id !== undefined),
  };
  return (row) => {
    if (row.observed === null) return null;
    const chain = [row.root_account_id];
    if (row.account_id !== null && row.account_id !== row.root_account_id)
      chain.push(row.account_id);
    if (row.id !== row.root_account_id) chain.push(row.id);
    const policy = effectiveDriftPolicy(chain.map((id) => policies.get(id)));
    const schema = getKind(row.kind).schema as AttributeSchema;
    return platformSpec(schema, row.spec, row.observed, {
      ...options,
      ignoreFields: policy.ignoreFields,
    });
  };
}
