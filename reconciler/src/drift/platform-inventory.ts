import type { InventoryDriver, ListPage } from '../driver/platform-driver.js';

export type PlatformObject = ListPage['items'][number];

/** What one account holds on the platform, per kind, and what it cost to find out. */
export interface PlatformInventory {
  readonly byKind: ReadonlyMap<string, readonly PlatformObject[]>;
  readonly calls: number;
}

/**
 * Lists every object of `kinds` in one account through the driver's bulk `list`, page by page:
 * a scan costs one call per kind and page, never one per object.
 */
export async function listPlatformInventory(
  driver: InventoryDriver,
  accountExternalId: string,
  kinds: readonly string[],
  pageSize: number,
): Promise<PlatformInventory> {
  let calls = 0;
  const byKind = new Map<string, PlatformObject[]>();
  for (const kind of kinds) {
    const items: PlatformObject[] = [];
    let cursor: string | undefined;
    do {
      const page = await driver.list({
        kind,
        accountExternalId,
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    byKind.set(kind, items);
  }
  return { byKind, calls };
}
