// Property test of the input gate (issue 13: NUL bytes, lone surrogates, `limit=1e309` and deep
// JSON gave 500s): on every route of an app wired as the daemon wires it, one poisoned input
// (a path parameter, a query value, or a field of an otherwise valid body) is answered 400 with
// a problem naming that parameter and the rule it breaks, and nothing is stored.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../src/api/hardening-plugin.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import type { PlatformDriver } from '../../src/driver/platform-driver.js';
import { createOperationsServices } from '../../src/operations-services.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { poisons, type Poison } from '../../../schemas/test/support/input-poisons.js';
import { createTenant, exampleBody } from './support/tenant-fixtures.js';
import { apiServicesFor } from '../../src/services.js';

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly query: readonly string[];
}

const driver = {
  read: async () => ({}),
  list: async () => [],
  observe: async () => ({ exists: false }),
} as unknown as PlatformDriver;
let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let scheduler: Scheduler;
let admin: string;
let fixture: { accountId: string; ids: Record<string, string> };
const routes: Route[] = [];

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const secretBox = new AesGcmSecretBox(randomBytes(32));
  const store = new ResourceStore(database.db, secretBox);
  const tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  const operations = await createOperationsServices({ db: database.db, driver, secretBox });
  scheduler = new Scheduler(database.db, { replica: 'gate', dialect: 'postgres' });
  for (const job of operations.jobs) scheduler.register(job);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    driver,
    drift: operations.drift,
    notifications: operations.notifications,
    jobs: { scheduler },
    hardening: async (instance) => {
      instance.addHook('onRoute', (route: RouteOptions) => {
        const query = Object.keys(
          (route.schema?.querystring as { properties?: object } | undefined)?.properties ?? {},
        );
        for (const method of [route.method].flat()) {
          if (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
            routes.push({ method: method as Route['method'], url: route.url, query });
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
  admin = (await tokens.create({ name: 'gate', role: 'admin', createdBy: 'test' })).token;
}, 120_000);
afterAll(async () => {
  await scheduler?.stop();
  await app?.close();
  await database?.dispose();
});

/** Row counts of every table but the audit trail (which records each refusal), and generations. */
async function snapshot(): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'audit_events'
    order by table_name`.execute(database.db);
  const counts: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(
      database.db,
    );
    counts[name] = String(rows[0]!.n);
  }
  const { rows } = await sql<{ g: string }>`
    select coalesce(sum(generation), 0) as g from resources`.execute(database.db);
  return JSON.stringify({ counts, generations: String(rows[0]!.g) });
}

const kindOf = (route: Route) => {
  const segment = route.url.startsWith('/v1/resources/') ? route.url.split('/')[3] : undefined;
  return segment?.startsWith(':') ? undefined : segment;
};

function urlFor(route: Route, poisoned?: { param: string; value: string }): string {
  return route.url.replace(/:(\w+)/g, (_m, name: string) =>
    poisoned?.param === name
      ? encodeURIComponent(poisoned.value)
      : encodeURIComponent(fixture.ids[kindOf(route) ?? ''] ?? fixture.accountId),
  );
}

/** A body the route would otherwise take (or at least parse and look at). */
function baseBody(route: Route): Record<string, unknown> {
  const kind = kindOf(route);
  if (kind === 'account') return { ...getKind('account').example };
  if (kind) return exampleBody(kind, fixture.accountId, fixture.ids);
  return { account_id: fixture.accountId, name: 'gate' };
}

type Injection =
  | { where: 'param'; param: string; poison: Poison }
  | { where: 'query'; name: string; poison: Poison }
  | { where: 'body'; path: readonly string[]; poison: Poison };

function injections(route: Route): fc.Arbitrary<Injection> {
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const name = fc.oneof(
    fc.constantFrom('limit', 'cursor', 'account_id', ...route.query),
    fc.stringMatching(/^[a-z_]{1,12}$/),
  );
  const options: fc.Arbitrary<Injection>[] = [
    fc
      .tuple(name, poisons('query'))
      .map(([n, poison]) => ({ where: 'query' as const, name: n, poison })),
  ];
  if (params.length > 0)
    options.push(
      fc
        .tuple(fc.constantFrom(...params), poisons('param'))
        .map(([param, poison]) => ({ where: 'param' as const, param, poison })),
    );
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    const keys = Object.keys(baseBody(route));
    const path = fc.oneof(
      fc.constantFrom(...keys).map((k) => [k]),
      fc.tuple(fc.constantFrom(...keys), fc.stringMatching(/^[a-z]{1,8}$/)),
    );
    options.push(
      fc
        .tuple(path, poisons('body'))
        .map(([p, poison]) => ({ where: 'body' as const, path: p, poison })),
    );
  }
  return fc.oneof(...options);
}

/** The request for an injection, and the field the problem must name. */
function requestFor(route: Route, injection: Injection) {
  let url = urlFor(
    route,
    injection.where === 'param'
      ? { param: injection.param, value: injection.poison.text }
      : undefined,
  );
  let payload: string | undefined;
  let field: string;
  if (injection.where === 'query') {
    url += `?${encodeURIComponent(injection.name)}=${encodeURIComponent(injection.poison.text)}`;
    field = injection.name;
  } else if (injection.where === 'param') {
    field = injection.param;
  } else {
    const body = baseBody(route);
    const [top, inner] = injection.path;
    body[top!] = inner === undefined ? '\u2603P\u2603' : { [inner]: '\u2603P\u2603' };
    // Raw JSON text, so numbers JSON cannot spell from JS (1e309) and deep nesting go in as sent.
    payload = JSON.stringify(body).replace('"\u2603P\u2603"', injection.poison.json);
    field = injection.path.join('.');
  }
  if (injection.where !== 'body' && route.method !== 'GET' && route.method !== 'DELETE')
    payload = JSON.stringify(baseBody(route));
  return { url, payload, field };
}

describe('the input gate on every daemon route', () => {
  it('finds the routes, reads and writes of every area among them', () => {
    const urls = new Set(routes.map((r) => r.url));
    for (const url of ['/v1/resources/user/:id', '/v1/jobs/:name/runs', '/v1/drift', '/v1/audit'])
      expect(urls).toContain(url);
    expect(routes.length).toBeGreaterThan(60);
  });

  it('answers 400 naming the parameter and the rule, and stores nothing', async () => {
    const before = await snapshot();
    let sent = 0;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(injections(route), async (injection) => {
          const { url, payload, field } = requestFor(route, injection);
          const res = await app.inject({
            method: route.method,
            url,
            headers: {
              authorization: `Bearer ${admin}`,
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { payload } : {}),
          });
          sent += 1;
          const label = `${route.method} ${url.slice(0, 120)} ${injection.where} ${injection.poison.rule} -> ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBe(400);
          expect(res.headers['content-type'], label).toMatch(/application\/problem\+json/);
          const error = res.json().errors?.[0];
          expect(error?.rule, label).toBe(injection.poison.rule);
          // Deep nesting is reported where it goes too deep, inside the poisoned field.
          if (injection.poison.rule === 'maxDepth')
            expect(error?.field.startsWith(field), label).toBe(true);
          else expect(error?.field, label).toBe(field);
        }),
        { numRuns: 8 },
      );
    }
    expect(sent).toBeGreaterThan(500);
    expect(await snapshot()).toBe(before);
    const read = await app.inject({
      url: `/v1/resources/user/${fixture.ids.user}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(read.statusCode).toBe(200);
  }, 600_000);
});
