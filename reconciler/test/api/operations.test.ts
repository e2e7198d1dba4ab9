import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedKinds, dataSourceKinds } from '@telform/schemas';
import type { FastifyPluginAsync } from 'fastify';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import { PlatformError, type PlatformDriver } from '../../src/driver/platform-driver.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createPostgresDatabase } from '../support/databases.js';
import { accountBody, startApp, userBody, type AppFixture } from './app-fixture.js';

// A driver whose `read` answers from a table; the other methods are never called by the API.
function readOnlyDriver(answers: Record<string, () => unknown>): PlatformDriver {
  const unused = () => Promise.reject(new Error('the API never calls this'));
  return {
    observe: unused,
    create: unused,
    update: unused,
    delete: unused,
    list: unused,
    listAccounts: unused,
    activity: unused,
    read: async (kind, accountExternalId) =>
      answers[`${kind}:${accountExternalId}`]?.() as Record<string, unknown>,
  };
}

describe('operations routes and platform data', () => {
  let f: AppFixture;
  let accountId: string;
  beforeAll(async () => {
    const driver = readOnlyDriver({
      'limits:ext-a': () => ({ account_id: 'ext-a', max_users: 50 }),
      'seat_usage:ext-a': () => {
        throw new PlatformError('retryable', 'platform busy', { status: 429, retryAfterMs: 2000 });
      },
    });
    f = await startApp('postgres', { driver });
    accountId = (
      await f.app.inject({ method: 'POST', url: '/v1/resources/account', payload: accountBody() })
    ).json().id;
  });
  afterAll(() => f.close());

  it('/healthz and /readyz answer on a migrated database', async () => {
    expect((await f.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    expect((await f.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
    });
  });

  it('/status names the telform version, the one `telform --version` prints', async () => {
    const rootPackage = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const res = await f.app.inject({ method: 'GET', url: '/status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: rootPackage.version, node: process.versions.node });
  });

  it('/readyz is 503 not_ready while migrations are missing', async () => {
    const pg = await createPostgresDatabase();
    const opened = await openDatabase({ databaseUrl: pg.url });
    const app = buildApp({
      ...apiServicesFor(new ResourceStore(opened.db, new AesGcmSecretBox(Buffer.alloc(32, 1)))),
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: 'not_ready',
        detail: expect.stringContaining('0001-resources'),
      });
    } finally {
      await app.close();
      await opened.close();
      await pg.drop();
    }
  });

  it('/metrics shows queue depth from the store and requests by route and status', async () => {
    await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      payload: userBody(accountId, 'metric'),
    });
    const text = (await f.app.inject({ method: 'GET', url: '/metrics' })).body;
    const depth = Number(/^telform_queue_depth (\d+)$/m.exec(text)?.[1]);
    expect(depth).toBe(await f.store.queueDepth());
    expect(depth).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(
      /telform_http_requests_total\{method="POST",route="\/v1\/resources\/user",status="201"\} 1/,
    );
    for (const name of [
      'telform_reconcile_outcomes_total',
      'telform_reconcile_duration_seconds',
      'telform_platform_calls_total',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('/openapi.json documents every managed kind body and every data source', async () => {
    const doc = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const { kind } of managedKinds()) {
      const post = doc.paths[`/v1/resources/${kind}`]?.post;
      expect(post, kind).toBeDefined();
      expect(JSON.stringify(post.requestBody)).toContain(`#/components/schemas/${kind}`);
      expect(doc.components.schemas[kind], kind).toBeDefined();
      expect(doc.paths[`/v1/resources/${kind}/{id}`]).toHaveProperty('put');
      expect(post.responses['4XX'].content).toHaveProperty(['application/problem+json']);
    }
    for (const { kind } of dataSourceKinds()) {
      expect(doc.paths[`/v1/accounts/{id}/${kind.replaceAll('_', '-')}`], kind).toHaveProperty(
        'get',
      );
    }
  });

  it('platform data: 409 before the account reaches the platform, then the platform answer', async () => {
    const before = await f.app.inject({ method: 'GET', url: `/v1/accounts/${accountId}/limits` });
    expect(before.statusCode).toBe(409);
    await f.database.db
      .updateTable('resources')
      .set({ external_id: 'ext-a' })
      .where('id', '=', accountId)
      .execute();
    const after = await f.app.inject({ method: 'GET', url: `/v1/accounts/${accountId}/limits` });
    expect(after.statusCode).toBe(200);
    // The account is named by its telform id, as the data source promises (not the platform's).
    expect(after.json()).toEqual({ account_id: accountId, max_users: 50 });
    const busy = await f.app.inject({ method: 'GET', url: `/v1/accounts/${accountId}/seat-usage` });
    expect(busy.statusCode).toBe(502);
    expect(busy.headers['retry-after']).toBe('2');
    expect(busy.json().code).toBe('platform_unavailable');
    const unknown = await f.app.inject({ method: 'GET', url: '/v1/accounts/account_nope/limits' });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('with an auth plugin: scopes come from the principal', () => {
  let f: AppFixture;
  let a: string;
  let b: string;
  beforeAll(async () => {
    // Plays the security teammate's plugin: the token names the scope.
    const auth: FastifyPluginAsync = async (app) => {
      app.addHook('onRequest', async (request) => {
        const scope = request.headers['x-test-scope'];
        if (typeof scope === 'string') {
          request.principal = {
            tokenId: scope,
            name: scope,
            role: 'operator',
            scopeAccountId: scope === 'all' ? null : scope,
          };
        }
      });
    };
    f = await startApp('postgres', { auth });
    const admin = { 'x-test-scope': 'all' };
    a = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/account',
        headers: admin,
        payload: accountBody('A'),
      })
    ).json().id;
    b = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/account',
        headers: admin,
        payload: accountBody('B'),
      })
    ).json().id;
  });
  afterAll(() => f.close());

  it('an account-scoped caller sees its tree only; others are absent, not forbidden', async () => {
    const asA = { 'x-test-scope': a };
    const mine = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      headers: asA,
      payload: userBody(a, 'mine'),
    });
    expect(mine.statusCode).toBe(201);
    const theirs = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      headers: asA,
      payload: userBody(b, 'theirs'),
    });
    expect(theirs.statusCode).toBe(422);
    expect(
      (await f.app.inject({ method: 'GET', url: `/v1/resources/account/${b}`, headers: asA }))
        .statusCode,
    ).toBe(404);
    const listed = (
      await f.app.inject({ method: 'GET', url: '/v1/resources', headers: asA })
    ).json();
    expect(listed.items.map((r: { id: string }) => r.id).sort()).toEqual(
      [a, mine.json().id].sort(),
    );
    expect(
      (await f.app.inject({ method: 'GET', url: `/v1/resources?account_id=${b}`, headers: asA }))
        .statusCode,
    ).toBe(404);
  });

  it('without a principal the routes refuse: no silent admin outside test wiring', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/v1/resources' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthorized');
  });
});
