import { sql, type Kysely } from 'kysely';
import { PlatformError, type InventoryDriver } from '../../driver/platform-driver.js';
import type { Database } from '../../store/database.js';
import { decodeCursor, encodeCursor } from '../../store/list-cursor.js';

export interface AccountsOverviewQuery {
  /** Account ids the caller may see; null: all. */
  readonly visibleAccountIds: readonly string[] | null;
  /** Accounts after this id (the previous page's `next_cursor`). */
  readonly cursor?: string;
  readonly limit: number;
}

/** Seat usage as the platform reports it, or why it could not be read. */
export type SeatsView =
  | {
      readonly purchased: number;
      readonly assigned: number;
      readonly remaining: number;
      readonly seat_limit: number | null;
      readonly usage_percent: number;
      readonly warning_threshold_percent: number;
      readonly warning_active: boolean;
    }
  | { readonly error: string };

export interface AccountOverview {
  readonly id: string;
  readonly kind: 'account' | 'sub_account';
  /** The parent account of a sub-account; null for an account. */
  readonly parent_id: string | null;
  /** The name the platform holds (observed), null before the first apply. */
  readonly name: string | null;
  readonly on_platform: boolean;
  readonly open_drift: number;
  readonly unmanaged: number;
  readonly last_scan: {
    readonly finished_at: string | null;
    readonly outcome: string | null;
  } | null;
  /** null: not on the platform yet, or no driver. */
  readonly seats: SeatsView | null;
}

export interface AccountsOverviewPage {
  readonly items: AccountOverview[];
  readonly next_cursor: string | null;
}

/**
 * Every account and sub-account the caller may see, with its open drift, unmanaged objects and
 * last scan from the database, and its seat usage read live from the platform (the rows of one
 * page at a time, so a partner's thousand accounts cost one page of platform reads).
 */
export async function accountsOverview(
  db: Kysely<Database>,
  driver: InventoryDriver | undefined,
  q: AccountsOverviewQuery,
): Promise<AccountsOverviewPage> {
  if (q.visibleAccountIds !== null && q.visibleAccountIds.length === 0)
    return { items: [], next_cursor: null };
  let rows = db
    .selectFrom('resources as a')
    .leftJoin('drift_scans as s', 's.account_id', 'a.id')
    .select([
      'a.id',
      'a.kind',
      'a.account_id',
      'a.external_id',
      sql<string | null>`a.observed->>'name'`.as('name'),
      's.last_finished_at',
      's.last_outcome',
      (eb) =>
        eb
          .selectFrom('drift_records as d')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('d.account_id', '=', 'a.id')
          .where('d.state', '=', 'open')
          .as('open_drift'),
      (eb) =>
        eb
          .selectFrom('unmanaged_objects as u')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('u.account_id', '=', 'a.id')
          .where('u.gone_at', 'is', null)
          .as('unmanaged'),
    ])
    .where('a.kind', 'in', ['account', 'sub_account']);
  if (q.visibleAccountIds !== null) rows = rows.where('a.id', 'in', [...q.visibleAccountIds]);
  if (q.cursor !== undefined) rows = rows.where('a.id', '>', decodeCursor(q.cursor));
  const found = await rows
    .orderBy('a.id')
    .limit(q.limit + 1)
    .execute();
  const page = found.slice(0, q.limit);
  const items = await Promise.all(
    page.map(async (r): Promise<AccountOverview> => ({
      id: r.id,
      kind: r.kind as AccountOverview['kind'],
      parent_id: r.kind === 'sub_account' ? r.account_id : null,
      name: r.name,
      on_platform: r.external_id !== null,
      open_drift: Number(r.open_drift ?? 0),
      unmanaged: Number(r.unmanaged ?? 0),
      last_scan:
        r.last_finished_at === null && r.last_outcome === null
          ? null
          : {
              finished_at: r.last_finished_at?.toISOString() ?? null,
              outcome: r.last_outcome,
            },
      seats: await seatsOf(driver, r.external_id),
    })),
  );
  return {
    items,
    next_cursor: found.length > q.limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}

async function seatsOf(
  driver: InventoryDriver | undefined,
  externalId: string | null,
): Promise<SeatsView | null> {
  if (!driver || externalId === null) return null;
  try {
    const s = await driver.read('seat_usage', externalId);
    return {
      purchased: Number(s.purchased ?? 0),
      assigned: Number(s.assigned ?? 0),
      remaining: Number(s.remaining ?? 0),
      seat_limit: typeof s.seat_limit === 'number' ? s.seat_limit : null,
      usage_percent: Number(s.usage_percent ?? 0),
      warning_threshold_percent: Number(s.warning_threshold_percent ?? 85),
      warning_active: s.warning_active === true,
    };
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    // The platform's reason, never its raw body: it is shown in the console.
    return { error: `the platform answered ${err.reason}` };
  }
}
