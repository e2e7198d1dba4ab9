import type { InventoryDriver, ListPage } from '../driver/platform-driver.js';
import { forEachConcurrently } from './for-each-concurrently.js';

export type PlatformObject = ListPage['items'][number];

/** What one account holds on the platform, per kind, and what it cost to find out. */
export interface PlatformInventory {
  readonly byKind: ReadonlyMap<string, readonly PlatformObject[]>;
  readonly calls: number;
}

/**
 * Lists every object of `kinds` in one account through the driver's bulk `list`, page by page:
 * a scan costs one call per kind and page, never one per object. Up to `concurrency` kinds are
 * listed at once (pages of one kind follow each other); the driver enforces the account's
 * platform budget, so this only bounds how many calls one account keeps waiting on it. The
 * result lists kinds in the order given. Rejects with the first failed call.
 */
export async function listPlatformInventory(
  driver: InventoryDriver,
  accountExternalId: string,
  kinds: readonly string[],
  pageSize: number,
  concurrency = 1,
): Promise<PlatformInventory> {
  let calls = 0;
  const lists: PlatformObject[][] = kinds.map(() => []);
  await forEachConcurrently(kinds, concurrency, async (kind, i) => {
    let cursor: string | undefined;
    do {
      const page = await driver.list({
        kind,
        accountExternalId,
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      lists[i]!.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  });
  return { byKind: new Map(kinds.map((kind, i) => [kind, lists[i]!])), calls };
}
