// Pins the SQL statements one resource change costs on its way through the daemon: the API
// write, the reconcile that applies it, and the provider's `?wait=applied` long-poll, counted
// at node-postgres's door (support/statement-counter.ts), on real Postgres and on embedded
// PGlite (through its node-postgres adapter): the same statements on both. Audit statements are
// counted apart: an event appended alone is one statement (audit/append-audit-events.ts), and
// several appended together (a group commit, a batch of reads) share four. bench/provider.bench.ts
// reports the figure per create under load. TELFORM_LOG_STATEMENTS=1 prints each phase's SQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { reconcileResource } from '../../src/reconcile/reconcile-resource.js';
import { buildServices, type Services } from '../../src/services.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { createPostgresDatabase, dialects, type Dialect } from '../support/databases.js';
import { countStatements, type StatementCounter } from '../support/statement-counter.js';

interface Harness {
  readonly services: Services;
  readonly app: FastifyInstance;
  readonly counter: StatementCounter;
  readonly token: string;
  readonly accountId: string;
  close(): Promise<void>;
}

async function reconcileDue(services: Services): Promise<void> {
  const rows = await services.engine.queue.claim(16);
  for (const row of rows) await reconcileResource(services.engine.deps, row);
}

async function start(dialect: Dialect): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'telform-statements-'));
  const pg = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  const services = await buildServices({
    ...(pg ? { databaseUrl: pg.url } : {}),
    dataDir: dir,
    driver: new MemoryPlatformDriver(),
    logger: false,
    env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  const app = buildApp(services.api);
  await app.ready();
  const token = (
    await services.api.tokens.create({ name: 'count', role: 'admin', createdBy: 'test' })
  ).token;
  const account = await app.inject({
    method: 'POST',
    url: '/v1/resources/account',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'A', email: 'a@example.com' },
  });
  await reconcileDue(services);
  const counter = countStatements();
  return {
    services,
    app,
    token,
    accountId: account.json().id,
    counter,
    async close() {
      counter.restore();
      await app.close();
      await services.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;
const newUser = (h: Harness) => {
  n += 1;
  return { account_id: h.accountId, name: `U${n}`, login: `user${n}`, email: `u${n}@example.com` };
};
const auth = (h: Harness) => ({ authorization: `Bearer ${h.token}` });
const post = (h: Harness, payload: object, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/v1/resources/user',
    headers: { ...auth(h), ...headers },
    payload,
  });
/** A user created and applied, outside the count. */
async function appliedUser(h: Harness): Promise<{ id: string; spec: Record<string, unknown> }> {
  const created = (await post(h, newUser(h))).json();
  await reconcileDue(h.services);
  return created;
}

interface Counted {
  /** Statements of the phase's own work (audit statements apart). */
  readonly own: number;
  /** Audit statements: one per event appended alone. */
  readonly audits: number;
}
interface Case {
  readonly name: string;
  readonly reason: string;
  /** Sets up outside the count; returns the change to count. */
  readonly prepare: (h: Harness) => Promise<{
    id: string;
    write: () => Promise<LightMyRequestResponse>;
  }>;
  readonly want: { write: Counted; reconcile: Counted; poll: Counted };
}

const cases: Case[] = [
  {
    name: 'create',
    reason:
      'the apply path: insert (with its reference check) and its audit event in one ' +
      'transaction; the claim marks the create pending, the account id comes from the cache, ' +
      'the platform event and one update record it; the long-poll reads the row, wakes at the ' +
      'recorded outcome with the row the update returned and adds only its platform view (one ' +
      'statement: the resources its references name); its read event is one statement',
    prepare: async (h) => ({ id: '', write: () => post(h, newUser(h)) }),
    want: {
      write: { own: 4, audits: 1 },
      reconcile: { own: 2, audits: 1 },
      poll: { own: 2, audits: 1 },
    },
  },
  {
    name: 'create with an Idempotency-Key',
    reason:
      'the provider sends one with every create: the key looked up (an expired one dropped in ' +
      'the same statement) and stored in the write transaction, two statements more',
    prepare: async (h) => ({
      id: '',
      write: () => post(h, newUser(h), { 'idempotency-key': `count-${n}` }),
    }),
    want: {
      write: { own: 6, audits: 1 },
      reconcile: { own: 2, audits: 1 },
      poll: { own: 2, audits: 1 },
    },
  },
  {
    name: 'update',
    reason:
      'a replace locks and rewrites the row; the reconcile observes the platform, updates it ' +
      'and records the outcome; the long-poll reads the row with its platform view (one ' +
      'statement), then adds the platform view to the recorded row (1)',
    prepare: async (h) => {
      const user = await appliedUser(h);
      return {
        id: user.id,
        write: () =>
          h.app.inject({
            method: 'PUT',
            url: `/v1/resources/user/${user.id}`,
            headers: auth(h),
            payload: { ...user.spec, name: `${String(user.spec.name)} renamed` },
          }),
      };
    },
    want: {
      write: { own: 5, audits: 1 },
      reconcile: { own: 2, audits: 1 },
      poll: { own: 2, audits: 1 },
    },
  },
  {
    name: 'delete',
    reason:
      'a deletion request marks the row; the reconcile counts live dependents, deletes on the ' +
      'platform and removes the row; the long-poll (its first read finds the applied row with ' +
      'its platform view, one statement) ends at the reported removal without a read',
    prepare: async (h) => {
      const user = await appliedUser(h);
      return {
        id: user.id,
        write: () =>
          h.app.inject({
            method: 'DELETE',
            url: `/v1/resources/user/${user.id}`,
            headers: auth(h),
          }),
      };
    },
    want: {
      write: { own: 4, audits: 1 },
      reconcile: { own: 3, audits: 1 },
      poll: { own: 1, audits: 1 },
    },
  },
];

const isAudit = (statement: string) => /"?audit_(events|chain_head)"?/.test(statement);

function counted(h: Harness, phase: string): Counted {
  const statements = h.counter.statements(phase);
  const audits = statements.filter(isAudit).length;
  return { own: statements.length - audits, audits };
}

for (const dialect of dialects) {
  describe(`statements per change, one change at a time [${dialect}]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start(dialect);
    }, 120_000);
    afterAll(() => h?.close());

    it.each(cases)('$name: $reason', async ({ prepare, want }) => {
      const { counter } = h;
      const { id: known, write } = await prepare(h);
      counter.reset();
      // The body's stream events lose the async context: count everything while the write runs.
      const written = await counter.alone('write', write);
      expect(written.statusCode, written.body).toBeLessThan(300);
      const id = known || written.json().id;
      const poll = counter.run('poll', () =>
        h.app.inject({
          method: 'GET',
          url: `/v1/resources/user/${id}?wait=applied`,
          headers: auth(h),
        }),
      );
      // The long-poll has read the row and waits before the outcome is recorded.
      await vi.waitUntil(() => counter.statements('poll').length >= 1, {
        timeout: 20_000,
        interval: 10,
      });
      await counter.run('reconcile', () => reconcileDue(h.services));
      const answer = await poll;
      expect(answer.statusCode).toBeLessThan(500);
      // Reads are audited off the response path, in a batch that lingers: wait for it too.
      await vi.waitUntil(() => counted(h, 'poll').audits >= want.poll.audits, {
        timeout: 20_000,
        interval: 10,
      });
      const got = {
        write: counted(h, 'write'),
        reconcile: counted(h, 'reconcile'),
        poll: counted(h, 'poll'),
      };
      const log = ['write', 'reconcile', 'poll']
        .map((phase) => `== ${phase}\n${counter.statements(phase).join('\n')}`)
        .join('\n');
      if (process.env.TELFORM_LOG_STATEMENTS) console.log(log);
      expect(got, log).toEqual(want);
    });
  });
}
