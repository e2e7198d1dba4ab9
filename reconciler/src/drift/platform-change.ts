import { getKind } from '@telform/schemas';
import type { PlatformActivityEntry } from '../driver/platform-activity.js';
import type { InventoryDriver } from '../driver/platform-driver.js';
import type { PlatformChange } from '../store/tables/drift-tables.js';
import type { DesiredRow } from './evaluate-account.js';

export type { PlatformChange };

export interface PlatformChangeLookup {
  /** telform resource id -> the newest successful write to it. */
  readonly changes: ReadonlyMap<string, PlatformChange>;
  readonly calls: number;
  /** False when the log could not be read: the rows it did not name may be named later. */
  readonly complete: boolean;
}

/** Pages of the account's writes read at most (newest first), so a busy log costs a bound. */
const maxPages = 5;
const pageSize = 1000;

/**
 * The activity log's name of a resource: `<kind>/<platform id>`, settings documents by their
 * account (the platform keeps one per account).
 */
export function activityResourceOf(row: DesiredRow, accountExternalId: string): string | null {
  if (getKind(row.kind).singleton) return `${row.kind}/${accountExternalId}`;
  return row.external_id ? `${row.kind}/${row.external_id}` : null;
}

/**
 * For each drifted row, the newest successful write the platform logged for it: the change
 * that made it differ. Reads the account's writes newest first through the (guarded) driver,
 * stopping once every row is named or after {@link maxPages} pages. Attribution is a courtesy
 * of the log: a failed read leaves the rows unnamed and never fails the scan.
 */
export async function findPlatformChanges(
  driver: InventoryDriver,
  accountExternalId: string,
  drifted: readonly DesiredRow[],
): Promise<PlatformChangeLookup> {
  const wanted = new Map<string, string>();
  for (const row of drifted) {
    const resource = activityResourceOf(row, accountExternalId);
    if (resource) wanted.set(resource, row.id);
  }
  const changes = new Map<string, PlatformChange>();
  let calls = 0;
  let cursor: string | undefined;
  let complete = true;
  try {
    while (wanted.size > 0 && calls < maxPages) {
      calls++;
      const page = await driver.activity({
        accountExternalId,
        type: 'write',
        outcome: 'success',
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      });
      for (const entry of page.entries) {
        const id = wanted.get(entry.resource);
        if (id === undefined) continue;
        changes.set(id, changeOf(entry));
        wanted.delete(entry.resource);
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  } catch {
    // The log is unavailable: these records stay unnamed until a later scan finds it.
    complete = false;
  }
  return { changes, calls, complete };
}

function changeOf(e: PlatformActivityEntry): PlatformChange {
  return { actor: e.actor, at: e.at, ip: e.ip, event: e.event };
}
