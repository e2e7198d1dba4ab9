/**
 * A job run's summary as a token scoped to some accounts may see it. Jobs act on every account,
 * so their summaries mix tenants; the contract that makes them filterable is that per-account
 * data sits in arrays of rows that each name their `account_id` (seat warnings, inactive users,
 * failures, rotations). For a scoped caller this keeps only those arrays, and in them only the
 * rows of the caller's accounts. Everything else is dropped, failing closed: totals counted over
 * every tenant, error texts and rows without an `account_id` could all describe someone else.
 *
 * `accountIds` null (an unscoped token): the summary unchanged.
 */
export function scopeJobSummary(
  summary: Readonly<Record<string, unknown>>,
  accountIds: ReadonlySet<string> | null,
): Record<string, unknown> {
  if (accountIds === null) return { ...summary };
  const scoped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (!Array.isArray(value)) continue;
    scoped[key] = value.filter(
      (row: unknown) =>
        typeof row === 'object' &&
        row !== null &&
        typeof (row as { account_id?: unknown }).account_id === 'string' &&
        accountIds.has((row as { account_id: string }).account_id),
    );
  }
  return scoped;
}
