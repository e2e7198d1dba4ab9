import type { KindInfo } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

type Data = Record<string, unknown>;

/**
 * Platform data names objects by platform id (`u-42`); the data sources promise telform ids.
 * Every computed attribute with `x-telform-references` (`entries[].impacted_user_id`,
 * `inactive_users_with_seats[].user_id`) gets the telform id (null when telform does not manage
 * the object), and the platform's id moves to `platform_<name>` beside it.
 */
export async function withTelformIds(
  db: Kysely<Database>,
  info: KindInfo,
  data: Data,
): Promise<Data> {
  // Nested attributes are computed when their array is (`entries` is readOnly, its items not).
  const computed = (path: string) =>
    info.computed.some((c) => path === c || path.startsWith(`${c}[].`) || path.startsWith(`${c}.`));
  const slots = info.references
    .filter((r) => computed(r.attribute))
    .map((r) => ({ ...r, ...split(r.attribute) }));
  if (slots.length === 0) return data;
  const wanted = new Set<string>();
  const kinds = new Set<string>();
  for (const slot of slots) {
    for (const item of itemsOf(data, slot.array)) {
      const v = item[slot.field];
      if (typeof v === 'string') wanted.add(v);
    }
    for (const k of slot.kinds) kinds.add(k);
  }
  const byExternal = await telformIdsOf(db, [...kinds], [...wanted]);
  const swap = (item: Data, slot: (typeof slots)[number]): Data => {
    const platformId = item[slot.field];
    const telformId =
      typeof platformId === 'string'
        ? (slot.kinds.map((k) => byExternal.get(`${k}:${platformId}`)).find(Boolean) ?? null)
        : null;
    return { ...item, [slot.field]: telformId, [`platform_${slot.field}`]: platformId ?? null };
  };
  let out = data;
  for (const slot of slots) {
    if (slot.array === null) out = swap(out, slot);
    else out = { ...out, [slot.array]: itemsOf(out, slot.array).map((i) => swap(i, slot)) };
  }
  return out;
}

// `entries[].user_id` -> array `entries`, field `user_id`; `user_id` -> top level.
function split(path: string): { array: string | null; field: string } {
  const m = /^([^.[\]]+)\[\]\.([^.[\]]+)$/.exec(path);
  return m ? { array: m[1]!, field: m[2]! } : { array: null, field: path };
}

function itemsOf(data: Data, array: string | null): Data[] {
  if (array === null) return [data];
  const v = data[array];
  return Array.isArray(v) ? (v.filter((i) => i && typeof i === 'object') as Data[]) : [];
}

async function telformIdsOf(
  db: Kysely<Database>,
  kinds: readonly string[],
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (externalIds.length === 0) return out;
  const rows = await db
    .selectFrom('resources')
    .select(['id', 'kind', 'external_id'])
    .where('kind', 'in', kinds)
    .where('external_id', 'in', externalIds)
    .execute();
  for (const r of rows) out.set(`${r.kind}:${r.external_id}`, r.id);
  return out;
}
