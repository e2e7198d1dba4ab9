import { getKind } from '@telform/schemas';
import type { Observed, PlatformDriver } from '../driver/platform-driver.js';
import type { PlatformInventory } from '../drift/platform-inventory.js';

/**
 * Reads platform objects for adoption. `account` reads an account or sub-account by its own
 * platform id (its attributes name the parent, if any, as `account_id`); `object` reads an
 * object of an account (a singleton without `objectId`). Both give undefined when the platform
 * holds nothing there. Never changes anything on the platform.
 */
export interface PlatformLookup {
  account(accountId: string): Promise<Observed | undefined>;
  object(kind: string, accountId: string, objectId?: string): Promise<Observed | undefined>;
}

/** One `observe` per object: for adopting a few objects (terraform import). */
export function observingLookup(driver: PlatformDriver): PlatformLookup {
  const found = (o: Awaited<ReturnType<PlatformDriver['observe']>>) =>
    o.exists ? { externalId: o.externalId, attributes: o.attributes } : undefined;
  return {
    account: async (accountId) =>
      found(await driver.observe({ kind: 'account', id: '', externalId: accountId })),
    object: async (kind, accountId, objectId) =>
      found(
        await driver.observe({
          kind,
          id: '',
          accountExternalId: accountId,
          ...(objectId !== undefined && !getKind(kind).singleton ? { externalId: objectId } : {}),
        }),
      ),
  };
}

/**
 * Objects of accounts already bulk-listed (`inventories`, by platform account id) answered from
 * memory; anything else falls back to `fallback`. Adopting a whole account so costs its listing.
 */
export function inventoryLookup(
  inventories: ReadonlyMap<string, PlatformInventory>,
  fallback: PlatformLookup,
): PlatformLookup {
  return {
    account: (accountId) => fallback.account(accountId),
    object: async (kind, accountId, objectId) => {
      const items = inventories.get(accountId)?.byKind.get(kind);
      if (!items) return fallback.object(kind, accountId, objectId);
      const item = getKind(kind).singleton
        ? items[0]
        : items.find((i) => i.externalId === objectId);
      return item && { externalId: item.externalId, attributes: item.attributes };
    },
  };
}
