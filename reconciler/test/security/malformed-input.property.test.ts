// Property-based hardening test: thousands of malformed bodies, ids and headers sent to every
// write route the app declares. Every answer must be a 4xx problem, nothing may be stored, and
// the app must keep answering.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../src/api/hardening-plugin.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant, exampleBody } from './support/tenant-fixtures.js';

interface Route {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
}

let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let admin: string;
let fixture: { accountId: string; ids: Record<string, string> };
const routes: Route[] = [];

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const store = new ResourceStore(database.db, new AesGcmSecretBox(randomBytes(32)));
  const tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    hardening: async (instance) => {
      instance.addHook('onRoute', (route: RouteOptions) => {
        for (const method of [route.method].flat()) {
          if (route.config?.action && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
            routes.push({ method: method as Route['method'], url: route.url });
          }
        }
      });
      await instance.register(hardeningPlugin, {
        rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
      });
    },
    auth: async (instance) => {
      await instance.register(authPlugin, { tokens, audit, scope: new ScopeGuard(database.db) });
    },
  });
  await app.ready();
  const account = await store.create(
    'account',
    getKind('account').example as Record<string, unknown>,
    { scopeAccountId: null },
  );
  fixture = await createTenant(store, account.id);
  admin = (await tokens.create({ name: 'fuzzer', role: 'admin', createdBy: 'test' })).token;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.dispose();
});

async function snapshot(): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`
    select (select count(*) from resources) as resources,
           (select coalesce(sum(generation), 0) from resources) as generations,
           (select count(*) from resources where deletion_requested_at is not null) as deleting,
           (select count(*) from api_tokens) as tokens,
           (select count(*) from api_tokens where revoked_at is not null) as revoked`.execute(
    database.db,
  );
  return JSON.stringify(rows[0]);
}

const kindOf = (route: Route) =>
  route.url.startsWith('/v1/resources/') ? route.url.split('/')[3] : undefined;

function urlFor(route: Route, id?: string): string {
  return route.url.replace(/:(\w+)/g, () =>
    encodeURIComponent(id ?? fixture.ids[kindOf(route) ?? ''] ?? fixture.accountId),
  );
}

// Bodies that no route may accept: random JSON, broken JSON text, and a valid example spoiled by
// an unknown property (strict schemas) or by a property turned into an object of unknown keys.
function badBody(route: Route): fc.Arbitrary<{ raw?: string; json?: unknown }> {
  const kind = kindOf(route);
  const base =
    kind && kind !== 'account'
      ? exampleBody(kind, fixture.accountId, fixture.ids)
      : kind
        ? { ...getKind('account').example }
        : { name: 'x', role: 'auditor' };
  const keys = Object.keys(base);
  const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).map((k) => `zz_${k}`);
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })),
    fc.string({ maxLength: 60 }).map((raw) => ({ raw: `{${raw}` })),
    fc
      .tuple(unknownKey, fc.jsonValue({ maxDepth: 2 }))
      .map(([k, v]) => ({ json: { ...base, [k]: v } })),
    fc
      .tuple(fc.constantFrom(...keys), unknownKey, fc.jsonValue({ maxDepth: 2 }))
      .map(([k, u, v]) => ({ json: { ...base, [k]: { [u]: v } } })),
  );
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

describe('malformed input on every write route', () => {
  it('finds the write routes', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it('answers 4xx to thousands of malformed bodies, ids and headers, storing nothing', async () => {
    const before = await snapshot();
    const answers: number[] = [];
    const send = async (
      route: Route,
      url: string,
      body?: { raw?: string; json?: unknown },
      headers: Record<string, string> = {},
    ) => {
      const res = await app.inject({
        method: route.method,
        url,
        headers: {
          authorization: `Bearer ${admin}`,
          'content-type': 'application/json',
          ...headers,
        },
        ...(body?.raw !== undefined
          ? { payload: body.raw }
          : body
            ? { payload: JSON.stringify(body.json) }
            : {}),
      });
      answers.push(res.statusCode);
      return res;
    };
    const bodyRoutes = routes.filter((r) => r.method !== 'DELETE');
    for (const route of bodyRoutes) {
      await fc.assert(
        fc.asyncProperty(badBody(route), async (body) => {
          const res = await send(route, urlFor(route), body);
          expect(
            res.statusCode,
            `${route.method} ${route.url} ${JSON.stringify(body).slice(0, 200)} -> ${res.body.slice(0, 200)}`,
          ).toBeGreaterThanOrEqual(400);
          expect(
            res.statusCode,
            `${route.method} ${route.url} -> ${res.body.slice(0, 300)}`,
          ).toBeLessThan(500);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }),
        { numRuns: 40 },
      );
    }
    const idRoutes = routes.filter((r) => r.url.includes(':'));
    for (const route of idRoutes) {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (id) => {
          const kind = kindOf(route);
          const body =
            kind && route.method !== 'DELETE'
              ? { json: exampleBody(kind, fixture.accountId, fixture.ids) }
              : undefined;
          const res = await send(route, urlFor(route, `x${id}`), body);
          expect(
            res.statusCode,
            `${route.method} ${urlFor(route, `x${id}`)} -> ${res.body.slice(0, 200)}`,
          ).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
        }),
        { numRuns: 15 },
      );
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.record(
          {
            authorization: printable,
            'content-type': printable,
            'if-match': printable,
            'idempotency-key': printable,
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        async (route, headers, keepAuth) => {
          const { authorization, ...rest } = headers;
          // Either a garbage token, or a valid one with garbage in every other header.
          const mixed = keepAuth ? rest : { ...rest, authorization: authorization ?? '' };
          const res = await send(route, urlFor(route), { raw: '{"zz":1' }, mixed);
          expect(
            res.statusCode,
            `${route.method} ${route.url} ${JSON.stringify(mixed)} -> ${res.body.slice(0, 200)}`,
          ).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
    expect(answers.length).toBeGreaterThan(2000);
    // Each line of defence was reached: parser, auth, lookup, validation.
    expect(new Set(answers)).toEqual(new Set([400, 401, 404, 422, ...answers]));
    expect(await snapshot()).toBe(before);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const read = await app.inject({
      method: 'GET',
      url: `/v1/resources/user/${fixture.ids.user}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(read.statusCode).toBe(200);
  }, 600_000);
});
