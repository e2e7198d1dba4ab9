// Every route that returns data, for every role and every scope, on an app wired as the daemon
// wires it (drift, jobs and notifications included) after the jobs have run over two partners'
// trees: no answer to a scoped token carries a foreign account id, telform id, platform id or
// seat figure anywhere in its body. Issue 13: job-run summaries were built across all accounts
// and returned unfiltered. The unscoped admin's answers must carry those same markers, so the
// check is known to see them when they are there.
import { randomBytes, randomInt } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../src/api/hardening-plugin.js';
import { roles } from '../../src/auth/permissions.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import type { PlatformDriver } from '../../src/driver/platform-driver.js';
import { createOperationsServices } from '../../src/operations-services.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant } from './support/tenant-fixtures.js';
import { apiServicesFor } from '../../src/services.js';

const all = { scopeAccountId: null };
let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let scheduler: Scheduler;
let tokens: TokenStore;
const getRoutes: string[] = [];
/** Every marker (id, platform id, seat figure) -> the account path that owns it. */
const owner = new Map<string, readonly string[]>();
const tree = { A: '', A1: '', A2: '', B: '', B1: '' };
/** Per account: platform id -> seat figures and inactive platform users the fake platform reports. */
const platform = new Map<
  string,
  { purchased: number; assigned: number; inactive: string[]; fails: boolean }
>();
const jobNames: string[] = [];
const subscriptionOf: Record<string, string> = {};
const tokenOf: Record<string, string> = {};

// A platform that reports distinctive seat figures and inactive users per account, refuses B's
// drift scan with a message naming B's platform id, and rotates every provisioning token.
const driver = {
  async read(kind: string, accountExternalId: string) {
    const p = platform.get(accountExternalId);
    if (!p) return { kind };
    if (kind !== 'seat_usage') return { kind, account: accountExternalId };
    return {
      purchased: p.purchased,
      assigned: p.assigned,
      seat_limit: null,
      inactive_users_with_seats: p.inactive.map((user_id) => ({ user_id, reason: 'no_login' })),
    };
  },
  async list(_kind: string, accountExternalId: string) {
    if (platform.get(accountExternalId)?.fails)
      throw new Error(`platform refused account ${accountExternalId}`);
    return [];
  },
  async observe() {
    return { exists: false };
  },
  async rotateProvisioningToken() {
    return { attributes: { token_rotated_at: new Date().toISOString() } };
  },
} as unknown as PlatformDriver;

/** A root account and a populated sub-account tree, its platform ids and seat figures. */
async function partnerTree(name: 'A' | 'B', subs: readonly ('A1' | 'A2' | 'B1')[]) {
  tree[name] = (
    await appStore.create(
      'account',
      { ...getKind('account').example, name: `Partner ${name}` },
      all,
    )
  ).id;
  owner.set(tree[name], [tree[name]]);
  for (const sub of subs) {
    const made = await createTenant(appStore, tree[name]);
    tree[sub] = made.accountId;
    const path = [tree[name], made.accountId];
    for (const id of Object.values(made.ids)) owner.set(id, path);
    const external = `pa${sub}${randomBytes(5).toString('hex')}`;
    const userExternal = `pu${sub}${randomBytes(5).toString('hex')}`;
    await sql`update resources set external_id = ${external} where id = ${made.accountId}`.execute(
      database.db,
    );
    await sql`update resources set external_id = ${userExternal} where id = ${made.ids.user!}`.execute(
      database.db,
    );
    // A provisioning object the platform holds and that is due for rotation.
    await sql`update resources set external_id = ${`pp${sub}${randomBytes(5).toString('hex')}`},
      applied_generation = generation where id = ${made.ids.provisioning!}`.execute(database.db);
    const purchased = randomInt(5_000_000, 9_000_000);
    const assigned = purchased - randomInt(1, 1000);
    platform.set(external, {
      purchased,
      assigned,
      inactive: [userExternal, `pu${sub}unmanaged${randomBytes(4).toString('hex')}`],
      fails: name === 'B',
    });
    for (const marker of [external, userExternal, ...platform.get(external)!.inactive])
      owner.set(marker, path);
    owner.set(String(purchased), path);
    owner.set(String(assigned), path);
    subscriptionOf[sub] = (
      await operations.notifications.subscriptions.create(
        {
          url: 'https://hooks.example/leak',
          secret: randomBytes(16).toString('hex'),
          events: ['seats.warning'],
          account_id: made.accountId,
        },
        'leak-test',
      )
    ).id;
    owner.set(subscriptionOf[sub]!, path);
    const token = await tokens.create({
      name: `fixture-${sub}`,
      role: 'auditor',
      scopeAccountId: made.accountId,
      createdBy: 'leak-test',
    });
    tokenOf[sub] = token.info.id;
    owner.set(token.info.id, path);
  }
}

let appStore: ResourceStore;
let operations: Awaited<ReturnType<typeof createOperationsServices>>;

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const secretBox = new AesGcmSecretBox(randomBytes(32));
  const store = new ResourceStore(database.db, secretBox);
  appStore = store;
  tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  operations = await createOperationsServices({ db: database.db, driver, secretBox });
  scheduler = new Scheduler(database.db, { replica: 'leak', dialect: 'postgres' });
  for (const job of operations.jobs) scheduler.register(job);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    driver,
    drift: operations.drift,
    notifications: operations.notifications,
    jobs: { scheduler },
    hardening: async (instance) => {
      instance.addHook('onRoute', (route: RouteOptions) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        if (methods.includes('GET')) getRoutes.push(route.url);
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
  await partnerTree('A', ['A1', 'A2']);
  await partnerTree('B', ['B1']);
  for (const job of scheduler.list()) {
    jobNames.push(job.name);
    await scheduler.runNow(job.name);
  }
}, 180_000);
afterAll(async () => {
  await scheduler?.stop();
  await app?.close();
  await database?.dispose();
});

/** The URLs to read for a GET route, its parameters filled with objects inside `scope`. */
function urlsFor(route: string, scope: 'A' | 'A1' | 'B'): string[] {
  const sub = scope === 'A' ? 'A1' : scope === 'B' ? 'B1' : scope;
  const account = tree[sub];
  if (route === '/v1/jobs/:name/runs') return jobNames.map((n) => `/v1/jobs/${n}/runs`);
  if (route.startsWith('/v1/tokens/')) return [route.replace(':id', tokenOf[sub]!)];
  if (route.startsWith('/v1/notifications/')) return [route.replace(':id', subscriptionOf[sub]!)];
  const kind = route.startsWith('/v1/resources/') ? route.split('/')[3] : undefined;
  return [
    route.replace(/:(\w+)/g, (_m, name: string) => {
      if (kind && name === 'id') {
        if (kind === 'account') return tree[scope === 'B' ? 'B' : 'A'];
        const id = [...owner].find(
          ([id, path]) => path.at(-1) === account && id.startsWith(`${kind}_`),
        );
        return id?.[0] ?? account;
      }
      return account;
    }),
    ...(route.includes(':') ? [] : [`${route}?account_id=${account}`]),
  ];
}

/** Markers the caller scoped to `scopeId` must never meet (its own ancestors' ids excepted). */
function foreignTo(scopeId: string): string[] {
  const ancestors = scopeId === tree.A1 ? [tree.A] : scopeId === tree.B1 ? [tree.B] : [];
  return [...owner]
    .filter(([id, path]) => !path.includes(scopeId) && !ancestors.includes(id))
    .map(([id]) => id);
}

async function read(caller: string, url: string) {
  const res = await app.inject({ url, headers: { authorization: `Bearer ${caller}` } });
  return { status: res.statusCode, body: res.body };
}

describe('no foreign data in any answer to a scoped token', () => {
  it('covers the routes with tenant data, the job routes among them', () => {
    expect(getRoutes).toEqual(
      expect.arrayContaining(['/v1/jobs', '/v1/jobs/:name/runs', '/v1/drift', '/v1/audit']),
    );
    expect(jobNames).toEqual(expect.arrayContaining(['seat-usage', 'drift-scan']));
  });

  it('the unscoped admin meets every tenant in the job runs (the check can see a leak)', async () => {
    const { token } = await tokens.create({
      name: `admin-${randomBytes(3).toString('hex')}`,
      role: 'admin',
      scopeAccountId: null,
      createdBy: 'leak-test',
    });
    const body = (await read(token, '/v1/jobs')).body;
    for (const scope of ['A1', 'A2', 'B1'] as const) {
      const external = [...platform.keys()].find((k) => k.startsWith(`pa${scope}`))!;
      expect(body).toContain(tree[scope]);
      expect(body).toContain(platform.get(external)!.inactive[0]);
      expect(body).toContain(String(platform.get(external)!.purchased));
    }
  });

  const cases = roles.flatMap((role) =>
    (['A', 'A1', 'B'] as const).map((scope) => ({ role, scope })),
  );
  it.each(cases)(
    '$role scoped to $scope',
    async ({ role, scope }) => {
      const scopeId = tree[scope];
      const { token } = await tokens.create({
        name: `${role}-${scope}-${randomBytes(3).toString('hex')}`,
        role,
        scopeAccountId: scopeId,
        createdBy: 'leak-test',
      });
      const foreign = foreignTo(scopeId);
      const failures: string[] = [];
      let answered = 0;
      for (const route of getRoutes) {
        for (const url of urlsFor(route, scope)) {
          const res = await read(token, url);
          if (res.status < 300) answered += 1;
          const leaked = foreign.filter((m) => res.body.includes(m) && !url.includes(m));
          if (leaked.length > 0)
            failures.push(`${url} -> ${res.status} leaks ${leaked.join(', ')}`);
        }
      }
      expect(failures).toEqual([]);
      // Not vacuous: the role's readable routes answered with data.
      expect(answered).toBeGreaterThan(role === 'auditor' ? 3 : 10);
    },
    120_000,
  );

  it("a scoped operator's job runs keep its own accounts' rows", async () => {
    const { token } = await tokens.create({
      name: `op-A1-${randomBytes(3).toString('hex')}`,
      role: 'operator',
      scopeAccountId: tree.A1,
      createdBy: 'leak-test',
    });
    const runs = JSON.parse((await read(token, '/v1/jobs/seat-usage/runs')).body).items;
    const external = [...platform.keys()].find((k) => k.startsWith('paA1'))!;
    expect(runs[0].summary).toEqual({
      warnings: [expect.objectContaining({ account_id: tree.A1 })],
      inactive_users: [expect.objectContaining({ account_id: tree.A1 })],
      failures: [],
    });
    expect(JSON.stringify(runs[0].summary)).toContain(String(platform.get(external)!.purchased));
  });
});
