import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import type { Principal } from '../../src/auth/principal.js';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

// Stands in for the auth plugin: the caller's scope comes from a header.
const fakeAuth = async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    const scope = request.headers['x-test-scope'];
    const principal: Principal = {
      tokenId: 't',
      name: 'tester',
      role: 'admin',
      scopeAccountId: typeof scope === 'string' ? scope : null,
    };
    request.principal = principal;
  });
};

describe('/v1/drift', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const driver = new MemoryPlatformDriver();

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const pa = driver.seed('account', '', { name: 'A', email: 'a@a.example' }, 'account_a');
    const pb = driver.seed('account', '', { name: 'B', email: 'b@b.example' }, 'account_b');
    const u = { account_id: 'account_a', name: 'Alice', login: 'alice', email: 'alice@a.example' };
    const pu = driver.seed('user', pa, { ...u, account_id: pa, name: 'Mallory' }, 'user_a1');
    await seedResources(t.db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: { name: 'A', email: 'a@a.example' },
        externalId: pa,
      },
      {
        id: 'account_b',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_b',
        spec: { name: 'B', email: 'b@b.example' },
        externalId: pb,
      },
      {
        id: 'user_a1',
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: u,
        externalId: pu,
      },
    ]);
    const policies = new DriftPolicyCache(t.db);
    app = buildApp({
      ...apiServicesFor(new ResourceStore(t.db, new AesGcmSecretBox(randomBytes(32)))),
      auth: fakeAuth,
      drift: { scanner: new DriftScanner({ db: t.db, driver, policies }), policies },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('scans on demand and reports the drift as JSON', async () => {
    const scan = await app.inject({ method: 'POST', url: '/v1/drift/scan?account_id=account_a' });
    expect(scan.statusCode).toBe(200);
    expect(scan.json().results).toMatchObject([
      { account_id: 'account_a', outcome: 'scanned', opened: 1 },
    ]);
    const res = await app.inject({ url: '/v1/drift?account_id=account_a' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ open: 1, resolved: 0, unmanaged: 0 });
    expect(body.records).toMatchObject([
      { resource_id: 'user_a1', fields: [{ field: 'name', desired: 'Alice', actual: 'Mallory' }] },
    ]);
  });

  it.each([
    {
      why: 'format=csv gives CSV',
      url: '/v1/drift?format=csv',
      accept: undefined,
      type: 'text/csv',
      has: 'drift,open,reported,account_a,user,user_a1',
    },
    {
      why: 'Accept: text/markdown gives Markdown',
      url: '/v1/drift',
      accept: 'text/markdown',
      type: 'text/markdown',
      has: '| `name` | `"Alice"` | `"Mallory"` |',
    },
    {
      why: 'filters narrow the report',
      url: '/v1/drift?kind=account',
      accept: undefined,
      type: 'application/json',
      has: '"records":[]',
    },
    {
      why: 'state=resolved shows history only',
      url: '/v1/drift?state=resolved',
      accept: undefined,
      type: 'application/json',
      has: '"records":[]',
    },
  ])('$why', async ({ url, accept, type, has }) => {
    const res = await app.inject({ url, headers: accept ? { accept } : {} });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(type);
    expect(res.body).toContain(has);
  });

  it('shows a scoped token only its own accounts', async () => {
    const other = { 'x-test-scope': 'account_b' };
    const res = await app.inject({ url: '/v1/drift', headers: other });
    expect(res.json().records).toEqual([]);
    const named = await app.inject({ url: '/v1/drift?account_id=account_a', headers: other });
    expect(named.statusCode).toBe(404);
    const scan = await app.inject({
      method: 'POST',
      url: '/v1/drift/scan?account_id=account_a',
      headers: other,
    });
    expect(scan.statusCode).toBe(404);
    const mine = await app.inject({ url: '/v1/drift', headers: { 'x-test-scope': 'account_a' } });
    expect(mine.json().records).toHaveLength(1);
  });

  it('answers an unknown account with a problem', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/drift/scan?account_id=account_zz' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it.each([
    { why: 'a misspelt kind is an error, not an empty report', query: 'kind=usr', field: 'kind' },
    { why: 'an unknown state', query: 'state=closed', field: 'state' },
  ])(
    'refuses a bad query naming the field and its allowed values: $why',
    async ({ query, field }) => {
      const res = await app.inject({ url: `/v1/drift?${query}` });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.errors).toEqual([expect.objectContaining({ field, rule: 'enum' })]);
      expect(problem.errors[0].message).toMatch(/must be one of/);
    },
  );

  it('filters by a real kind', async () => {
    const res = await app.inject({ url: '/v1/drift?kind=user&state=all' });
    expect(res.statusCode).toBe(200);
    for (const r of res.json().records as { kind: string }[]) expect(r.kind).toBe('user');
  });

  it.each([
    {
      why: 'a malformed ignore path names the field and the rule',
      target: 'user_a1',
      body: { ignore_fields: ['Name!'] },
      field: 'ignore_fields.0',
      rule: 'pattern',
    },
    {
      why: 'an unknown mode is refused',
      target: 'user_a1',
      body: { mode: 'fix' },
      field: 'mode',
      rule: 'enum',
    },
    {
      why: 'a scan interval below a minute is refused',
      target: 'account_a',
      body: { scan_interval_seconds: 5 },
      field: 'scan_interval_seconds',
      rule: 'minimum',
    },
    {
      why: 'a scan interval on a non-account is refused',
      target: 'user_a1',
      body: { scan_interval_seconds: 600 },
      field: 'scan_interval_seconds',
      rule: 'account_only',
    },
  ])('refuses a bad policy and changes nothing: $why', async ({ target, body, field, rule }) => {
    const res = await app.inject({
      method: 'PUT',
      url: `/v1/drift/policies/${target}`,
      payload: body,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, rule })]),
    );
    expect(await t.db.selectFrom('drift_policies').selectAll().execute()).toEqual([]);
  });

  it('sets, reads and removes a policy; an ignored field stops reporting at the next scan', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/drift/policies/account_a',
      payload: { ignore_fields: ['name'], scan_interval_seconds: 600 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      target_id: 'account_a',
      target_type: 'account',
      mode: null,
      ignore_fields: ['name'],
      scan_interval_seconds: 600,
      updated_by: 'tester',
    });
    expect((await app.inject({ url: '/v1/drift/policies/account_a' })).json()).toEqual(put.json());
    await app.inject({ method: 'POST', url: '/v1/drift/scan?account_id=account_a' });
    expect((await app.inject({ url: '/v1/drift' })).json().records).toEqual([]);
    expect((await app.inject({ url: '/v1/drift/policies' })).json().items).toHaveLength(1);
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/drift/policies/account_a' })).statusCode,
    ).toBe(204);
    expect((await app.inject({ url: '/v1/drift/policies/account_a' })).statusCode).toBe(404);
  });
});
