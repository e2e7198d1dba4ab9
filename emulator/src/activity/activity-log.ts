import type { StateStore } from '../storage/state-store.js';

export type Outcome = 'success' | 'failure' | 'denied';

/** One API operation as the vendor's Activity tab shows it. */
export interface ActivityEntry {
  readonly seq: number;
  readonly account_id: string;
  readonly time: string;
  /** `<kind>.<verb>`, such as `user.create` or `user.read`. */
  readonly event: string;
  readonly type: 'read' | 'write';
  readonly resource: string;
  readonly actor: string;
  /** The person or tool behind the key (`X-Telform-Actor`), when the caller named one. */
  readonly on_behalf_of?: string;
  readonly outcome: Outcome;
  readonly ip: string;
  readonly status: number;
}

/** Filters of the Activity tab: time range, events (or reads/writes), prefixes, outcome, IP part. */
export interface ActivityFilter {
  readonly from?: string;
  readonly to?: string;
  readonly events?: readonly string[];
  readonly type?: 'read' | 'write';
  readonly resource?: string;
  readonly actor?: string;
  readonly outcome?: Outcome;
  readonly ip?: string;
  /** Only entries older than this seq (the previous page's `next_cursor`). */
  readonly before?: number;
}

/** One page of entries, newest first; `next_cursor` is set when older entries match too. */
export interface ActivityPage {
  readonly entries: ActivityEntry[];
  readonly next_cursor: string | null;
}

const COLL = 'activity';
const RETENTION_MS = 92 * 24 * 3600 * 1000;

export class ActivityLog {
  private seq = 0;
  /**
   * Each account's entries, oldest first: a page reads one account's newest entries, as the
   * vendor's indexed log does, not every account's (a drift scan reads a page per drifted account).
   */
  private readonly byAccount = new Map<string, ActivityEntry[]>();

  constructor(private readonly store: StateStore) {
    const all = [...store.values<ActivityEntry>(COLL)].sort((a, b) => a.seq - b.seq);
    for (const e of all) {
      this.seq = Math.max(this.seq, e.seq);
      this.indexed(e.account_id).push(e);
    }
    this.prune(new Date());
  }

  record(entry: Omit<ActivityEntry, 'seq'>): void {
    const seq = ++this.seq;
    const stored = { seq, ...entry };
    this.store.put(COLL, String(seq), stored);
    this.indexed(stored.account_id).push(stored);
  }

  private indexed(accountId: string): ActivityEntry[] {
    let own = this.byAccount.get(accountId);
    if (!own) this.byAccount.set(accountId, (own = []));
    return own;
  }

  /** Entries of an account, newest first, matching every given filter. */
  query(accountId: string, f: ActivityFilter, limit = 100): ActivityEntry[] {
    return this.page(accountId, f, limit).entries;
  }

  /** One page of {@link query}: pass `next_cursor` back as `before` for the next one. */
  page(accountId: string, f: ActivityFilter, limit = 100): ActivityPage {
    const from = f.from ? Date.parse(f.from) : -Infinity;
    const to = f.to ? Date.parse(f.to) : Infinity;
    const entries: ActivityEntry[] = [];
    let more = false;
    const own = this.byAccount.get(accountId) ?? [];
    // Newest first, stopping at the first match past the page: it says there is a next one.
    for (let i = own.length - 1; i >= 0; i--) {
      const e = own[i]!;
      if (f.before !== undefined && e.seq >= f.before) continue;
      const t = Date.parse(e.time);
      if (t < from || t > to) continue;
      if (f.events && f.events.length > 0 && !f.events.includes(e.event)) continue;
      if (f.type && e.type !== f.type) continue;
      if (f.resource && !e.resource.startsWith(f.resource)) continue;
      if (f.actor && !e.actor.startsWith(f.actor)) continue;
      if (f.outcome && e.outcome !== f.outcome) continue;
      if (f.ip && !e.ip.includes(f.ip)) continue;
      if (entries.length >= limit) {
        more = true;
        break;
      }
      entries.push(e);
    }
    const last = entries[entries.length - 1];
    return { entries, next_cursor: more && last ? String(last.seq) : null };
  }

  /** Drops entries older than three months. */
  prune(now: Date): void {
    const expired = (e: ActivityEntry) => now.getTime() - Date.parse(e.time) > RETENTION_MS;
    // The index holds every stored entry (both are written together): one walk prunes both.
    for (const [accountId, own] of this.byAccount) {
      const kept = own.filter((e) => {
        if (!expired(e)) return true;
        this.store.del(COLL, String(e.seq));
        return false;
      });
      if (kept.length === 0) this.byAccount.delete(accountId);
      else if (kept.length < own.length) this.byAccount.set(accountId, kept);
    }
  }
}
