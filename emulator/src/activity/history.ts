import type { StateStore } from '../storage/state-store.js';

export interface HistoryEntry {
  readonly seq: number;
  readonly account_id: string;
  readonly time: string;
  readonly [field: string]: unknown;
}

const THREE_MONTHS_MS = 92 * 24 * 3600 * 1000;

/**
 * An append-only, per-account list kept for three months (deletion history, seat logs, webhook
 * deliveries). Entries may be replaced by seq (a webhook delivery's retry updates its status).
 */
export class History {
  private seq = 0;

  constructor(
    private readonly store: StateStore,
    private readonly coll: string,
  ) {
    for (const e of store.values<HistoryEntry>(coll)) this.seq = Math.max(this.seq, e.seq);
    this.prune(new Date());
  }

  /** Drops entries older than three months. */
  prune(now: Date): void {
    for (const e of [...this.store.values<HistoryEntry>(this.coll)]) {
      if (now.getTime() - Date.parse(e.time) > THREE_MONTHS_MS)
        this.store.del(this.coll, String(e.seq));
    }
  }

  add<T extends Record<string, unknown>>(accountId: string, time: Date, fields: T): HistoryEntry {
    const entry: HistoryEntry = {
      seq: ++this.seq,
      account_id: accountId,
      time: time.toISOString(),
      ...fields,
    };
    this.store.put(this.coll, String(entry.seq), entry);
    return entry;
  }

  get(seq: number): HistoryEntry | undefined {
    return this.store.get<HistoryEntry>(this.coll, String(seq));
  }

  replace(entry: HistoryEntry): void {
    this.store.put(this.coll, String(entry.seq), entry);
  }

  /**
   * Entries of the given accounts, newest first, within the filter's dates, matching `where`
   * (the page's own filters and search), at most `filter.limit` of them.
   */
  list(
    accountIds: string | readonly string[],
    filter: { readonly since?: string; readonly until?: string; readonly limit?: number } = {},
    where: (e: HistoryEntry) => boolean = () => true,
  ): HistoryEntry[] {
    const accounts = new Set(typeof accountIds === 'string' ? [accountIds] : accountIds);
    const lo = filter.since ? Date.parse(filter.since) : -Infinity;
    const hi = filter.until ? Date.parse(filter.until) : Infinity;
    const out: HistoryEntry[] = [];
    for (const e of this.store.values<HistoryEntry>(this.coll)) {
      const t = Date.parse(e.time);
      if (accounts.has(e.account_id) && t >= lo && t <= hi && where(e)) out.push(e);
    }
    return out.reverse().slice(0, filter.limit ?? 100);
  }
}
