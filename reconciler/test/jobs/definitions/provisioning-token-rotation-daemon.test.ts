// The provisioning-token rotation job on a real daemon (bundled emulator over HTTP, Postgres):
// the daemon registers it because HttpPlatformDriver can rotate, a run rotates a due token on
// the platform, the engine records the new observation, and neither the old nor the new token
// reaches the run's summary, the audit trail, the notification outbox or the logs. Also: the
// retention job's audit pruning is switched on by the daemon's audit retention setting.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningDaemon } from '../../../src/daemon.js';
import { startLoggedDaemon, type LoggedDaemon } from '../../support/logged-daemon.js';

interface Json {
  readonly [key: string]: unknown;
}

let running: LoggedDaemon;
let daemon: RunningDaemon;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(daemon.url + path, {
    method,
    headers: {
      authorization: `Bearer ${daemon.adminToken!}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
}

beforeAll(async () => {
  running = await startLoggedDaemon({
    workers: { pollMs: 50 },
    auditRetentionDays: 30,
    jobs: false, // runs are started by hand below; registration does not depend on it
  });
  daemon = running.daemon;
}, 120_000);
afterAll(async () => {
  await running?.dispose();
});

describe('provisioning token rotation in the daemon', () => {
  it('is listed by /v1/jobs, rotates a due token, and keeps both tokens out of summaries and audit', async () => {
    const jobs = await call('GET', '/v1/jobs');
    const listed = jobs.body.items as Json[];
    expect(listed.map((j) => j.name)).toContain('provisioning-token-rotation');
    // Retention prunes audit events only when told to (here: 30 days), and always old keys.
    expect(listed.find((j) => j.name === 'retention')?.description).toMatch(
      /expired idempotency keys and audit events older than 30 days/,
    );

    const account = await call('POST', '/v1/resources/account', {
      name: 'Acme',
      email: 'admin@acme.example',
    });
    expect(account.status, account.text).toBe(201);
    const prov = await call('POST', '/v1/resources/provisioning', {
      account_id: account.body.id,
      rotation_period_days: 1,
    });
    expect(prov.status, prov.text).toBe(201);
    const id = String(prov.body.id);
    const observed = async () => {
      const res = await call(
        'GET',
        `/v1/resources/provisioning/${id}?wait=applied&timeout_ms=30000`,
      );
      return (res.body.status as { observed: Json | null }).observed ?? {};
    };
    const oldToken = String((await observed()).token);
    expect(oldToken).toMatch(/^[\w-]{10,}$/);

    // Not due yet: generated a moment ago.
    const early = await call('POST', '/v1/jobs/provisioning-token-rotation/run');
    expect(early.body).toMatchObject({ outcome: 'success', summary: { not_due: 1, rotated: [] } });

    const sub = await call('POST', '/v1/notifications/subscriptions', {
      url: 'http://127.0.0.1:9/hook',
      secret: randomBytes(16).toString('hex'),
      events: ['provisioning.token_rotated'],
    });
    expect(sub.status, sub.text).toBe(201);

    // Due: the last rotation as observed is two days old.
    const db = daemon.database.db;
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
    await sql`update resources set observed = jsonb_set(observed, '{token_rotated_at}', to_jsonb(${twoDaysAgo}::text)) where id = ${id}`.execute(
      db,
    );
    const run = await call('POST', '/v1/jobs/provisioning-token-rotation/run');
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({
      outcome: 'success',
      summary: { checked: 1, rotated: [{ resource_id: id }], failures: [] },
    });

    // The engine re-observes the requeued resource and records the new token.
    let newToken = oldToken;
    await vi.waitFor(
      async () => {
        newToken = String((await observed()).token);
        expect(newToken).not.toBe(oldToken);
      },
      { timeout: 15_000, interval: 100 },
    );

    const runs = await call('GET', '/v1/jobs/provisioning-token-rotation/runs');
    const { rows: events } = await sql`select * from audit_events`.execute(db);
    const { rows: outbox } = await sql<{
      event: string;
    }>`select * from notification_outbox`.execute(db);
    const { rows: jobRuns } = await sql`select summary from job_runs`.execute(db);
    expect(outbox.map((o) => o.event)).toEqual(['provisioning.token_rotated']);
    const haystacks = {
      'run answer': run.text,
      'runs listing': runs.text,
      'job_runs rows': JSON.stringify(jobRuns),
      audit: JSON.stringify(events),
      outbox: JSON.stringify(outbox),
      logs: running.logs.join(''),
    };
    const found: string[] = [];
    for (const [where, text] of Object.entries(haystacks))
      for (const [name, value] of Object.entries({ old: oldToken, new: newToken }))
        if (text.includes(value)) found.push(`${name} token in ${where}`);
    expect(found).toEqual([]);
    expect((await call('GET', '/v1/audit/verify')).body.ok).toBe(true);
  }, 120_000);
});
