/**
 * Platform ids of applied resources, by telform id, so that resolving a child's references (a
 * thousand users of one account) does not read the parent's row for each of them. A platform id
 * changes only when the object is made again (after it vanished from the platform), so entries
 * are only a hint: they age out after `ttlMs` (an id another replica re-made is seen by then), and
 * a reconcile that fails drops what it used, so its retry reads the rows again.
 */
export class ExternalIdCache {
  private readonly entries = new Map<string, { externalId: string; until: number }>();

  constructor(
    readonly ttlMs = 30_000,
    readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): string | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.externalId;
    this.entries.delete(id);
    return undefined;
  }

  set(id: string, externalId: string): void {
    // Bounded: past the cap, start over (a miss costs one read, never a wrong answer).
    if (this.entries.size >= this.maxEntries && !this.entries.has(id)) this.entries.clear();
    this.entries.set(id, { externalId, until: this.now() + this.ttlMs });
  }

  delete(ids: Iterable<string>): void {
    for (const id of ids) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
