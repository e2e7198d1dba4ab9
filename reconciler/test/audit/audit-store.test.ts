import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import type { AuditEventInput } from '../../src/audit/audit-sink.js';
import { openDatabase } from '../../src/store/open-database.js';
import { describeEachDatabase } from '../support/databases.js';

const base: AuditEventInput = {
  event: 'user.read',
  access: 'read',
  actor: 'ci',
  outcome: 'success',
};
const seed: AuditEventInput[] = [
  {
    ...base,
    event: 'user.create',
    access: 'write',
    resource: 'user/user_1',
    accountId: 'account_a',
    ip: '10.0.0.1',
  },
  { ...base, event: 'user.read', resource: 'user/user_1', accountId: 'account_a', ip: '10.0.0.2' },
  {
    ...base,
    event: 'webhook.update',
    access: 'write',
    resource: 'webhook/webhook_1',
    accountId: 'account_b',
    actor: 'partner-x',
    ip: '192.168.1.5',
  },
  {
    ...base,
    event: 'token.create',
    access: 'write',
    actor: 'admin',
    outcome: 'denied',
    ip: '10.0.0.1',
  },
  {
    ...base,
    event: 'user_group.read',
    resource: 'user_group/g_1',
    accountId: 'sub_account_c',
    actor: 'partner-y',
    outcome: 'failure',
  },
];

describeEachDatabase('AuditStore', (database) => {
  let clock = Date.parse('2026-11-22T08:00:00.000Z');
  const store = () => new AuditStore(database().db, { now: () => new Date(clock) });

  beforeAll(async () => {
    for (const event of seed) {
      clock += 60_000;
      await store().record(event);
    }
  });

  const filters = [
    { reason: 'event names are exact', filter: { events: ['user.read'] }, want: ['2'] },
    {
      reason: 'a trailing * matches a prefix, and _ is literal, not a wildcard',
      filter: { events: ['user.*'] },
      want: ['2', '1'],
    },
    { reason: 'reads/writes switch', filter: { access: 'write' as const }, want: ['4', '3', '1'] },
    { reason: 'resource by prefix', filter: { resourcePrefix: 'webhook/' }, want: ['3'] },
    { reason: 'actor by prefix', filter: { actorPrefix: 'partner' }, want: ['5', '3'] },
    { reason: 'outcome', filter: { outcome: 'denied' as const }, want: ['4'] },
    { reason: 'partial IP', filter: { ip: '0.0.' }, want: ['4', '2', '1'] },
    {
      reason: 'time range: from inclusive, to exclusive',
      filter: {
        from: new Date('2026-11-22T08:02:00.000Z'),
        to: new Date('2026-11-22T08:04:00.000Z'),
      },
      want: ['3', '2'],
    },
    {
      reason: 'a scoped caller sees its accounts only',
      filter: { accountIds: ['account_b', 'sub_account_c'] },
      want: ['5', '3'],
    },
    { reason: 'an empty scope sees nothing', filter: { accountIds: [] }, want: [] },
    {
      reason: 'filters combine with AND',
      filter: { access: 'write' as const, ip: '10.0.0.1' },
      want: ['4', '1'],
    },
  ];
  it.each(filters)('filters: $reason', async ({ filter, want }) => {
    const page = await store().query(filter);
    expect(page.items.map((e) => e.seq)).toEqual(want);
  });

  it('pages with a cursor in both orders', async () => {
    const first = await store().query({ limit: 2 });
    expect(first.items.map((e) => e.seq)).toEqual(['5', '4']);
    const second = await store().query({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.seq)).toEqual(['3', '2']);
    const asc = await store().query({ limit: 4, order: 'asc' });
    expect(
      (await store().query({ order: 'asc', cursor: asc.nextCursor! })).items.map((e) => e.seq),
    ).toEqual(['5']);
    await expect(store().query({ cursor: 'garbage' })).rejects.toThrow(/cursor is not valid/);
  });

  it('stores the change without secrets, and survives NUL and broken surrogates', async () => {
    const s = new AuditStore(database().db, { secretPaths: () => ['auth.pin'] });
    await s.record({
      ...base,
      event: 'x.\u0000write',
      resource: 'user/\ud800',
      // The pin is not all hex digits, so the event's own hashes cannot contain it by chance.
      change: { auth: { pin: 'PIN-0042', password: 'hunter2' }, note: 'a\u0000b' },
    });
    const [event] = (await s.query({ limit: 1 })).items;
    expect(JSON.stringify(event)).not.toMatch(/PIN-0042|hunter2/);
    expect(event?.change).toEqual({
      auth: { pin: '[redacted]', password: '[redacted]' },
      note: 'a\u0000b',
    });
    expect(await s.verify()).toMatchObject({ ok: true });
  });

  it("scrubs the catalogue's sensitive attributes of the event's kind, even under a wrapper", async () => {
    const s = new AuditStore(database().db);
    await s.record({
      ...base,
      event: 'platform.provisioning.update',
      resource: 'provisioning/provisioning_1',
      change: {
        observed: {
          provisioning_url: 'https://p.example/boot?t=SECRET1',
          rotation_period_days: 90,
        },
      },
    });
    const [event] = (await s.query({ limit: 1 })).items;
    expect(event?.change).toEqual({
      observed: { provisioning_url: '[redacted]', rotation_period_days: 90 },
    });
  });

  it('exports every matching event oldest first', async () => {
    const all: string[] = [];
    for await (const e of store().export({ access: 'write' })) all.push(e.seq);
    expect(all.slice(0, 3)).toEqual(['1', '3', '4']);
  });
});

describe('AuditStore with two daemons on one Postgres', () => {
  it('extends one gap-free chain from concurrent appends, and paging during writes neither skips nor repeats', async () => {
    const { createPostgresDatabase } = await import('../support/databases.js');
    const { migrateToLatest } = await import('../../src/store/migrate.js');
    const pg = await createPostgresDatabase();
    const a = await openDatabase({ databaseUrl: pg.url, poolSize: 4 });
    const b = await openDatabase({ databaseUrl: pg.url, poolSize: 4 });
    try {
      await migrateToLatest(a.db);
      const storeA = new AuditStore(a.db);
      const storeB = new AuditStore(b.db);
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => storeA.record({ ...base, event: `seed.${i}` })),
      );
      const writes = Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          (i % 2 ? storeA : storeB).record({ ...base, event: `e.${i}`, actor: i % 2 ? 'a' : 'b' }),
        ),
      );
      // Oldest-first paging while the writes run: every seed event exactly once, in order.
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await storeB.query({ order: 'asc', limit: 7, cursor, events: ['seed.*'] });
        seen.push(...page.items.map((e) => e.seq));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      await writes;
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
      const { rows } = await sql<{
        n: string;
        max: string;
      }>`select count(*) as n, max(seq) as max from audit_events`.execute(a.db);
      expect(rows[0]).toEqual({ n: '350', max: '350' });
      expect(await storeA.verify()).toEqual({ ok: true, checked: 350 });
    } finally {
      await a.close();
      await b.close();
      await pg.drop();
    }
  });
});
