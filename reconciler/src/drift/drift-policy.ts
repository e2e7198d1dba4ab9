/** What a scan does with drift: `report` records it; `correct` records it and re-applies desired. */
export type DriftMode = 'report' | 'correct';

/** A policy as stored for one account or one resource; unset parts inherit. */
export interface StoredDriftPolicy {
  readonly mode: DriftMode | null;
  readonly ignoreFields: readonly string[];
}

/** The policy in force for one resource. */
export interface DriftPolicy {
  readonly mode: DriftMode;
  readonly ignoreFields: readonly string[];
}

export const defaultDriftPolicy: DriftPolicy = { mode: 'report', ignoreFields: [] };

/**
 * Combines stored policies ordered from the most general (the root account) to the most specific
 * (the resource): the most specific mode wins; ignored fields add up, because an account that
 * ignores a field must not see it reported by one of its resources.
 */
export function effectiveDriftPolicy(
  chain: ReadonlyArray<StoredDriftPolicy | undefined>,
): DriftPolicy {
  let mode = defaultDriftPolicy.mode;
  const ignore = new Set<string>();
  for (const p of chain) {
    if (!p) continue;
    if (p.mode) mode = p.mode;
    for (const f of p.ignoreFields) ignore.add(f);
  }
  return { mode, ignoreFields: [...ignore].sort() };
}
