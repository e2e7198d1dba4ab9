import { getKind } from '@telform/schemas';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database, ResourcesTable } from '../store/database.js';
import { asRecord, type AttributeSchema } from './compare.js';
import { effectiveDriftPolicy, ownerChain, type StoredDriftPolicy } from './drift-policy.js';
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
 * Everything {@link platformSpec} needs for `rows`, in one statement whatever their number: the
 * resources their reference attributes name (by telform id in the spec, by platform id in the
 * observed document) and the drift policies along each row's owner chain (ignored fields,
 * combined as the scanner combines them). Rows never observed need nothing (no statement).
 */
export async function loadPlatformSpecs(
  db: Kysely<Database>,
  rows: readonly Row[],
): Promise<PlatformSpecOf> {
  const seen = rows.filter((r) => r.observed !== null);
  if (seen.length === 0) return () => null;
  const roots = [...new Set(seen.map((r) => r.root_account_id))];
  const refs = new Set<string>();
  for (const r of seen) {
    referenceValues(getKind(r.kind).schema as AttributeSchema, r.spec, r.observed!, refs);
  }
  const targets = [...new Set(seen.flatMap(ownerChain))];
  const loaded = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('resources')
          .select(['id', 'kind', 'external_id'])
          .where('root_account_id', 'in', roots)
          .where('external_id', 'is not', null)
          // No reference to resolve: an empty listing, still in this one statement.
          .where((w) =>
            refs.size === 0
              ? sql<boolean>`false`
              : w.or([w('id', 'in', [...refs]), w('external_id', 'in', [...refs])]),
          ),
      ).as('known'),
      jsonArrayFrom(
        eb
          .selectFrom('drift_policies')
          .select(['target_id', 'mode', 'ignore_fields'])
          .where('target_id', 'in', targets),
      ).as('stored'),
    ])
    .executeTakeFirstOrThrow();
  return platformSpecsFrom(
    loaded.known as readonly KnownResource[],
    loaded.stored as readonly StoredPolicyRow[],
  );
}

/** A resource a reference may name, as the platform view's statement loads it. */
export interface KnownResource {
  readonly id: string;
  readonly kind: string;
  readonly external_id: string;
}

/** A stored drift policy, as the platform view's statement loads it. */
export interface StoredPolicyRow {
  readonly target_id: string;
  readonly mode: StoredDriftPolicy['mode'];
  readonly ignore_fields: StoredDriftPolicy['ignoreFields'];
}

/**
 * The platform view of rows from what their statement loaded: `known` must hold at least the
 * resources the rows' references name (more is harmless: lookups are by exact id, or by kind and
 * platform id), `stored` the drift policies along each row's owner chain.
 */
export function platformSpecsFrom(
  known: readonly KnownResource[],
  stored: readonly StoredPolicyRow[],
): PlatformSpecOf {
  const platformIds = new Map(known.map((r) => [r.id, r.external_id]));
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
    const policy = effectiveDriftPolicy(ownerChain(row).map((id) => policies.get(id)));
    const schema = getKind(row.kind).schema as AttributeSchema;
    return platformSpec(schema, row.spec, row.observed, {
      ...options,
      ignoreFields: policy.ignoreFields,
    });
  };
}

/**
 * Adds to `out` every string held by a reference attribute (`x-telform-references`) of `spec`
 * or `observed`, at any depth of nested objects: the only ids platformSpec translates.
 */
function referenceValues(
  schema: AttributeSchema,
  spec: Readonly<Record<string, unknown>>,
  observed: Readonly<Record<string, unknown>>,
  out: Set<string>,
): void {
  const add = (v: unknown) => {
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') out.add(x);
  };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (prop['x-telform-references']) {
      add(spec[name]);
      add(observed[name]);
    } else if (prop.properties) {
      referenceValues(prop, asRecord(spec[name]), asRecord(observed[name]), out);
    }
  }
}
