// The retention job's idempotency-key purge and audit pruning, on both databases: after a prune
// `telform audit verify` passes over the remaining chain (it starts from the checkpoint) and
// still detects tampering, and the database refuses a deletion the checkpoint does not cover.
import { sql, type Kysely } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/audit-store.js';
import { retentionJob } from '../../../src/jobs/definitions/retention-job.js';
import type { JobContext } from '../../../src/jobs/job-definition.js';
import type { Database } from '../../../src/store/database.js';
import { describeEachDatabase } from '../../support/databases.js';

const day = 24 * 3600_000;
const now = new Date();

// Someone with database rights: switches the triggers off, then runs raw SQL.
async function tamper(db: Kysely<Database>, statements: string[]): Promise<void> {
  const tables = ['audit_events', 'audit_chain_checkpoint'];
  for (const t of tables) await sql.raw(`alter table ${t} disable trigger user`).execute(db);
  try {
    for (const statement of statements) await sql.raw(statement).execute(db);
  } finally {
    for (const t of tables) await sql.raw(`alter table ${t} enable trigger user`).execute(db);
  }
}

const hashOf = async (db: Kysely<Database>, seq: number) =>
  (
    await db
      .selectFrom('audit_events')
      .select('hash')
      .where('seq', '=', String(seq))
      .executeTakeFirstOrThrow()
  ).hash;

describeEachDatabase('retention job', (database) => {
  let store: AuditStore;
  let clock: Date;
  let ctx: JobContext;
  const retention = () =>
    retentionJob({ now: () => now, audit: { days: 30, prune: (before) => store.prune(before) } });

  // Events 1-5 are 100 days old, 6-8 recent: the prune takes 1-5 and appends `audit.pruned` (9).
  beforeEach(async () => {
    const { db } = database();
    await tamper(db, [
      'delete from audit_events',
      "update audit_chain_head set seq = 0, hash = repeat('0', 64)",
      "update audit_chain_checkpoint set seq = 0, hash = repeat('0', 64), pruned_at = null",
    ]);
    ctx = { db, replica: 'test', trigger: 'manual' };
    store = new AuditStore(db, { now: () => clock });
    for (let i = 1; i <= 8; i++) {
      clock = new Date(now.getTime() - (i <= 5 ? 100 : 0) * day + i);
      await store.record({
        event: 'user.update',
        access: 'write',
        resource: `user/user_${i}`,
        actor: 'ci',
        outcome: 'success',
        change: { name: `User ${i}` },
      });
    }
    clock = now;
  });

  it('purges idempotency keys past their 24 h lifetime, and only those', async () => {
    const { db } = database();
    await db.deleteFrom('idempotency_keys').execute();
    const key = (k: string, ageHours: number) => ({
      key: k,
      principal: 'tok_1',
      request_hash: 'h',
      status_code: 201,
      response: '{}',
      created_at: new Date(Date.now() - ageHours * 3600_000),
    });
    await db
      .insertInto('idempotency_keys')
      .values([key('expired', 25), key('live', 23)])
      .execute();
    expect(await retention().run(ctx)).toMatchObject({ idempotency_keys: 1 });
    const left = await db.selectFrom('idempotency_keys').select('key').execute();
    expect(left).toEqual([{ key: 'live' }]);
  });

  it('prunes old audit events; verify passes over the rest, from the checkpoint', async () => {
    const { db } = database();
    const hash5 = await hashOf(db, 5);
    expect(await retention().run(ctx)).toMatchObject({
      audit_events: { deleted: 5, through_seq: '5' },
    });
    const seqs = await db
      .selectFrom('audit_events')
      .select(['seq', 'event'])
      .orderBy('seq')
      .execute();
    expect(seqs.map((r) => [r.seq, r.event])).toEqual([
      ['6', 'user.update'],
      ['7', 'user.update'],
      ['8', 'user.update'],
      ['9', 'audit.pruned'],
    ]);
    expect(
      await db.selectFrom('audit_chain_checkpoint').select(['seq', 'hash']).executeTakeFirst(),
    ).toEqual({ seq: '5', hash: hash5 });
    expect(await store.verify()).toEqual({ ok: true, checked: 4, pruned_through: '5' });
    // Nothing more is due: a second run deletes nothing and records no new prune.
    expect(await retention().run(ctx)).toMatchObject({
      audit_events: { deleted: 0, through_seq: '5' },
    });
    expect(await store.verify()).toEqual({ ok: true, checked: 4, pruned_through: '5' });
  });

  const tampering: Array<{
    reason: string;
    statements: (db: Kysely<Database>) => Promise<string[]>;
    want: { kind: string; seq: string };
  }> = [
    {
      reason: 'an event kept after the prune, edited, breaks its hash',
      statements: async () => ["update audit_events set actor = 'someone-else' where seq = 7"],
      want: { kind: 'edited', seq: '7' },
    },
    {
      reason: 'the first kept event, removed, no longer links to the checkpoint',
      statements: async () => ['delete from audit_events where seq = 6'],
      want: { kind: 'removed', seq: '7' },
    },
    {
      reason: 'a checkpoint moved back leaves a gap before the first kept event',
      statements: async () => ["update audit_chain_checkpoint set seq = 3, hash = repeat('1', 64)"],
      want: { kind: 'removed', seq: '6' },
    },
    {
      reason: 'a checkpoint renumbered alone no longer meets the first kept event',
      statements: async () => ['update audit_chain_checkpoint set seq = 3'],
      want: { kind: 'edited', seq: '6' },
    },
    {
      reason: 'a checkpoint moved forward over kept events is not the one the prune recorded',
      statements: async (db) => [
        `update audit_chain_checkpoint set seq = 6, hash = '${await hashOf(db, 6)}'`,
        'delete from audit_events where seq = 6',
      ],
      want: { kind: 'removed', seq: '7' },
    },
  ];
  it.each(tampering)('after a prune, $reason', async ({ statements, want }) => {
    const { db } = database();
    await retention().run(ctx);
    await tamper(db, await statements(db));
    expect(await store.verify()).toMatchObject({ ok: false, problem: want });
  });

  it('the database refuses deletions the checkpoint does not cover, and a checkpoint off the chain', async () => {
    const { db } = database();
    await retention().run(ctx);
    for (const [statement, refusal] of [
      ['delete from audit_events where seq = 6', /append-only/],
      ['truncate audit_events', /append-only/],
      ['update audit_chain_checkpoint set seq = 3', /only moves forward/],
      ["update audit_chain_checkpoint set seq = 7, hash = 'forged'", /only moves forward/],
      ['delete from audit_chain_checkpoint', /only moves forward/],
    ] as const) {
      await expect(sql.raw(statement).execute(db), statement).rejects.toThrow(refusal);
    }
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it('refuses to prune a chain that does not verify, so tampering is never pruned away', async () => {
    const { db } = database();
    await tamper(db, ["update audit_events set actor = 'someone-else' where seq = 2"]);
    await expect(retention().run(ctx)).rejects.toThrow(/does not verify, nothing pruned/);
    expect(await db.selectFrom('audit_events').select('seq').execute()).toHaveLength(8);
    expect(await store.verify()).toMatchObject({
      ok: false,
      problem: { kind: 'edited', seq: '2' },
    });
  });
});
