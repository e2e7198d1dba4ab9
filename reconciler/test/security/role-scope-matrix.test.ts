// Every role x scope against every route the app declares (enumerated from the app itself, so
// a new route is covered the day it is added): allowed calls succeed, the rest answer 403 (role)
// or 404/422 (out of scope, as if the object did not exist), each refusal is an audit event with
// outcome `denied`, and no answer to a scoped token carries an id from outside its scope.
import { randomBytes } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrder, getKind } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { Adopter } from '../../src/adopt/adopter.js';
import { PlatformExporter } from '../../src/export/platform-exporter.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../src/api/hardening-plugin.js';
import { isAllowed, roles } from '../../src/auth/permissions.js';
import type { Action, Role } from '../../src/auth/principal.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import type { PlatformDriver } from '../../src/driver/platform-driver.js';
import { SubscriptionStore } from '../../src/notifications/subscription-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant, exampleBody } from './support/tenant-fixtures.js';

interface Route {
  readonly method: string;
  readonly url: string;
  readonly action: Action;
}
interface Tenant {
  readonly accountId: string;
  readonly ids: Record<string, string>;
  /** Account ids from the root down to this tenant's own sub-account. */
  readonly path: readonly string[];
}

const all = { scopeAccountId: null };
// The platform-data routes read through the driver (`read`, `activity`); adoption observes one
// object (any id is a user there); export from the platform lists accounts that hold nothing;
// the webhook actions post through it (`testWebhook`, `retryWebhookDelivery`).
const attempt = {
  delivery_id: 2,
  http_status: 200,
  ok: true,
  latency_ms: 1,
  at: new Date().toISOString(),
};
const driver = {
  read: async (kind: string) => ({ kind, from: 'fake driver' }),
  observe: async (ref: { externalId?: string }) => ({
    exists: true,
    externalId: ref.externalId ?? 'p-unknown',
    attributes: { name: 'Adopted', login: `adopted-${ref.externalId}`, email: 'a@x.example' },
  }),
  list: async () => ({ items: [] }),
  listAccounts: async () => ({ items: [] }),
  activity: async () => ({ entries: [] }),
  testWebhook: async () => attempt,
  retryWebhookDelivery: async () => ({ ...attempt, retry_of: 1 }),
} as unknown as PlatformDriver;

/** Adoption and export name accounts by platform id: give the tenant's account one. */
async function onPlatform(accountId: string): Promise<string> {
  const platformId = `p-${accountId}`;
  await sql`update resources set external_id = ${platformId} where id = ${accountId}`.execute(
    database.db,
  );
  return platformId;
}

let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let store: ResourceStore;
let tokens: TokenStore;
let subscriptions: SubscriptionStore;
const routes: Route[] = [];
const tree = { A: '', A1: '', B: '' };
const owner = new Map<string, readonly string[]>(); // every created id -> its account path

function remember(tenant: Tenant): Tenant {
  for (const id of Object.values(tenant.ids)) owner.set(id, tenant.path);
  owner.set(tenant.accountId, tenant.path);
  return tenant;
}

async function tenant(parentPath: readonly string[], populate = true): Promise<Tenant> {
  const made = await createTenant(store, parentPath.at(-1)!, populate);
  return remember({ ...made, path: [...parentPath, made.accountId] });
}

const visible = (scope: string | null, path: readonly string[]) =>
  scope === null || path.includes(scope);

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const secretBox = new AesGcmSecretBox(randomBytes(32));
  store = new ResourceStore(database.db, secretBox);
  tokens = new TokenStore(database.db);
  subscriptions = new SubscriptionStore(database.db, secretBox);
  const audit = new AuditStore(database.db);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    driver,
    adopter: new Adopter(database.db, driver, secretBox, audit),
    exporter: new PlatformExporter(database.db, driver),
    notifications: { subscriptions },
    hardening: async (instance) => {
      instance.addHook('onRoute', (route: RouteOptions) => {
        const action = route.config?.action;
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods)
          if (action && method !== 'HEAD') routes.push({ method, url: route.url, action });
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
  for (const name of ['A', 'B'] as const) {
    tree[name] = (
      await store.create('account', { ...getKind('account').example, name: `Tenant ${name}` }, all)
    ).id;
    owner.set(tree[name], [tree[name]]);
  }
  tree.A1 = (await tenant([tree.A], false)).accountId;
  await tenant([tree.A]); // A2: A1's sibling, whose data A1-scoped tokens must never see.
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.dispose();
});

const scopes = ['all', 'A', 'A1'] as const;
const cases = roles.flatMap((role) => scopes.map((scope) => ({ role, scope })));

describe('role x scope x route matrix', () => {
  it('enumerates the routes of the app, resources, tokens, audit and notifications among them', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'POST /v1/resources/user',
        'GET /v1/tokens',
        'GET /v1/audit',
        'POST /v1/notifications/subscriptions',
        'DELETE /v1/notifications/subscriptions/:id',
      ]),
    );
  });

  it.each(cases)(
    '$role scoped to $scope',
    async ({ role, scope }) => {
      const scopeId = scope === 'all' ? null : tree[scope];
      const run = randomBytes(3).toString('hex');
      const caller = (
        await tokens.create({
          name: `${role}-${scope}-${run}`,
          role: role as Role,
          scopeAccountId: scopeId,
          createdBy: 'matrix',
        })
      ).token;
      const A1path = [tree.A, tree.A1];
      const side = {
        in: {
          fx: await tenant(A1path),
          post: await tenant(A1path, false),
          del: await tenant(A1path, false),
        },
        out: {
          fx: await tenant([tree.B]),
          post: await tenant([tree.B], false),
          del: await tenant([tree.B], false),
        },
      };
      const root = (
        await store.create('account', { ...getKind('account').example, name: `Root ${run}` }, all)
      ).id;
      owner.set(root, [root]);
      for (const s of [side.in.fx, side.out.fx]) {
        await sql`update resources set external_id = ${`ext-${s.accountId}`} where id = ${s.accountId}`.execute(
          database.db,
        );
        // The webhook actions need the webhook on the platform too.
        await sql`update resources set external_id = ${`ext-${s.ids.webhook}`} where id = ${s.ids.webhook!}`.execute(
          database.db,
        );
      }
      const fixtureToken = {
        in: (
          await tokens.create({
            name: `fx-in-${run}`,
            role: 'auditor',
            scopeAccountId: side.in.fx.accountId,
            createdBy: 'matrix',
          })
        ).info.id,
        out: (
          await tokens.create({
            name: `fx-out-${run}`,
            role: 'auditor',
            scopeAccountId: side.out.fx.accountId,
            createdBy: 'matrix',
          })
        ).info.id,
      };
      owner.set(fixtureToken.in, side.in.fx.path);
      owner.set(fixtureToken.out, side.out.fx.path);
      // A webhook subscription on each side, for the subscription routes that name one.
      const subscription = (accountId: string) =>
        subscriptions.create(
          {
            url: 'https://hooks.example/matrix',
            secret: randomBytes(16).toString('hex'),
            events: ['drift.detected'],
            account_id: accountId,
          },
          'matrix',
        );
      const fixtureSubscription = {
        in: (await subscription(side.in.fx.accountId)).id,
        out: (await subscription(side.out.fx.accountId)).id,
      };
      owner.set(fixtureSubscription.in, side.in.fx.path);
      owner.set(fixtureSubscription.out, side.out.fx.path);
      // The scope's own ancestors are named by its records (a sub-account's account_id is its
      // parent): an id, not the parent's data. Everything else outside the scope is foreign.
      const ancestors = scope === 'A1' ? [tree.A] : [];
      const foreign = [...owner]
        .filter(([id, path]) => !visible(scopeId, path) && !ancestors.includes(id))
        .map(([id]) => id);

      // Deletes last, dependants before what they depend on, so each allowed delete can succeed.
      const order = (r: Route) =>
        r.method === 'DELETE' ? 1000 - applyOrder().indexOf(r.url.split('/')[3] ?? '') : 0;
      const plan = [...routes].sort((a, b) => order(a) - order(b));
      const failures: string[] = [];
      const expected = new Map<string, number>();
      for (const route of plan) {
        const targeted = route.url.includes(':');
        for (const where of targeted || route.method !== 'GET'
          ? (['in', 'out'] as const)
          : (['in'] as const)) {
          const t = side[where];
          const kind = route.url.startsWith('/v1/resources/') ? route.url.split('/')[3] : undefined;
          let path: readonly string[] = t.fx.path;
          const url = route.url.replace(/:(\w+)/g, (_m, name: string) => {
            if (route.url.startsWith('/v1/tokens')) return fixtureToken[where];
            if (route.url.startsWith('/v1/notifications')) return fixtureSubscription[where];
            if (kind === 'account') return ((path = [root]), root);
            if (kind === 'sub_account' && route.method === 'DELETE')
              return ((path = t.del.path), t.del.accountId);
            if (name === 'deliveryId') return '1';
            if (kind && name === 'id') return t.fx.ids[kind]!;
            return t.fx.accountId;
          });
          let payload: Record<string, unknown> | undefined;
          let query = '';
          if (route.url === '/v1/adopt') {
            const platformId = await onPlatform(t.fx.accountId);
            payload = {
              kind: 'user',
              platform_ref: `platform:${platformId}/u-${randomBytes(4).toString('hex')}`,
            };
          } else if (route.url === '/v1/export/platform') {
            query = `?account=${t.fx.accountId}`;
            await onPlatform(t.fx.accountId);
          } else if (route.url === '/v1/tokens' && route.method === 'POST') {
            payload = {
              name: `t-${where}-${randomBytes(4).toString('hex')}`,
              role: 'auditor',
              scope_account_id: t.fx.accountId,
            };
          } else if (route.url === '/v1/notifications/subscriptions' && route.method === 'POST') {
            payload = {
              url: 'https://hooks.example/new',
              secret: randomBytes(16).toString('hex'),
              events: ['drift.resolved'],
              account_id: t.fx.accountId,
            };
          } else if (kind && (route.method === 'POST' || route.method === 'PUT')) {
            const target = route.method === 'POST' ? t.post : t.fx;
            payload =
              kind === 'account'
                ? { ...getKind('account').example, name: `Acc ${randomBytes(3).toString('hex')}` }
                : // A sub-account's own account_id is its parent; every other kind's is the tenant.
                  exampleBody(
                    kind,
                    kind === 'sub_account' && route.method === 'PUT'
                      ? t.fx.path.at(-2)!
                      : target.accountId,
                    t.fx.ids,
                  );
            if (route.method === 'POST' && kind !== 'account') path = target.path;
          } else if (route.method === 'POST' || route.method === 'PUT') {
            payload = { account_id: t.fx.accountId };
          }
          const createsAccount = kind === 'account' && route.method === 'POST';
          if (createsAccount) path = [];
          const res = await app.inject({
            method: route.method as 'GET',
            url: url + query,
            headers: { authorization: `Bearer ${caller}` },
            ...(payload ? { payload } : {}),
          });
          const label = `${route.method} ${url} [${where}] -> ${res.statusCode} ${res.body.slice(0, 160)}`;
          const { rows } = await sql<{
            outcome: string;
            actor: string;
          }>`select outcome, actor from audit_events order by seq desc limit 1`.execute(
            database.db,
          );
          let want: string;
          if (!isAllowed(role as Role, route.action)) want = '403';
          else if (createsAccount) want = scopeId === null ? '2xx' : '403';
          else if (targeted || route.method !== 'GET' ? visible(scopeId, path) : true) want = '2xx';
          else want = '404|422';
          const got = res.statusCode < 300 ? '2xx' : String(res.statusCode);
          expected.set(want, (expected.get(want) ?? 0) + 1);
          if (!want.split('|').includes(got)) failures.push(`want ${want}: ${label}`);
          else if (want !== '2xx' && rows[0]?.outcome !== 'denied')
            failures.push(`not audited as denied: ${label}`);
          if (scopeId !== null) {
            // An id the caller itself sent may come back in the error; anything else may not.
            const sent = url + JSON.stringify(payload ?? {});
            const leaked = foreign.filter((id) => res.body.includes(id) && !sent.includes(id));
            if (leaked.length > 0) failures.push(`leaks ${leaked.join(',')}: ${label}`);
          }
        }
      }
      expect(failures).toEqual([]);
      // The matrix is not vacuous: each kind of answer this token should meet was met.
      expect(expected.get('2xx')).toBeGreaterThan(10);
      if (role !== 'admin') expect(expected.get('403')).toBeGreaterThan(5);
      if (scopeId !== null) expect(expected.get('404|422')).toBeGreaterThan(10);
    },
    300_000,
  );
});
