import type { InventoryDriver } from './platform-driver.js';

/**
 * Platform ids of every root account the platform lists for telform's credentials, paged
 * `pageSize` at a time, with the number of calls it took (callers report their platform calls).
 */
export async function listRootAccounts(
  driver: Pick<InventoryDriver, 'listAccounts'>,
  pageSize = 500,
): Promise<{ accounts: string[]; calls: number }> {
  const accounts: string[] = [];
  let calls = 0;
  let cursor: string | undefined;
  do {
    const page = await driver.listAccounts({ limit: pageSize, ...(cursor ? { cursor } : {}) });
    calls += 1;
    accounts.push(...page.items.map((item) => item.externalId));
    cursor = page.nextCursor;
  } while (cursor);
  return { accounts, calls };
}
