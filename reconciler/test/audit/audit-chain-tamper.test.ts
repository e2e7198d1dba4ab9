import { sql, type Kysely } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import type { Database } from '../../src/store/database.js';
import { describeEachDatabase } from '../support/databases.js';

// Someone with database rights: switches the append-only trigger off, then runs raw SQL.
async function tamper(db: Kysely<Database>, statements: string[]): Promise<void> {
  await sql`alter table audit_events disable trigger user`.execute(db);
  try {
    for (const statement of statements) await sql.raw(statement).execute(db);
  } finally {
    await sql`alter table audit_events enable trigger user`.execute(db);
  }
}

describeEachDatabase('audit chain tamper detection', (database) => {
  beforeEach(async () => {
    const { db } = database();
    await tamper(db, [
      'delete from audit_events',
      "update audit_chain_head set seq = 0, hash = repeat('0', 64)",
    ]);
    const store = new AuditStore(db);
    for (let i = 1; i <= 6; i++) {
      await store.record({
        event: i % 2 ? 'user.create' : 'user.read',
        access: i % 2 ? 'write' : 'read',
        resource: `user/user_${i}`,
        actor: 'ci',
        outcome: 'success',
        change: { name: `User ${i}` },
      });
    }
  });

  it('an untouched chain verifies', async () => {
    expect(await new AuditStore(database().db).verify()).toEqual({ ok: true, checked: 6 });
  });

  // Reads are audited behind their answers and replicas append at any time: a verify that runs
  // while events arrive must judge the chain up to the head it saw, not report a broken tail.
  it('verifies while other events are being appended', async () => {
    const { db } = database();
    const writer = new AuditStore(db);
    const appends = Array.from({ length: 40 }, (_, i) =>
      writer.record({
        event: 'user.read',
        access: 'read',
        actor: 'ci',
        outcome: 'success',
        resource: `user/u${i}`,
      }),
    );
    const reports = await Promise.all([1, 2, 3].map(() => new AuditStore(db).verify()));
    await Promise.all(appends);
    for (const report of reports) expect(report).toMatchObject({ ok: true });
    expect(await new AuditStore(db).verify()).toEqual({ ok: true, checked: 46 });
  });

  it('the table refuses updates, deletes and truncation while its trigger is on', async () => {
    const { db } = database();
    for (const statement of [
      "update audit_events set actor = 'x'",
      'delete from audit_events',
      'truncate audit_events',
    ]) {
      await expect(sql.raw(statement).execute(db), statement).rejects.toThrow(/append-only/);
    }
  });

  const cases = [
    {
      reason: 'an edited field breaks that event hash',
      statements: ["update audit_events set actor = 'someone-else' where seq = 3"],
      want: { kind: 'edited', seq: '3' },
    },
    {
      reason: 'an edited change (secret-free JSON) breaks that event hash',
      statements: [`update audit_events set change = '{"name":"Mallory"}' where seq = 2`],
      want: { kind: 'edited', seq: '2' },
    },
    {
      reason: 'a removed event breaks the link of the next one',
      statements: ['delete from audit_events where seq = 4'],
      want: { kind: 'removed', seq: '5' },
    },
    {
      reason: 'a removed event hidden by renumbering still breaks the link',
      statements: [
        'delete from audit_events where seq = 4',
        'update audit_events set seq = seq - 1 where seq > 4',
      ],
      want: { kind: 'removed', seq: '4' },
    },
    {
      reason: 'two swapped events link to the wrong predecessors',
      statements: [
        'update audit_events set seq = 0 where seq = 2',
        'update audit_events set seq = 2 where seq = 3',
        'update audit_events set seq = 3 where seq = 0',
      ],
      want: { kind: 'reordered', seq: '2' },
    },
    {
      reason: 'removing the latest events is caught by the chain head',
      statements: ['delete from audit_events where seq >= 5'],
      want: { kind: 'removed', seq: '5' },
    },
    {
      reason: 'a forged event inserted in the middle does not link',
      statements: [
        'update audit_events set seq = -seq where seq >= 4',
        'update audit_events set seq = 1 - seq where seq < 0',
        "insert into audit_events select 4, time, event, access, resource, account_id, 'forger', outcome, ip, request_id, change, prev_hash, hash from audit_events where seq = 3",
      ],
      want: { kind: 'edited', seq: '4' },
    },
    {
      reason: 'an event added past the chain head (not appended through the chain) is caught',
      statements: [
        "insert into audit_events select 7, time, event, access, resource, account_id, 'forger', outcome, ip, request_id, change, hash, hash from audit_events where seq = 6",
      ],
      want: { kind: 'edited', seq: '7' },
    },
  ];
  it.each(cases)('$reason', async ({ statements, want }) => {
    const { db } = database();
    await tamper(db, statements);
    const report = await new AuditStore(db).verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject(want);
    expect(report.problem?.message).toContain(want.seq);
  });
});
