// Audit chain health without running verify: the scheduled job's last result shows on /status
// and as the telform_audit_chain_ok gauge, across a break.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/audit-store.js';
import { auditChainJob } from '../../../src/jobs/definitions/audit-chain-job.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { startApp, type AppFixture } from '../../api/app-fixture.js';

let f: AppFixture;
let scheduler: Scheduler;
beforeAll(async () => {
  f = await startApp('postgres');
  scheduler = new Scheduler(f.database.db, { replica: 'r1', dialect: 'postgres' });
  scheduler.register(auditChainJob());
});
afterAll(() => f?.close());

const status = async () => (await f.app.inject({ method: 'GET', url: '/status' })).json();
const gauge = async () => {
  const text = (await f.app.inject({ method: 'GET', url: '/metrics' })).body;
  return /^telform_audit_chain_ok (\S+)$/m.exec(text)?.[1];
};

describe('scheduled audit chain verification', () => {
  it('before the first run: no result, and a gauge that alerts on nothing (NaN)', async () => {
    expect((await status()).audit_chain).toBeNull();
    // prom-client writes `Nan`; Prometheus parses NaN case-blind.
    expect(await gauge()).toMatch(/^nan$/i);
  });

  it('a sound chain: ok with the events it walked, gauge 1', async () => {
    const audit = new AuditStore(f.database.db);
    for (let i = 0; i < 3; i++)
      await audit.record({
        event: 'user.create',
        access: 'write',
        resource: `user/user_${i}`,
        actor: 'ci',
        outcome: 'success',
      });
    expect(await scheduler.runNow('audit-chain-verify')).toMatchObject({ outcome: 'success' });
    const chain = (await status()).audit_chain;
    expect(chain).toMatchObject({ ok: true, first_bad_event: null });
    expect(chain.events).toBeGreaterThanOrEqual(3);
    expect(Date.parse(chain.checked_at)).not.toBeNaN();
    expect(await gauge()).toBe('1');
  });

  it('an edited event: not ok, names the first bad event, gauge 0', async () => {
    const { db } = f.database;
    const victim = await db
      .selectFrom('audit_events')
      .select('seq')
      .where('resource', '=', 'user/user_1')
      .executeTakeFirstOrThrow();
    await sql`alter table audit_events disable trigger user`.execute(db);
    try {
      await sql`update audit_events set actor = 'someone else' where seq = ${victim.seq}`.execute(
        db,
      );
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(db);
    }
    await scheduler.runNow('audit-chain-verify');
    expect((await status()).audit_chain).toMatchObject({
      ok: false,
      first_bad_event: { seq: String(victim.seq), kind: 'edited' },
    });
    expect(await gauge()).toBe('0');
  });
});
