import { getKind, managedKinds } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { InventoryDriver } from '../driver/platform-driver.js';
import { forEachConcurrently } from '../drift/for-each-concurrently.js';
import { listPlatformInventory, type PlatformObject } from '../drift/platform-inventory.js';
import type { Database } from '../store/database.js';

/** One platform object of an exported account, and the telform resource managing it, if any. */
export interface SnapshotObject {
  readonly kind: string;
  readonly externalId: string;
  /** Platform id of the owning account; null for a root account. */
  readonly accountExternalId: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The client reference the platform keeps (the telform id, for objects telform created). */
  readonly clientRef?: string;
  /** The managing resource: its telform id and desired spec (for its desired-only attributes). */
  readonly managed?: { readonly id: string; readonly spec: Readonly<Record<string, unknown>> };
}

export interface PlatformSnapshot {
  /** Accounts first (each before its sub-accounts), then every account's objects by kind. */
  readonly objects: readonly SnapshotObject[];
  /** Platform calls made: one per account, kind and page (bulk listing only). */
  readonly platformCalls: number;
}

export interface SnapshotOptions {
  /** Objects per list call (default 500: a 10,000-object account costs 20 calls per kind). */
  readonly pageSize?: number;
  /** Accounts listed at once (default 8); the guarded driver keeps each within its budget. */
  readonly accountConcurrency?: number;
  /** Kinds of one account listed at once (default 4). */
  readonly kindConcurrency?: number;
}

const accountKinds = ['account', 'sub_account'];

/**
 * Reads everything the platform holds under `accounts` (platform ids of accounts or
 * sub-accounts, with their sub-accounts at every depth) through the driver's bulk `list`,
 * never one call per object, and pairs every object with the telform resource that manages it
 * (by platform id, or by the client reference telform gave it). Changes nothing anywhere.
 */
export async function readPlatformSnapshot(
  driver: InventoryDriver,
  db: Kysely<Database>,
  accounts: readonly string[],
  options: SnapshotOptions = {},
): Promise<PlatformSnapshot> {
  const pageSize = options.pageSize ?? 500;
  const kinds = managedKinds()
    .filter((k) => k.scope === 'account')
    .map((k) => k.kind);
  const objects: SnapshotObject[][] = [];
  let calls = 0;
  const seen = new Set<string>();
  // Breadth first: each wave lists the sub-accounts the previous one found.
  let wave = accounts.map((id) => ({ id, self: true }));
  while (wave.length > 0) {
    const next: { id: string; self: boolean }[] = [];
    const found: SnapshotObject[][] = wave.map(() => []);
    await forEachConcurrently(wave, options.accountConcurrency ?? 8, async (account, i) => {
      if (seen.has(account.id)) return;
      seen.add(account.id);
      // A requested account is listed as itself; a sub-account came with its parent's listing.
      const listed = account.self ? ['account', ...kinds] : kinds;
      const inventory = await listPlatformInventory(
        driver,
        account.id,
        listed,
        pageSize,
        options.kindConcurrency ?? 4,
      );
      calls += inventory.calls;
      for (const [kind, items] of inventory.byKind) {
        for (const item of items) {
          found[i]!.push(snapshotObject(kind, account.id, item));
          if (kind === 'sub_account') next.push({ id: item.externalId, self: false });
        }
      }
    });
    objects.push(...found);
    wave = next;
  }
  const all = objects.flat();
  const managed = await managingResources(db, all);
  return {
    objects: all.map((o) => {
      const row = managed(o);
      return row ? { ...o, managed: row } : o;
    }),
    platformCalls: calls,
  };
}

function snapshotObject(kind: string, listedUnder: string, item: PlatformObject): SnapshotObject {
  if (kind !== 'account') {
    return {
      kind,
      externalId: item.externalId,
      accountExternalId: listedUnder,
      attributes: item.attributes,
      ...(item.clientRef ? { clientRef: item.clientRef } : {}),
    };
  }
  // An account's own listing: a sub-account names its parent as `account_id`.
  const parent = item.attributes.account_id;
  const sub = typeof parent === 'string' && parent !== '';
  return {
    kind: sub ? 'sub_account' : 'account',
    externalId: item.externalId,
    accountExternalId: sub ? parent : null,
    attributes: item.attributes,
  };
}

interface ManagedRow {
  id: string;
  kind: string;
  account_id: string | null;
  external_id: string | null;
  spec: Record<string, unknown>;
}

/**
 * Finds the managing resources of `objects` in a few queries (1,000 platform ids each): by
 * platform id, then singletons by their owner (one per account and kind).
 */
async function managingResources(
  db: Kysely<Database>,
  objects: readonly SnapshotObject[],
): Promise<(o: SnapshotObject) => SnapshotObject['managed']> {
  const select = async (column: 'external_id' | 'id', values: readonly string[]) => {
    const rows: ManagedRow[] = [];
    for (let i = 0; i < values.length; i += 1000) {
      rows.push(
        ...(await db
          .selectFrom('resources')
          .select(['id', 'kind', 'account_id', 'external_id', 'spec'])
          .where(column, 'in', values.slice(i, i + 1000))
          .execute()),
      );
    }
    return rows;
  };
  const byExternal = new Map<string, ManagedRow>();
  for (const row of await select('external_id', [...new Set(objects.map((o) => o.externalId))])) {
    byExternal.set(`${row.kind}\u0000${row.external_id}`, row);
  }
  // Created by telform, its outcome not recorded yet (a crash between create and record).
  const refs = objects.filter(
    (o) => o.clientRef && !byExternal.has(`${o.kind}\u0000${o.externalId}`),
  );
  const byId = new Map<string, ManagedRow>();
  for (const row of await select(
    'id',
    refs.map((o) => o.clientRef!),
  ))
    byId.set(row.id, row);
  const accountRow = (platformId: string) =>
    byExternal.get(`account\u0000${platformId}`) ??
    byExternal.get(`sub_account\u0000${platformId}`);
  const owners = [...new Set(objects.map((o) => o.accountExternalId))]
    .map((a) => (a === null ? undefined : accountRow(a)?.id))
    .filter((id): id is string => id !== undefined);
  const singletons = new Map<string, ManagedRow>();
  const singletonKinds = managedKinds()
    .filter((k) => k.singleton)
    .map((k) => k.kind);
  for (let i = 0; i < owners.length; i += 1000) {
    const found = await db
      .selectFrom('resources')
      .select(['id', 'kind', 'account_id', 'external_id', 'spec'])
      .where('kind', 'in', singletonKinds)
      .where('account_id', 'in', owners.slice(i, i + 1000))
      .execute();
    for (const row of found) singletons.set(`${row.kind}\u0000${row.account_id}`, row);
  }
  return (o) => {
    const row = accountKinds.includes(o.kind)
      ? accountRow(o.externalId)
      : getKind(o.kind).singleton
        ? singletons.get(`${o.kind}\u0000${accountRow(o.accountExternalId ?? '')?.id ?? ''}`)
        : (byExternal.get(`${o.kind}\u0000${o.externalId}`) ??
          [byId.get(o.clientRef ?? '')].find((r) => r?.kind === o.kind));
    return row && { id: row.id, spec: row.spec };
  };
}
