// Pins the SQL statements one resource change costs on its way through the daemon: the API
// write, the reconcile that applies it, and the provider's `?wait=applied` long-poll, counted
// on real Postgres at node-postgres's door (support/statement-counter.ts). Audit appends are
// counted apart: the audit store group-commits whatever events arrive together (5 statements
// per append: begin, chain head FOR UPDATE, insert, head update, commit), so under load they
// cost a share of that; alone, as here, each event is one append. bench/provider.bench.ts
// reports the figure per create under load.
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
import { createPostgresDatabase } from '../support/databases.js';
import { countStatements, type StatementCounter } from '../support/statement-counter.js';

let services: Services;
let app: FastifyInstance;
let token: string;
let pg: { url: string; drop(): Promise<void> };
let counter: StatementCounter;
let accountId: string;
const dir = mkdtempSync(join(tmpdir(), 'telform-statements-'));
const auth = () => ({ authorization: `Bearer ${token}` });

async function reconcileDue(): Promise<void> {
  const rows = await services.engine.queue.claim(16);
  for (const row of rows) await reconcileResource(services.engine.deps, row);
}

beforeAll(async () => {
  pg = await createPostgresDatabase();
  services = await buildServices({
    databaseUrl: pg.url,
    dataDir: dir,
    driver: new MemoryPlatformDriver(),
    logger: false,
    env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  app = buildApp(services.api);
  await app.ready();
  token = (await services.api.tokens.create({ name: 'count', role: 'admin', createdBy: 'test' }))
    .token;
  const account = await app.inject({
    method: 'POST',
    url: '/v1/resources/account',
    headers: auth(),
    payload: { name: 'A', email: 'a@example.com' },
  });
  accountId = account.json().id;
  await reconcileDue();
  counter = countStatements();
}, 120_000);
afterAll(async () => {
  counter?.restore();
  await app?.close();
  await services?.close();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const newUser = () => {
  n += 1;
  return { account_id: accountId, name: `U${n}`, login: `user${n}`, email: `u${n}@example.com` };
};
const post = (payload: object) =>
  app.inject({ method: 'POST', url: '/v1/resources/user', headers: auth(), payload });
/** A user created and applied, outside the count. */
async function appliedUser(): Promise<{ id: string; spec: Record<string, unknown> }> {
  const created = (await post(newUser())).json();
  await reconcileDue();
  return created;
}

interface Counted {
  /** Statements of the phase's own work (audit appends apart). */
  readonly own: number;
  /** Audit appends (each 5 statements when alone). */
  readonly audits: number;
}
interface Case {
  readonly name: string;
  readonly reason: string;
  /** Sets up outside the count; returns the change to count. */
  readonly prepare: () => Promise<{
    id: string;
    write: () => Promise<LightMyRequestResponse>;
  }>;
  readonly want: { write: Counted; reconcile: Counted; poll: Counted };
}

const cases: Case[] = [
  {
    name: 'create',
    reason:
      'the apply path: insert (with its reference check) in one transaction; the claim marks ' +
      'the create pending, the account id comes from the cache, one update records it; the ' +
      'long-poll reads the row, wakes at the recorded outcome and reads it once more with its ' +
      'platform view (one statement: only the resources its references name)',
    prepare: async () => ({ id: '', write: () => post(newUser()) }),
    want: {
      write: { own: 4, audits: 1 },
      reconcile: { own: 2, audits: 1 },
      poll: { own: 3, audits: 1 },
    },
  },
  {
    name: 'update',
    reason:
      'a replace locks and rewrites the row; the reconcile observes the platform, updates it ' +
      'and records the outcome; the long-poll reads the row with its platform view (2 statements) before and after',
    prepare: async () => {
      const user = await appliedUser();
      return {
        id: user.id,
        write: () =>
          app.inject({
            method: 'PUT',
            url: `/v1/resources/user/${user.id}`,
            headers: auth(),
            payload: { ...user.spec, name: `${String(user.spec.name)} renamed` },
          }),
      };
    },
    want: {
      write: { own: 5, audits: 1 },
      reconcile: { own: 2, audits: 1 },
      poll: { own: 4, audits: 1 },
    },
  },
  {
    name: 'delete',
    reason:
      'a deletion request marks the row; the reconcile counts live dependents, deletes on the ' +
      'platform and removes the row; the long-poll (its first read finds the applied row with its platform view) ends at the removal with one read',
    prepare: async () => {
      const user = await appliedUser();
      return {
        id: user.id,
        write: () =>
          app.inject({ method: 'DELETE', url: `/v1/resources/user/${user.id}`, headers: auth() }),
      };
    },
    want: {
      write: { own: 4, audits: 1 },
      reconcile: { own: 3, audits: 1 },
      poll: { own: 3, audits: 1 },
    },
  },
];

function counted(phase: string): Counted {
  const statements = counter.statements(phase);
  const audits = statements.filter((s) => /audit_chain_head" where .* for update/.test(s)).length;
  return { own: statements.length - 5 * audits, audits };
}

/** Audit appends of `phase` whose transaction has committed (a chain-head lock, then a commit). */
function appendsCommitted(phase: string): number {
  let open = false;
  let done = 0;
  for (const statement of counter.statements(phase)) {
    if (/audit_chain_head" where .* for update/.test(statement)) open = true;
    else if (open && /^commit/i.test(statement.trim())) {
      open = false;
      done += 1;
    }
  }
  return done;
}

describe('statements per change, one change at a time, on Postgres', () => {
  it.each(cases)('$name: $reason', async ({ prepare, want }) => {
    const { id: known, write } = await prepare();
    counter.reset();
    // The body's stream events lose the async context: count everything while the write runs.
    const written = await counter.alone('write', write);
    expect(written.statusCode, written.body).toBeLessThan(300);
    const id = known || written.json().id;
    await vi.waitUntil(() => counted('write').audits >= want.write.audits, {
      timeout: 20_000,
      interval: 10,
    });
    const poll = counter.run('poll', () =>
      app.inject({ method: 'GET', url: `/v1/resources/user/${id}?wait=applied`, headers: auth() }),
    );
    // The long-poll has read the row and waits before the outcome is recorded.
    await vi.waitUntil(() => counter.statements('poll').length >= 1, {
      timeout: 20_000,
      interval: 10,
    });
    await counter.run('reconcile', reconcileDue);
    const answer = await poll;
    expect(answer.statusCode).toBeLessThan(500);
    // Reads are audited off the response path, in a batch that lingers: wait for its commit too.
    await vi.waitUntil(() => appendsCommitted('poll') >= want.poll.audits, {
      timeout: 20_000,
      interval: 10,
    });
    const got = { write: counted('write'), reconcile: counted('reconcile'), poll: counted('poll') };
    expect(
      got,
      JSON.stringify(counter.counts()) + '\n' + counter.statements('poll').join('\n'),
    ).toEqual(want);
  });
});
