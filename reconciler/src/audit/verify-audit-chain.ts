import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { GENESIS_HASH } from '../store/migrations/0004-audit-events.js';
import { eventHash } from './audit-event.js';

/** What `telform audit verify` and `/v1/audit/verify` report. */
export interface ChainReport {
  readonly ok: boolean;
  /** Events checked before the first problem (all of them when ok). */
  readonly checked: number;
  /** The first problem in seq order. */
  readonly problem?: ChainProblem;
  /** Events up to this seq were pruned by retention; the walk started after them. */
  readonly pruned_through?: string;
}

/** The report for a caller scoped to some accounts: `checked` counts only their events. */
export interface ScopedChainReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly scoped: true;
  /** `seq` is left out when the broken event is another tenant's. */
  readonly problem?: Omit<ChainProblem, 'seq'> & { readonly seq?: string };
}

export interface ChainProblem {
  /** edited: content no longer matches its hash; removed: events missing; reordered: moved. */
  readonly kind: 'edited' | 'removed' | 'reordered';
  /** The event where the chain breaks (for `removed`: the first event after the gap). */
  readonly seq: string;
  readonly message: string;
}

const PAGE = 2000;

/** The event a prune records, in the chain itself, naming the checkpoint it moved to. */
export const AUDIT_PRUNED_EVENT = 'audit.pruned';

/**
 * Walks the chain in seq order and reports the first edited, removed or reordered event. It
 * starts from the retention checkpoint (the last pruned event's seq and hash; genesis when
 * nothing was pruned), which the newest `audit.pruned` event of the chain must name.
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  const { checkedInScope: _own, brokenAt: _at, ...whole } = await walkChain(db, undefined);
  return whole;
}

/** The same walk, reported as a caller scoped to `scope`'s accounts may see it. */
export async function verifyScopedAuditChain(
  db: Kysely<Database>,
  scope: ReadonlySet<string>,
): Promise<ScopedChainReport> {
  return scopedReport(await walkChain(db, scope), scope);
}

/**
 * What a caller scoped to some accounts may learn: the chain as a whole is walked (its links
 * cross every tenant), but the count is of its own events only, and a break at another tenant's
 * event says that it exists, not where, nor anything the event or the global seq would tell.
 */
function scopedReport(report: WalkReport, scope: ReadonlySet<string>): ScopedChainReport {
  const { brokenAt, checkedInScope, ...rest } = report;
  const base = { ok: report.ok, checked: checkedInScope, scoped: true as const };
  if (!rest.problem) return base;
  if (brokenAt !== undefined && brokenAt !== null && scope.has(brokenAt)) {
    return { ...base, problem: rest.problem };
  }
  return {
    ...base,
    problem: {
      kind: rest.problem.kind,
      message:
        'the chain is broken outside the accounts this token may read; an unscoped auditor can see where',
    },
  };
}

interface WalkReport extends ChainReport {
  readonly checkedInScope: number;
  /** The account of the event the problem names; undefined when the break is chain-wide. */
  readonly brokenAt?: string | null;
}

async function walkChain(
  db: Kysely<Database>,
  scope: ReadonlySet<string> | undefined,
): Promise<WalkReport> {
  const checkpoint = await db
    .selectFrom('audit_chain_checkpoint')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const start = checkpoint ?? { seq: '0', hash: GENESIS_HASH };
  // The head first: events appended while the walk runs (other requests, other replicas, the
  // read-audit buffer) lie past it and are left for the next verify, not taken for a broken tail.
  // The head moves in the same transaction as its events, so every event up to it is visible.
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const pruned = start.seq !== '0' ? { pruned_through: start.seq } : {};
  let expectedPrev = start.hash;
  let lastSeq = BigInt(start.seq);
  let checked = 0;
  let checkedInScope = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', lastSeq.toString())
      .$if(head !== undefined, (q) => q.where('seq', '<=', head!.seq))
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = BigInt(row.seq);
      const fields = { ...row, time: row.time.toISOString() };
      const fail = (kind: ChainProblem['kind'], message: string): WalkReport => ({
        ok: false,
        checked,
        checkedInScope,
        brokenAt: row.account_id,
        problem: { kind, seq: seq.toString(), message },
        ...pruned,
      });
      if (eventHash(row.prev_hash, fields) !== row.hash) {
        return fail('edited', `event ${seq} was edited: its content no longer matches its hash`);
      }
      if (row.prev_hash !== expectedPrev) {
        const linked = await db
          .selectFrom('audit_events')
          .select('seq')
          .where('hash', '=', row.prev_hash)
          .executeTakeFirst();
        if (linked) {
          return fail(
            'reordered',
            `event ${seq} was moved: it followed event ${linked.seq}, now it follows event ${lastSeq}`,
          );
        }
        return fail(
          'removed',
          `events between ${lastSeq} and ${seq} were removed (or event ${lastSeq}'s hash was rewritten)`,
        );
      }
      if (seq !== lastSeq + 1n) {
        return fail('edited', `event ${seq} was renumbered: expected seq ${lastSeq + 1n}`);
      }
      expectedPrev = row.hash;
      lastSeq = seq;
      checked += 1;
      if (row.account_id !== null && scope?.has(row.account_id)) checkedInScope += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (head && (BigInt(head.seq) !== lastSeq || head.hash !== expectedPrev)) {
    return {
      ok: false,
      checked,
      checkedInScope,
      problem: {
        kind: 'removed',
        seq: (lastSeq + 1n).toString(),
        message: `events from ${lastSeq + 1n} on were removed: the chain ends at event ${lastSeq}, but ${head.seq} were appended`,
      },
      ...pruned,
    };
  }
  // Events past the head were never appended through the chain (an append moves the head in its
  // own transaction): read both in one statement, so a concurrent append cannot look like one.
  const tail = await sql<{ head_seq: string | null; max_seq: string | null }>`
    select (select seq from audit_chain_head where id = 1)::text as head_seq,
           (select max(seq) from audit_events)::text as max_seq`.execute(db);
  const { head_seq: headSeq, max_seq: maxSeq } = tail.rows[0] ?? { head_seq: null, max_seq: null };
  if (headSeq !== null && maxSeq !== null && BigInt(maxSeq) > BigInt(headSeq)) {
    return {
      ok: false,
      checked,
      checkedInScope,
      problem: {
        kind: 'edited',
        seq: (BigInt(headSeq) + 1n).toString(),
        message: `event ${BigInt(headSeq) + 1n} and later were added outside the chain: its head ends at event ${headSeq}`,
      },
      ...pruned,
    };
  }
  if (start.seq !== '0' && !(await pruneRecorded(db, start))) {
    // A checkpoint moved by hand past events would hide them; a real prune records its move.
    return {
      ok: false,
      checked,
      checkedInScope,
      problem: {
        kind: 'removed',
        seq: (BigInt(start.seq) + 1n).toString(),
        message: `the chain starts after event ${start.seq}, but no ${AUDIT_PRUNED_EVENT} event records that prune`,
      },
      ...pruned,
    };
  }
  return { ok: true, checked, checkedInScope, ...pruned };
}

// The newest prune event (verified above as part of the chain) names this checkpoint.
async function pruneRecorded(
  db: Kysely<Database>,
  checkpoint: { readonly seq: string; readonly hash: string },
): Promise<boolean> {
  const last = await db
    .selectFrom('audit_events')
    .select('change')
    .where('event', '=', AUDIT_PRUNED_EVENT)
    .where('seq', '>', checkpoint.seq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last?.change) return false;
  const change = JSON.parse(last.change) as { through_seq?: unknown; hash?: unknown };
  return change.through_seq === checkpoint.seq && change.hash === checkpoint.hash;
}
