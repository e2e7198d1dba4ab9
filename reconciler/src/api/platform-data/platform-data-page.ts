import type { KindInfo } from '@telform/schemas';
import { decodeCursor, encodeCursor } from '../../store/list-cursor.js';

type Data = Record<string, unknown>;

// The platform's own cursor, carried inside telform's: opaque text of URL-safe characters.
const platformCursor = /^[A-Za-z0-9_-]{1,256}$/;

/** A paged data source's query, split into the platform's paging and the data source's arguments. */
export interface PageQuery {
  /** `cursor` (the platform's, unwrapped) and `limit` for the platform; empty when not paged. */
  readonly params: Readonly<Record<string, string>>;
  /** The data source's own arguments. */
  readonly rest: Readonly<Record<string, string | undefined>>;
}

/**
 * Takes `cursor` and `limit` out of the query of a paged kind (`KindInfo.paged`). The cursor is
 * telform's (store/list-cursor.ts) wrapping the platform's, so a client never depends on the
 * platform's format; a forged one is a 400 naming `cursor`.
 */
export function pageQuery(
  info: KindInfo,
  query: Readonly<Record<string, string | number | undefined>>,
): PageQuery {
  const text = (q: typeof query) =>
    Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v === undefined ? v : String(v)]));
  if (!info.paged) return { params: {}, rest: text(query) };
  const { cursor, limit, ...rest } = query;
  const params: Record<string, string> = {};
  if (cursor !== undefined) params.cursor = decodeCursor(String(cursor), platformCursor);
  if (limit !== undefined) params.limit = String(limit);
  return { params, rest: text(rest) };
}

/** The answer of a paged kind carries `next_cursor` (null on the last page); others as they are. */
export function pageFromPlatform(info: KindInfo, data: Data): Data {
  if (!info.paged) return data;
  const next = data.next_cursor;
  return {
    ...data,
    next_cursor: typeof next === 'string' && next !== '' ? encodeCursor(next) : null,
  };
}
