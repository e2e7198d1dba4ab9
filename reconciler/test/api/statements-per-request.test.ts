// SQL statements per API read, counted through kysely's log hook on the daemon's own services
// (token cache, read-audit buffer, auth), on both stores. A regression fails with the count and
// the statements it saw. Each read's audit event is flushed before counting ends, so the count
// is the request's statements plus the batch its event went in (alone, as here: 1 statement).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { firstAdminToken } from '../../src/first-admin-token.js';
import { buildServices, type Services } from '../../src/services.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { createPostgresDatabase, dialects } from '../support/databases.js';
import { accountBody, userBody } from './app-fixture.js';

// The audit batch of one read event: one statement that advances the chain head and inserts the
// event (audit/append-audit-events.ts; it was five: begin, head FOR UPDATE, insert, update, commit).
const AUDIT_BATCH = 1;

interface Case {
  readonly name: string;
  readonly why: string;
  readonly url: (ids: { account: string; user: string }) => string;
  /** Statements on the response path (the same on both stores: tokens are served from memory). */
  readonly path: number;
}

const cases: readonly Case[] = [
  {
    name: 'GET one resource',
    why: 'what a refresh does once per resource: the row and its platform view (the resources its references name and the drift policies of its owners) in one statement (was 2: the row, then the view)',
    url: ({ user }) => `/v1/resources/user/${user}`,
    path: 1,
  },
  {
    name: 'GET a list page of one account',
    why: 'the bulk read of a plan: the account (visible, and its tree), the page, and the platform view of the whole page in one statement',
    url: ({ account }) => `/v1/resources?account_id=${account}&limit=100`,
    path: 3,
  },
];

for (const dialect of dialects) {
  describe(`statements per API read [${dialect}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-statements-'));
    const seen: string[] = [];
    let counting = false;
    let services: Services;
    let app: FastifyInstance;
    let token: string;
    let drop: (() => Promise<void>) | undefined;
    const ids = { account: '', user: '' };

    const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload: payload as object } : {}),
      });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string };
    };

    beforeAll(async () => {
      const pg = dialect === 'postgres' ? await createPostgresDatabase() : undefined;
      drop = pg?.drop;
      services = await buildServices({
        ...(pg ? { databaseUrl: pg.url } : {}),
        dataDir: dir,
        driver: new MemoryPlatformDriver(),
        logger: false,
        env: { TELFORM_SECRET_KEY: randomBytes(32).toString('base64') },
        queryLog: (event) => {
          if (counting && event.level === 'query') seen.push(event.query.sql);
        },
      });
      app = buildApp(services.api);
      await app.ready();
      token = (await firstAdminToken(services.api.tokens, services.api.audit))!;
      ids.account = (await call('POST', '/v1/resources/account', accountBody())).id;
      ids.user = (await call('POST', '/v1/resources/user', userBody(ids.account, 'ada'))).id;
      // Applied, as a plan's refresh finds it: the read computes its platform view.
      for (const id of [ids.account, ids.user]) {
        await sql`update resources set external_id = ${`p_${id}`}, observed = spec,
          applied_generation = generation where id = ${id}`.execute(services.database.db);
      }
      // The token is cached from here on, as for every request of a busy client.
      await call('GET', `/v1/resources/user/${ids.user}`);
      await services.readAudit.flush();
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(cases)('$name', async (c) => {
      seen.length = 0;
      counting = true;
      try {
        await call('GET', c.url(ids));
        await services.readAudit.flush();
      } finally {
        counting = false;
      }
      const want = c.path + AUDIT_BATCH;
      expect(
        seen.length,
        `${c.name} (${c.why}): ${seen.length} statements, want ${want}:\n${seen.join('\n')}`,
      ).toBe(want);
    });
  });
}
