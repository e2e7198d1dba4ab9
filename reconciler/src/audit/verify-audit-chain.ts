import type { Kysely } from 'kysely';
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
}

export interface ChainProblem {
  /** edited: content no longer matches its hash; removed: events missing; reordered: moved. */
  readonly kind: 'edited' | 'removed' | 'reordered';
  /** The event where the chain breaks (for `removed`: the first event after the gap). */
  readonly seq: string;
  readonly message: string;
}

const PAGE = 2000;

/** Walks the chain in seq order and reports the first edited, removed or reordered event. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  let expectedPrev = GENESIS_HASH;
  let lastSeq = 0n;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', lastSeq.toString())
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = BigInt(row.seq);
      const fields = { ...row, time: row.time.toISOString() };
      const fail = (kind: ChainProblem['kind'], message: string): ChainReport => ({
        ok: false,
        checked,
        problem: { kind, seq: seq.toString(), message },
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
    }
    if (rows.length < PAGE) break;
  }
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head && (BigInt(head.seq) !== lastSeq || head.hash !== expectedPrev)) {
    return {
      ok: false,
      checked,
      problem: {
        kind: 'removed',
        seq: (lastSeq + 1n).toString(),
        message: `events from ${lastSeq + 1n} on were removed: the chain ends at event ${lastSeq}, but ${head.seq} were appended`,
      },
    };
  }
  return { ok: true, checked };
}
