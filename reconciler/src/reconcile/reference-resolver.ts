import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { ExternalIdCache } from './external-id-cache.js';
import { cloneJson, setAt, valuesAt } from '../store/attribute-paths.js';
import type { KindGraph } from './kind-graph.js';
import type { ResourceRow } from './work-queue.js';

export interface ResolvedReferences {
  /** Every reference has a platform id. */
  readonly ready: boolean;
  /** Spec with telform ids replaced by platform ids (where known). */
  readonly attributes: Record<string, unknown>;
  /** Platform id of the owning account or sub-account. */
  readonly accountExternalId?: string;
  /** Referenced telform ids with no platform id yet, for the condition message. */
  readonly pending: readonly string[];
}

/**
 * Turns telform ids in a spec into platform ids (from a cache of applied rows' platform ids, else
 * one read), and counts who still references a resource.
 */
export class ReferenceResolver {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly graph: KindGraph,
  ) {}

  private readonly cache = new ExternalIdCache();

  /** `id` was applied under `externalId` (this replica just recorded it). */
  applied(id: string, externalId: string): void {
    this.cache.set(id, externalId);
  }

  /** `row` failed or is gone: its own id and those it references are read again next time. */
  forget(row: ResourceRow): void {
    const info = this.graph.get(row.kind);
    const attributes = { ...row.spec, account_id: row.account_id };
    const ids = info.references
      .flatMap((ref) => expand(attributes, ref.attribute))
      .map((f) => f.id);
    this.cache.delete([row.id, ...ids]);
  }

  async resolve(row: ResourceRow): Promise<ResolvedReferences> {
    const info = this.graph.get(row.kind);
    const attributes = cloneJson(row.spec);
    if (row.account_id !== null) attributes.account_id = row.account_id;
    const found = info.references.flatMap((ref) => expand(attributes, ref.attribute));
    const ids = new Set(found.map((f) => f.id));
    const external = new Map<string, string>();
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached !== undefined) external.set(id, cached);
    }
    const unknown = [...ids].filter((id) => !external.has(id));
    const rows =
      unknown.length === 0
        ? []
        : await this.db
            .selectFrom('resources')
            .select(['id', 'external_id', 'applied_generation'])
            .where('id', 'in', unknown)
            .execute();
    // Applied at least once: the platform holds it under this external id.
    for (const r of rows) {
      if (r.external_id === null || r.applied_generation === 0) continue;
      external.set(r.id, r.external_id);
      this.cache.set(r.id, r.external_id);
    }
    for (const { replace, id } of found) {
      const platformId = external.get(id);
      if (platformId !== undefined) replace(platformId);
    }
    const pending = [...ids].filter((id) => !external.has(id)).sort();
    const accountExternalId = row.account_id === null ? undefined : external.get(row.account_id);
    return {
      ready: pending.length === 0,
      attributes,
      pending,
      ...(accountExternalId === undefined ? {} : { accountExternalId }),
    };
  }

  /**
   * Other rows of the same tree that name `row`: they must be gone first. Ids are unique random
   * strings, so a quoted id anywhere in a spec is a reference. `blocking` are those nobody asked
   * to delete (the first five ids, with their count): waiting for them would wait forever.
   */
  async dependents(row: ResourceRow): Promise<Dependents> {
    const quoted = `%${JSON.stringify(row.id)}%`;
    const result = await sql<{ total: string; blocking: string; first: string[] | null }>`
      select count(*)::text as total,
             count(*) filter (where deletion_requested_at is null)::text as blocking,
             (array_agg(id order by id) filter (where deletion_requested_at is null))[1:5] as first
        from resources
       where root_account_id = ${row.root_account_id}
         and id <> ${row.id}
         and (account_id = ${row.id} or spec::text like ${quoted})`.execute(this.db);
    const counts = result.rows[0];
    return {
      total: Number(counts?.total ?? 0),
      blocking: Number(counts?.blocking ?? 0),
      firstBlocking: counts?.first ?? [],
    };
  }
}

/** Rows that still reference a resource being deleted (ReferenceResolver.dependents). */
export interface Dependents {
  /** Every referencing row, deletion requested or not. */
  readonly total: number;
  /** Those with no deletion requested. */
  readonly blocking: number;
  /** The first five blocking ids, in id order. */
  readonly firstBlocking: readonly string[];
}

interface FoundReference {
  readonly id: string;
  /** Writes the platform id in place of the telform id (in the cloned attributes). */
  readonly replace: (platformId: string) => void;
}

// Every id an attribute path holds; an array of ids yields one entry per item.
function expand(attributes: Record<string, unknown>, attribute: string): FoundReference[] {
  return valuesAt(attributes, attribute).flatMap(({ path, value }): FoundReference[] => {
    if (typeof value === 'string')
      return [{ id: value, replace: (v) => setAt(attributes, path, v) }];
    if (!Array.isArray(value)) return [];
    const items: unknown[] = value;
    return items.flatMap((item, i): FoundReference[] =>
      typeof item === 'string' ? [{ id: item, replace: (v) => (items[i] = v) }] : [],
    );
  });
}
