import type { ObjectRecord } from '../model/records.js';
import { decodeCursor, encodeCursor } from '../http/request-context.js';

/**
 * One page of objects in creation order after the cursor. Cursors name a creation sequence,
 * not a position, so objects created or deleted meanwhile never shift or repeat a page.
 */
export function listPage(
  all: Iterable<ObjectRecord>,
  cursor: string | undefined,
  limit: number,
  clientRef: string | undefined,
): { items: ObjectRecord[]; next: string | null } {
  const after = decodeCursor(cursor);
  const items: ObjectRecord[] = [];
  let more = false;
  for (const rec of all) {
    if (rec.seq <= after) continue;
    if (clientRef !== undefined && rec.client_reference !== clientRef) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(rec);
  }
  return { items, next: more ? encodeCursor(items[items.length - 1]!.seq) : null };
}
