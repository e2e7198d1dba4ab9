import { StoreError } from './store-error.js';

/**
 * The one pagination cursor of every list: the sort key of a page's last row, opaque to clients
 * so the key can change without breaking them. Keyset paging: rows written while a client pages
 * never shift a page boundary.
 */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');
}

/** Any key but an empty or oversized one; lists keyed by a number pass their own shape. */
const anyKey = /^.{1,256}$/s;

/**
 * The key in a cursor. `shape` is the key's own format (an audit seq is digits), checked here so
 * a forged cursor is a 400 naming `cursor`, never a malformed value in SQL.
 */
export function decodeCursor(cursor: string, shape: RegExp = anyKey): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string' && shape.test(after)) return after;
  } catch {
    // fall through to the error below
  }
  throw new StoreError(
    'validation_failed',
    'cursor is not valid; pass the next_cursor of a previous page',
    [
      {
        field: 'cursor',
        rule: 'format',
        message: 'cursor must be a next_cursor value returned by a list',
      },
    ],
  );
}
