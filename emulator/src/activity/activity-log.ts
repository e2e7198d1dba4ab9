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

  constructor(private readonly store: StateStore) {
    for (const e of store.values<ActivityEntry>(COLL)) this.seq = Math.max(this.seq, e.seq);
    this.prune(new Date());
  }

  record(entry: Omit<ActivityEntry, 'seq'>): void {
    const seq = ++this.seq;
    this.store.put(COLL, String(seq), { seq, ...entry });
  }

  /** Entries of an account, newest first, matching every given filter. */
  query(accountId: string, f: ActivityFilter, limit = 100): ActivityEntry[] {
    return this.page(accountId, f, limit).entries;
  }

  /** One page of {@link query}: pass `next_cursor` back as `before` for the next one. */
  page(accountId: string, f: ActivityFilter, limit = 100): ActivityPage {
    const from = f.from ? Date.parse(f.from) : -Infinity;
    const to = f.to ? Date.parse(f.to) : Infinity;
    const out: ActivityEntry[] = [];
    for (const e of this.store.values<ActivityEntry>(COLL)) {
      if (e.account_id !== accountId) continue;
      if (f.before !== undefined && e.seq >= f.before) continue;
      const t = Date.parse(e.time);
      if (t < from || t > to) continue;
      if (f.events && f.events.length > 0 && !f.events.includes(e.event)) continue;
      if (f.type && e.type !== f.type) continue;
      if (f.resource && !e.resource.startsWith(f.resource)) continue;
      if (f.actor && !e.actor.startsWith(f.actor)) continue;
      if (f.outcome && e.outcome !== f.outcome) continue;
      if (f.ip && !e.ip.includes(f.ip)) continue;
      out.push(e);
    }
    out.sort((a, b) => b.seq - a.seq);
    const entries = out.slice(0, limit);
    const more = out.length > limit && entries.length > 0;
    return { entries, next_cursor: more ? String(entries[entries.length - 1]!.seq) : null };
  }

  /** Drops entries older than three months. */
  prune(now: Date): void {
    for (const e of [...this.store.values<ActivityEntry>(COLL)]) {
      if (now.getTime() - Date.parse(e.time) > RETENTION_MS) this.store.del(COLL, String(e.seq));
    }
  }
}
