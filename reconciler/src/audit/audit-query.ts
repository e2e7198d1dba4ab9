import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/database.js';
import type { AuditEvent } from './audit-event.js';
import type { AuditEventsTable } from '../store/tables/audit-events-table.js';
import { decodeCursor, encodeCursor } from '../store/list-cursor.js';

/** Filters of `/v1/audit`; every one is optional and they combine with AND. */
export interface AuditFilter {
  /** Inclusive lower bound on `time`. */
  readonly from?: Date;
  /** Exclusive upper bound on `time`. */
  readonly to?: Date;
  /** Event names; `user.*` matches every event that starts with `user.`. */
  readonly events?: readonly string[];
  readonly access?: 'read' | 'write';
  readonly resourcePrefix?: string;
  readonly actorPrefix?: string;
  readonly outcome?: 'success' | 'failure' | 'denied';
  /** Substring of the IP address. */
  readonly ip?: string;
  /** Only these accounts' events (a scoped caller); undefined: no restriction. */
  readonly accountIds?: readonly string[];
  /** From a previous page's `nextCursor`. */
  readonly cursor?: string;
  /** `desc` (default): newest first. */
  readonly order?: 'asc' | 'desc';
  /** 1-1000, default 100. */
  readonly limit?: number;
}

export interface AuditPage {
  readonly items: AuditEvent[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

// LIKE treats % and _ as wildcards: a prefix filter matches them literally.
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of events, keyset-paginated on seq. seq commits in order (appends lock the chain
 * head), so a page boundary never skips nor repeats an event while others are being written.
 */
export async function queryAuditEvents(
  db: Kysely<Database>,
  filter: AuditFilter,
): Promise<AuditPage> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
  const order = filter.order ?? 'desc';
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.cursor !== undefined) {
    const seq = decodeCursor(filter.cursor, /^\d{1,19}$/);
    q = q.where('seq', order === 'desc' ? '<' : '>', seq);
  }
  if (filter.from) q = q.where('time', '>=', filter.from);
  if (filter.to) q = q.where('time', '<', filter.to);
  if (filter.events && filter.events.length > 0) {
    const events = filter.events;
    q = q.where((eb) =>
      eb.or(
        events.map((name) =>
          name.endsWith('*')
            ? eb('event', 'like', `${likeEscape(name.slice(0, -1))}%`)
            : eb('event', '=', name),
        ),
      ),
    );
  }
  if (filter.access) q = q.where('access', '=', filter.access);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.resourcePrefix)
    q = q.where('resource', 'like', `${likeEscape(filter.resourcePrefix)}%`);
  if (filter.actorPrefix) q = q.where('actor', 'like', `${likeEscape(filter.actorPrefix)}%`);
  if (filter.ip) q = q.where('ip', 'like', `%${likeEscape(filter.ip)}%`);
  if (filter.accountIds !== undefined) {
    if (filter.accountIds.length === 0) return { items: [], nextCursor: null };
    q = q.where('account_id', 'in', [...filter.accountIds]);
  }
  const rows = await q
    .orderBy('seq', order)
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toEvent);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null };
}

export function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: String(row.seq),
    time: row.time.toISOString(),
    event: row.event,
    access: row.access,
    resource: row.resource,
    account_id: row.account_id,
    actor: row.actor,
    outcome: row.outcome,
    ip: row.ip,
    request_id: row.request_id,
    change: row.change === null ? null : (JSON.parse(row.change) as Record<string, unknown>),
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}
