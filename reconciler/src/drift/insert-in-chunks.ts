/** Rows per multi-row statement: far below Postgres' 65,535 bind parameters at ~10 columns. */
export const rowsPerStatement = 1000;

/**
 * Runs `insert` once per chunk of `rows` (none when empty): a multi-row statement per chunk, so
 * a large batch neither goes row by row nor overflows the protocol's parameter limit.
 */
export async function insertInChunks<T>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    await insert(rows.slice(i, i + rowsPerStatement));
  }
}
