/**
 * Every reason a resource condition may carry, shared by the daemon (which sets them) and the
 * provider (which waits on them). Scripts match on these strings, so this is the one list: add
 * here, never inline.
 *
 * `final`: a `Synced=False` condition with this reason ends a wait for the apply (`?wait=applied`
 * in the daemon, the provider's wait): the caller reports the failure instead of waiting longer.
 * It does not mean the daemon stops trying: `PlatformRejected` waits for a new generation, but
 * `Conflict` and `Forbidden` are tried again after a delay (the platform's state or the
 * credentials may change), so the resource may still converge later without a new apply.
 */
const table = {
  /** Synced=True: the platform holds the last generation. */
  applied: { name: 'Applied', final: false },
  /** Synced=True: taken over from the platform as it was (telform adopt, import by platform ref). */
  adopted: { name: 'Adopted', final: false },
  /** Synced=False: not tried yet. */
  pending: { name: 'Pending', final: false },
  /** Synced=False: retryable platform failure (429, 5xx, network); keeps retrying. */
  platformUnavailable: { name: 'PlatformUnavailable', final: false },
  /** Synced=False: the platform refused the values; waits for a new generation. */
  platformRejected: { name: 'PlatformRejected', final: true },
  /** Synced=False: the credentials may not do this; tried again after a long delay. */
  forbidden: { name: 'Forbidden', final: true },
  /** Synced=False: the platform's state forbids it now (a limit reached, a name taken); tried again after a delay. */
  conflict: { name: 'Conflict', final: true },
  /**
   * Synced=False: a create found the same object already on the platform; the message names it
   * as `platform:<account>/<object>`, the reference that adopts it instead. Waits for a change.
   */
  alreadyExists: { name: 'AlreadyExists', final: true },
  /** Synced=False: a referenced resource is not on the platform yet, or dependents remain. */
  dependencyNotReady: { name: 'DependencyNotReady', final: false },
  /**
   * Synced=False: a deletion while resources nobody asked to delete still reference it; the
   * message names them (the first five). Tried again after a delay, and at once on a new DELETE.
   */
  deletionBlocked: { name: 'DeletionBlocked', final: true },
  /** Synced=False: the daemon itself failed (a bug or a broken secret); retried with backoff. */
  reconcileError: { name: 'ReconcileError', final: false },
  /** Ready=True: the object exists on the platform. */
  available: { name: 'Available', final: false },
  /** Ready=False: the object does not exist (yet) on the platform. */
  unavailable: { name: 'Unavailable', final: false },
  /** Ready=False: deletion requested and under way. */
  deleting: { name: 'Deleting', final: false },
} as const;

type Table = typeof table;

/** Reason names by key: `reasons.applied === 'Applied'`. */
export const reasons = Object.fromEntries(
  Object.entries(table).map(([key, r]) => [key, r.name]),
) as { readonly [K in keyof Table]: Table[K]['name'] };

export type ConditionReason = Table[keyof Table]['name'];

const finalNames: ReadonlySet<string> = new Set(
  Object.values(table)
    .filter((r) => r.final)
    .map((r) => r.name),
);

/** Whether a `Synced=False` reason ends a wait for the apply (see `final` above). */
export function isFinalReason(reason: string): boolean {
  return finalNames.has(reason);
}
