import { getKind } from '@telform/schemas';
import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';
import type { AttributeSchema } from './compare.js';
import type { KnownResource, StoredPolicyRow } from './load-platform-specs.js';

const pathsByKind = new Map<string, readonly string[]>();

/**
 * The reference attributes of `kind` (`x-telform-references`, at any depth of nested objects)
 * as SQL/JSON paths to their string values: a value that is an array is unwrapped by `[*]`, one
 * that is not is taken as it is (lax mode), which is what loadPlatformSpecs' referenceValues
 * collects, or more (arrays of objects are unwrapped too; more is harmless, see
 * platformSpecsFrom).
 */
function referencePaths(kind: string): readonly string[] {
  let paths = pathsByKind.get(kind);
  if (paths) return paths;
  const out: string[] = [];
  const walk = (schema: AttributeSchema, prefix: string) => {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const path = `${prefix}.${JSON.stringify(name)}`;
      if (prop['x-telform-references']) out.push(`${path}[*] ? (@.type() == "string")`);
      else if (prop.properties) walk(prop, path);
    }
  };
  walk(getKind(kind).schema as AttributeSchema, '$');
  paths = out;
  pathsByKind.set(kind, paths);
  return paths;
}

/** The columns {@link platformViewColumns} adds to a row. */
export interface PlatformViewColumns {
  readonly platform_known: readonly KnownResource[];
  readonly platform_policies: readonly StoredPolicyRow[];
}

/**
 * Two columns for a select of one kind's rows from `resources as r` that carry what
 * platformSpecsFrom needs for each row: the resources its reference attributes name (by telform
 * id in the spec, by platform id in the observed document) and the drift policies along its
 * owner chain. A read of one resource is then one statement instead of two (the row, then its
 * view): on PGlite each statement holds the event loop, on Postgres each is a round trip.
 * Rows never observed get empty lists (they need no view). The references are matched as
 * `= any(array(...))`, not `in (...)`: an array is one value the planner can probe an index
 * with (the primary key for ids, resources_root_external for platform ids), where `in` over a
 * subquery became a hashed filter on a scan of the whole account (5 ms at 100,000 rows).
 */
export function platformViewColumns(
  kind: string,
): [
  AliasedRawBuilder<KnownResource[], 'platform_known'>,
  AliasedRawBuilder<StoredPolicyRow[], 'platform_policies'>,
] {
  const paths = referencePaths(kind);
  const refs: RawBuilder<unknown> =
    paths.length === 0
      ? sql`select null::text where false`
      : sql.join(
          paths.flatMap((p) => [
            sql`select jsonb_path_query(r.spec, ${sql.lit(p)}) #>> '{}'`,
            sql`select jsonb_path_query(r.observed, ${sql.lit(p)}) #>> '{}'`,
          ]),
          sql` union all `,
        );
  return [
    sql<
      KnownResource[]
    >`(select coalesce(json_agg(json_build_object('id', k.id, 'kind', k.kind, 'external_id', k.external_id)), '[]'::json)
      from resources k
      where r.observed is not null and k.root_account_id = r.root_account_id
        and k.external_id is not null
        and (k.id = any(array(${refs})) or k.external_id = any(array(${refs}))))`.as(
      'platform_known',
    ),
    sql<
      StoredPolicyRow[]
    >`(select coalesce(json_agg(json_build_object('target_id', p.target_id, 'mode', p.mode, 'ignore_fields', p.ignore_fields)), '[]'::json)
      from drift_policies p
      where r.observed is not null and p.target_id in (r.root_account_id, r.account_id, r.id))`.as(
      'platform_policies',
    ),
  ];
}
