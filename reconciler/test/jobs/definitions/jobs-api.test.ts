import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/api/build-app.js';
import { apiServicesFor } from '../../../src/services.js';
import type { Principal } from '../../../src/auth/principal.js';
import type { CliIo } from '../../../src/cli/cli-target.js';
import { registerJobsCommand } from '../../../src/cli/commands/jobs.js';
import { retentionJob } from '../../../src/jobs/definitions/retention-job.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { AesGcmSecretBox } from '../../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

describe('/v1/jobs and telform jobs', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let scheduler: Scheduler;
  let endpoint: string;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    scheduler = new Scheduler(t.db, { replica: 'r1', dialect: 'postgres' });
    scheduler.register(retentionJob({ timezone: 'Europe/Paris' }));
    scheduler.start();
    app = buildApp({
      ...apiServicesFor(new ResourceStore(t.db, new AesGcmSecretBox(randomBytes(32)))),
      auth: async (instance) => {
        instance.addHook('onRequest', async (request) => {
          const scope = request.headers['x-test-scope'];
          const principal: Principal = {
            tokenId: 't',
            name: 'tester',
            role: 'operator',
            scopeAccountId: typeof scope === 'string' ? scope : null,
          };
          request.principal = principal;
        });
      },
      jobs: { scheduler },
    });
    endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await app?.close();
    await t?.dispose();
  });

  it('runs a job now, records the run and lists it with the job', async () => {
    const run = await app.inject({ method: 'POST', url: '/v1/jobs/retention/run' });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({
      outcome: 'success',
      summary: { drift_records: 0, notifications: 0 },
    });
    const list = await app.inject({ url: '/v1/jobs' });
    const [job] = list.json().items;
    expect(job).toMatchObject({
      name: 'retention',
      schedule: '30 2 * * *',
      timezone: 'Europe/Paris',
    });
    expect(new Date(job.next_run_at).getTime()).toBeGreaterThan(Date.now());
    expect(job.last_runs).toMatchObject([
      { id: run.json().run_id, trigger: 'manual', outcome: 'success', replica: 'r1' },
    ]);
    expect(
      (await app.inject({ url: '/v1/jobs/retention/runs?limit=1' })).json().items,
    ).toHaveLength(1);
  });

  it.each([
    {
      why: 'an unknown job is a 404 naming the known ones',
      url: '/v1/jobs/nope/run',
      headers: {},
      status: 404,
      has: 'known: retention',
    },
    {
      why: 'a token scoped to one account may not run global jobs',
      url: '/v1/jobs/retention/run',
      headers: { 'x-test-scope': 'account_a' },
      status: 403,
      has: 'scoped',
    },
    {
      why: 'a malformed name is refused by the schema',
      url: '/v1/jobs/NOPE!/run',
      headers: {},
      status: 422,
      has: 'name',
    },
  ])('$why', async ({ url, headers, status, has }) => {
    const res = await app.inject({ method: 'POST', url, headers });
    expect(res.statusCode).toBe(status);
    expect(res.body).toContain(has);
  });

  it('telform jobs list prints a table, and run prints the summary', async () => {
    let out = '';
    let err = '';
    const io: CliIo = {
      env: { TELFORM_ENDPOINT: endpoint, TELFORM_TOKEN: 'x' },
      out: (s) => void (out += s),
      fail: (m) => void (err += m),
    };
    const program = new Command('telform').exitOverride();
    registerJobsCommand(program, io);
    await program.parseAsync(['node', 'telform', 'jobs', 'list']);
    expect(out.split('\n')[0]).toMatch(
      /^NAME\s+SCHEDULE\s+TIME ZONE\s+NEXT RUN\s+LAST RUN\s+OUTCOME$/,
    );
    // 02:30 in Paris: 01:30 UTC in winter, 00:30 UTC in summer.
    expect(out).toMatch(
      /\nretention\s+30 2 \* \* \*\s+Europe\/Paris\s+\S+T0[01]:30:00\.000Z\s+\S+\s+success\n/,
    );
    out = '';
    await program.parseAsync(['node', 'telform', 'jobs', 'run', 'retention']);
    expect(JSON.parse(out)).toMatchObject({ outcome: 'success' });
    await program.parseAsync(['node', 'telform', 'jobs', 'run', 'nope']);
    expect(err).toContain('404');
  });
});
