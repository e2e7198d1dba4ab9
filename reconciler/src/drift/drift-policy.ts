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

/** A resource's place in its tree: what its policy chain is read from. */
export interface PolicyOwner {
  readonly id: string;
  readonly account_id: string | null;
  readonly root_account_id: string;
}

/** The ids whose drift policies apply to `row`, outermost first: root, owner, itself. */
export function ownerChain(row: PolicyOwner): string[] {
  const chain = [row.root_account_id];
  if (row.account_id !== null && row.account_id !== row.root_account_id) chain.push(row.account_id);
  if (row.id !== row.root_account_id) chain.push(row.id);
  return chain;
}

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
