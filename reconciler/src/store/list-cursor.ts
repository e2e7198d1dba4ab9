import { StoreError } from './store-error.js';

// Opaque to clients so the key can change without breaking them.
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the error below
  }
  throw new StoreError('validation_failed', 'cursor is not one this API returned', [
    {
      field: 'cursor',
      rule: 'format',
      message: 'cursor must be a next_cursor value returned by a list',
    },
  ]);
}
