// The single-event append chains in SQL (sha256 in the statement) while verification and the
// batch append chain in JS: these cases show the two agree byte for byte on both stores, and
// that single-statement appends from separate connections still extend one gap-free chain.
import { describe, expect, it } from 'vitest';
import { appendAuditEvents } from '../../src/audit/append-audit-events.js';
import type { HashedFields } from '../../src/audit/audit-event.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createPostgresDatabase, describeEachDatabase } from '../support/databases.js';

const event = (over: Partial<HashedFields>): HashedFields => ({
  time: '2026-12-03T14:00:00.123Z',
  event: 'user.create',
  access: 'write',
  resource: 'user/user_1',
  account_id: 'account_1',
  actor: 'ci',
  outcome: 'success',
  ip: '10.0.0.1',
  request_id: 'req-1',
  change: '{"request":{"name":"A"}}',
  ...over,
});

const cases: ReadonlyArray<{ name: string; reason: string; batches: HashedFields[][] }> = [
  {
    name: 'one event alone',
    reason: 'the SQL hash must equal eventHash over the same fields',
    batches: [[event({})]],
  },
  {
    name: 'nulls and non-ASCII text',
    reason: 'convert_to(..., UTF8) must hash the bytes node hashes: accents, emoji, escapes',
    batches: [
      [
        event({
          resource: null,
          account_id: null,
          ip: null,
          request_id: null,
          actor: 'Zoë 🚀',
          change: '{"name":"Ünïcode \\"quoted\\" \\u0000"}',
        }),
      ],
      [event({ change: null, outcome: 'denied', access: 'read' })],
    ],
  },
  {
    name: 'a batch of text that array literals escape',
    reason:
      'a batch goes as one array per column: quotes, backslashes, braces, commas, the word NULL and real nulls must arrive as they were hashed',
    batches: [
      [
        event({ actor: 'a "quoted", {braced} \\ name', change: '{"a":"\\\\","b":[1,2]}' }),
        event({ actor: 'NULL', resource: null, ip: null, change: null }),
        event({ actor: 'Zoë 🚀', request_id: '', account_id: ' spaced ' }),
      ],
    ],
  },
  {
    name: 'singles and batches interleaved',
    reason: 'a JS-chained batch must continue an SQL-chained event and the reverse',
    batches: [
      [event({ event: 'a' })],
      [event({ event: 'b' }), event({ event: 'c' }), event({ event: 'd' })],
      [event({ event: 'e' })],
      [event({ event: 'f' }), event({ event: 'g' })],
    ],
  },
];

describeEachDatabase('appendAuditEvents', (database) => {
  it.each(cases)('$name: $reason', async ({ batches }) => {
    const { db } = database();
    for (const rows of batches) {
      await db.transaction().execute((trx) => appendAuditEvents(trx, rows));
    }
    const report = await verifyAuditChain(db);
    expect(report.problem).toBeUndefined();
    expect(report.ok).toBe(true);
    const head = await db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const last = await db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(head).toEqual(last);
  });
});

describe('appendAuditEvents from several connections [postgres]', () => {
  it('single-statement appends racing on the head make one gap-free, verifying chain', async () => {
    const pg = await createPostgresDatabase();
    const a = await openDatabase({ databaseUrl: pg.url, poolSize: 6 });
    const b = await openDatabase({ databaseUrl: pg.url, poolSize: 6 });
    try {
      await migrateToLatest(a.db);
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const db = i % 2 ? a.db : b.db;
          const rows =
            i % 10 === 0
              ? [event({ event: `batch.${i}.1` }), event({ event: `batch.${i}.2` })]
              : [event({ event: `one.${i}` })];
          return rows.length === 1
            ? appendAuditEvents(db, rows)
            : db.transaction().execute((trx) => appendAuditEvents(trx, rows));
        }),
      );
      const report = await verifyAuditChain(a.db);
      expect(report.problem).toBeUndefined();
      expect(report.checked).toBe(220);
    } finally {
      await a.close();
      await b.close();
      await pg.drop();
    }
  }, 60_000);
});
