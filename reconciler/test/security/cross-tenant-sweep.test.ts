// The cross-tenant sweep: one row per route the app registers (a new route without a row fails
// the first test), each saying why a partner's token could reach another partner's data there.
// An admin scoped to partner A aims every row at partner B's objects and at ghosts (ids of the
// same shape that exist nowhere): B's must be refused (403/404/422), answered exactly as the
// ghost's (status and body, ids aside: a different message or status tells A that B's object
// exists), be audited as denied, name nothing of B's it was not sent, change nothing of B's and
// make no platform call for B. Lists and filters answered to A carry only A's tree. The same
// again for a token scoped to sub-account A1 against its sibling A2. A read-only role (auditor)
// gets 403 from every route that writes or runs something, on its own objects too.
import { randomBytes } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceKinds, getKind, managedKinds } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { Adopter } from '../../src/adopt/adopter.js';
import { PlatformExporter } from '../../src/export/platform-exporter.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../src/api/hardening-plugin.js';
import { isAllowed } from '../../src/auth/permissions.js';
import type { Action } from '../../src/auth/principal.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import type { PlatformDriver } from '../../src/driver/platform-driver.js';
import { createOperationsServices } from '../../src/operations-services.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { apiServicesFor } from '../../src/services.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant, exampleBody } from './support/tenant-fixtures.js';

const all = { scopeAccountId: null };

/** What a row aims at: one tenant's objects (B's, a ghost's, or A's own for the role check). */
interface Target {
  /** A populated sub-account. */
  readonly account: string;
  /** Its parent, a root account. */
  readonly root: string;
  /** kind -> the id of that kind's object in `account`. */
  readonly ids: Readonly<Record<string, string>>;
  readonly token: string;
  readonly subscription: string;
  /** The platform id of `account`. */
  readonly platformAccount: string;
  /** list URL -> a next_cursor the unscoped admin got listing `account` one item a page. */
  readonly cursors: Readonly<Record<string, string>>;
}
interface Call {
  readonly method: string;
  readonly url: string;
  readonly payload?: Record<string, unknown>;
  /** A cursor is opaque, with no ghost of the same shape: checked for leaks only. */
  readonly cursor?: true;
}
interface Row {
  /** Why this route could reach another tenant. */
  readonly why: string;
  /** The calls aimed at `t` (for `{kind}` rows, at its object of `kind`). */
  readonly calls: (t: Target, kind: string) => readonly Call[];
  /** A list or report not aimed at one tenant: answered 2xx, carrying only the caller's tree. */
  readonly list?: true;
}

const hex = (n = 6) => randomBytes(n).toString('hex');
const get = (url: string): Call => ({ method: 'GET', url });
/** `list` paged on with the cursor the admin got listing t's account (when it has a second page). */
const cursorCall = (t: Target, list: string): Call[] => {
  const cursor = t.cursors[list];
  return cursor
    ? [{ method: 'GET', url: `${list}?cursor=${encodeURIComponent(cursor)}`, cursor: true }]
    : [];
};

// The kind routes are one row per route shape, run for every managed kind (`{kind}` in the key).
const rows: Record<string, Row> = {
  'POST /v1/resources/{kind}': {
    why: "a create names its account (and references) in the body: B's account must not take it",
    calls: (t, kind) =>
      kind === 'account'
        ? []
        : [
            {
              method: 'POST',
              url: `/v1/resources/${kind}`,
              payload: exampleBody(kind, kind === 'sub_account' ? t.root : t.account, t.ids),
            },
          ],
  },
  'GET /v1/resources/{kind}': {
    why: 'a kind list filtered by account_id, or paged by a cursor, must not list or count B',
    calls: (t, kind) => [
      get(`/v1/resources/${kind}?account_id=${t.account}`),
      // max_age_ms scans the account on the platform first: never B's.
      get(`/v1/resources/${kind}?account_id=${t.account}&max_age_ms=0`),
      ...cursorCall(t, `/v1/resources/${kind}`),
    ],
  },
  'GET /v1/resources/{kind}/:id': {
    // ?max_age_ms scans the object's account tree first: a sub-account's token reading its own
    // sub-account once scanned the parent's tree, its siblings' platform accounts included.
    why: "reads by id, also ?max_age_ms and ?wait=applied: B's object must answer as a missing one",
    calls: (t, kind) => [
      get(`/v1/resources/${kind}/${t.ids[kind]}`),
      get(`/v1/resources/${kind}/${t.ids[kind]}?max_age_ms=0`),
      get(`/v1/resources/${kind}/${t.ids[kind]}?wait=applied`),
    ],
  },
  'GET /v1/resources/{kind}/:id/status': {
    why: "status by id: B's object's status must answer as a missing one",
    calls: (t, kind) => [get(`/v1/resources/${kind}/${t.ids[kind]}/status`)],
  },
  'PUT /v1/resources/{kind}/:id': {
    why: "updates by id, also ?wait=applied: B's object must not change",
    calls: (t, kind) => {
      const body =
        kind === 'account'
          ? { ...getKind('account').example, name: 'Renamed' }
          : exampleBody(kind, kind === 'sub_account' ? t.root : t.account, t.ids);
      return [
        { method: 'PUT', url: `/v1/resources/${kind}/${t.ids[kind]}`, payload: body },
        { method: 'PUT', url: `/v1/resources/${kind}/${t.ids[kind]}?wait=applied`, payload: body },
      ];
    },
  },
  'DELETE /v1/resources/{kind}/:id': {
    why: "deletes by id: B's object must stay",
    calls: (t, kind) => [{ method: 'DELETE', url: `/v1/resources/${kind}/${t.ids[kind]}` }],
  },
  'GET /v1/resources': {
    why: 'the all-kinds list filtered by account_id or paged by a cursor must not list or count B',
    calls: (t) => [
      get(`/v1/resources?account_id=${t.account}`),
      get(`/v1/resources?account_id=${t.account}&max_age_ms=0`),
      ...cursorCall(t, '/v1/resources'),
    ],
  },
  'POST /v1/resources/webhook/:id/test': {
    why: "makes the platform post to B's webhook",
    calls: (t) => [{ method: 'POST', url: `/v1/resources/webhook/${t.ids.webhook}/test` }],
  },
  'POST /v1/accounts/:id/webhook-history/:deliveryId/retry': {
    why: "makes the platform re-post B's delivery",
    calls: (t) => [{ method: 'POST', url: `/v1/accounts/${t.account}/webhook-history/1/retry` }],
  },
  'GET /v1/accounts/:id/platform-activity': {
    why: "B's platform activity log (sign-ins, API keys)",
    calls: (t) => [get(`/v1/accounts/${t.account}/platform-activity`)],
  },
  'GET /v1/accounts': {
    why: 'the console overview lists accounts with drift and seat figures',
    list: true,
    calls: () => [get('/v1/accounts'), get('/v1/accounts?limit=1')],
  },
  'GET /v1/tokens': {
    why: "token listing: B's tokens must not be listed",
    list: true,
    calls: () => [get('/v1/tokens')],
  },
  'POST /v1/tokens': {
    why: 'a token scoped to B would hand A all of B',
    calls: (t) => [
      {
        method: 'POST',
        url: '/v1/tokens',
        payload: { name: `x-${hex()}`, role: 'admin', scope_account_id: t.account },
      },
    ],
  },
  'GET /v1/tokens/:id': {
    why: "B's token by id",
    calls: (t) => [get(`/v1/tokens/${t.token}`)],
  },
  'DELETE /v1/tokens/:id': {
    why: "revoking B's token would cut B off",
    calls: (t) => [{ method: 'DELETE', url: `/v1/tokens/${t.token}` }],
  },
  'GET /v1/audit': {
    why: "the audit trail: filters by a resource of B's, and its NDJSON export",
    list: true,
    calls: (t) => [
      get('/v1/audit'),
      get(`/v1/audit?resource=user/${t.ids.user}`),
      get('/v1/audit?format=ndjson'),
    ],
  },
  'GET /v1/audit/verify': {
    why: "the chain check counts and names events: B's must not show",
    list: true,
    calls: () => [get('/v1/audit/verify')],
  },
  'POST /v1/adopt': {
    why: "adopts B's platform objects into A by platform id",
    calls: (t) => [
      {
        method: 'POST',
        url: '/v1/adopt',
        payload: { kind: 'user', platform_ref: `platform:${t.platformAccount}/u-${hex(4)}` },
      },
      {
        method: 'POST',
        url: '/v1/adopt',
        payload: { platform_ref: `platform:${t.platformAccount}` },
      },
      // With contents, the account is listed on the platform: that must not happen for B.
      {
        method: 'POST',
        url: '/v1/adopt',
        payload: { platform_ref: `platform:${t.platformAccount}`, include: 'contents' },
      },
    ],
  },
  'GET /v1/export/platform': {
    why: "exports B's platform state as Terraform configuration",
    calls: (t) => [
      get(`/v1/export/platform?account=${t.account}`),
      get(`/v1/export/platform?account=${t.platformAccount}`),
    ],
  },
  'GET /v1/drift': {
    why: "the drift report filtered by B's account, in every format",
    calls: (t) => [
      get(`/v1/drift?account_id=${t.account}`),
      get(`/v1/drift?account_id=${t.account}&format=csv`),
      get(`/v1/drift?account_id=${t.account}&format=markdown`),
    ],
  },
  'POST /v1/drift/scan': {
    why: "a scan of B's account calls the platform with B's credentials",
    calls: (t) => [{ method: 'POST', url: `/v1/drift/scan?account_id=${t.account}` }],
  },
  'GET /v1/drift/policies': {
    why: "the policy list: B's policies must not be listed",
    list: true,
    calls: () => [get('/v1/drift/policies')],
  },
  'GET /v1/drift/policies/:target_id': {
    why: "B's policy, by account and by resource",
    calls: (t) => [get(`/v1/drift/policies/${t.account}`), get(`/v1/drift/policies/${t.ids.user}`)],
  },
  'PUT /v1/drift/policies/:target_id': {
    why: "setting B's policy would silence B's drift",
    calls: (t) => [
      { method: 'PUT', url: `/v1/drift/policies/${t.account}`, payload: { mode: 'report' } },
      { method: 'PUT', url: `/v1/drift/policies/${t.ids.user}`, payload: { mode: 'report' } },
    ],
  },
  'DELETE /v1/drift/policies/:target_id': {
    why: "removing B's policy changes how B's drift is handled",
    calls: (t) => [{ method: 'DELETE', url: `/v1/drift/policies/${t.account}` }],
  },
  'GET /v1/drift/history': {
    why: "B's daily open-drift counts",
    calls: (t) => [get(`/v1/drift/history?account_id=${t.account}`)],
  },
  'GET /v1/jobs': {
    why: 'job summaries are built over every account',
    list: true,
    calls: () => [get('/v1/jobs')],
  },
  'GET /v1/jobs/:name/runs': {
    why: 'job run summaries are built over every account',
    list: true,
    calls: () => [get('/v1/jobs/seat-usage/runs'), get('/v1/jobs/drift-scan/runs')],
  },
  'POST /v1/jobs/:name/run': {
    why: "a job acts on every account, B's included",
    calls: () => [{ method: 'POST', url: '/v1/jobs/drift-scan/run' }],
  },
  'POST /v1/jobs/:name/runs': {
    why: "the same run as /run, under the collection's name",
    calls: () => [{ method: 'POST', url: '/v1/jobs/drift-scan/runs' }],
  },
  'GET /v1/notifications/subscriptions': {
    why: "where B's notifications go",
    list: true,
    calls: () => [get('/v1/notifications/subscriptions')],
  },
  'POST /v1/notifications/subscriptions': {
    why: "a subscription on B's account would send B's events to A",
    calls: (t) => [
      {
        method: 'POST',
        url: '/v1/notifications/subscriptions',
        payload: {
          url: 'https://hooks.example/sweep',
          secret: hex(16),
          events: ['drift.detected'],
          account_id: t.account,
        },
      },
    ],
  },
  'GET /v1/notifications/subscriptions/:id': {
    why: "B's subscription by id",
    calls: (t) => [get(`/v1/notifications/subscriptions/${t.subscription}`)],
  },
  'DELETE /v1/notifications/subscriptions/:id': {
    why: "deleting B's subscription silences B",
    calls: (t) => [{ method: 'DELETE', url: `/v1/notifications/subscriptions/${t.subscription}` }],
  },
  'GET /v1/accounts/:id/{data source}': {
    why: "each platform data source reads B's account live from the platform",
    calls: (t, kind) => [get(`/v1/accounts/${t.account}/${kind}`)],
  },
};

// Routes that hold no tenant's data, and why: they need no row.
const tenantless: Record<string, string> = {
  'GET /healthz': 'liveness, no data',
  'GET /readyz': 'readiness, no data',
  'GET /status': 'daemon status, no tenant data',
  'GET /metrics': 'process metrics, labelled by route, not tenant',
  'GET /openapi.json': 'the API description',
  'GET /ui': 'the console page, static',
  'GET /ui/*': 'the console page, static',
  'GET /ui/assets/:file': 'console assets, static',
  'POST /ui/session': "signs in with the caller's own token",
  'GET /ui/session': "the caller's own session",
  'POST /ui/sign-out': "signs out the caller's own session",
  '* /v1/resources/:kind': 'unknown kinds, any method: route_not_found, no data',
  '* /v1/resources/:kind/*': 'unknown kinds, any method: route_not_found, no data',
};

const dataSources = dataSourceKinds().map((k) => k.kind.replaceAll('_', '-'));
const kinds = managedKinds().map((k) => k.kind);

/** The row key of a registered route: kind routes and data-source routes share one row each. */
function rowKey(method: string, url: string): { key: string; kind: string } {
  if (url.startsWith('/v1/resources/:kind')) return { key: `* ${url}`, kind: '' };
  const resource = /^\/v1\/resources\/([a-z_]+)(\/.*)?$/.exec(url);
  if (resource && kinds.includes(resource[1]!) && !url.endsWith('/test'))
    return { key: `${method} /v1/resources/{kind}${resource[2] ?? ''}`, kind: resource[1]! };
  const data = /^\/v1\/accounts\/:id\/([a-z-]+)$/.exec(url);
  if (data && dataSources.includes(data[1]!))
    return { key: `${method} /v1/accounts/:id/{data source}`, kind: data[1]! };
  return { key: `${method} ${url}`, kind: '' };
}

interface Registered {
  readonly method: string;
  readonly url: string;
  readonly action: Action | undefined;
}
const registered: Registered[] = [];
let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
let scheduler: Scheduler;
let tokens: TokenStore;
let store: ResourceStore;
let operations: Awaited<ReturnType<typeof createOperationsServices>>;
const target: { A1?: Target; A2?: Target; B1?: Target } = {};
/** A caller, the tenant it aims at, and what of that tenant's it must never meet. */
interface Pair {
  readonly name: string;
  readonly caller: string;
  readonly auditor: string;
  readonly own: Target;
  readonly other: Target;
  readonly markers: ReadonlySet<string>;
  /** Whether the caller sees its own tenant's root account (a sub-account's token does not). */
  readonly seesRoot: boolean;
}
// A partner against another partner, and a sub-account against its sibling (its parent's id is
// no secret to it: its own records name it).
const pairs: Pair[] = [];

// A platform that knows every tenant's objects: each call answers as if it worked, naming the
// account it was asked about, so an answer that reached B would show B's platform id.
const attempt = {
  delivery_id: 1,
  http_status: 200,
  ok: true,
  latency_ms: 1,
  at: new Date().toISOString(),
};
const fakePlatform = {
  read: async (kind: string, account: string) => ({ kind, account, items: [] }),
  list: async (_kind: string, account: string) => ({ items: [], account }),
  listAccounts: async () => ({ items: [] }),
  observe: async (ref: { externalId?: string }) => ({
    exists: true,
    externalId: ref.externalId ?? 'p-unknown',
    attributes: { name: 'Adopted', login: `adopted-${ref.externalId}`, email: 'a@x.example' },
  }),
  activity: async () => ({ entries: [] }),
  testWebhook: async () => attempt,
  retryWebhookDelivery: async () => ({ ...attempt, retry_of: 1 }),
  rotateProvisioningToken: async () => ({
    attributes: { token_rotated_at: new Date().toISOString() },
  }),
};
/** Every platform call's arguments: none aimed at B may come from A's token. */
const platformCalls: string[] = [];
const driver = Object.fromEntries(
  Object.entries(fakePlatform).map(([name, fn]) => [
    name,
    (...args: unknown[]) => {
      platformCalls.push(`${name} ${JSON.stringify(args)}`);
      return (fn as (...a: unknown[]) => unknown)(...args);
    },
  ]),
) as unknown as PlatformDriver;

async function tenantUnder(root: string, marker: 'A1' | 'A2' | 'B1'): Promise<Target> {
  const made = await createTenant(store, root);
  const platformAccount = `pa${marker}${hex(5)}`;
  await sql`update resources set external_id = ${platformAccount} where id = ${made.accountId}`.execute(
    database.db,
  );
  await sql`update resources set external_id = ${`pw${marker}${hex(5)}`} where id = ${made.ids.webhook!}`.execute(
    database.db,
  );
  const token = await tokens.create({
    name: `fx-${marker}-${hex(3)}`,
    role: 'auditor',
    scopeAccountId: made.accountId,
    createdBy: 'sweep',
  });
  const subscription = await operations.notifications.subscriptions.create(
    {
      url: 'https://hooks.example/fx',
      secret: hex(16),
      events: ['drift.detected'],
      account_id: made.accountId,
    },
    'sweep',
  );
  // A policy on the account and on its user, so the policy routes have something to hide.
  for (const id of [made.accountId, made.ids.user!])
    await app.inject({
      method: 'PUT',
      url: `/v1/drift/policies/${id}`,
      headers: { authorization: `Bearer ${rootToken}` },
      payload: { mode: 'report' },
    });
  // A cursor into each list of this account, as its own admin would hold one.
  const cursors: Record<string, string> = {};
  for (const list of ['/v1/resources', ...kinds.map((k) => `/v1/resources/${k}`)]) {
    const res = await app.inject({
      url: `${list}?account_id=${made.accountId}&limit=1`,
      headers: { authorization: `Bearer ${rootToken}` },
    });
    const next = JSON.parse(res.body).next_cursor;
    if (typeof next === 'string') cursors[list] = next;
  }
  return {
    account: made.accountId,
    root,
    ids: { ...made.ids, account: root },
    token: token.info.id,
    subscription: subscription.id,
    platformAccount,
    cursors,
  };
}

/** A target of the same shape as `t` whose every id exists nowhere. */
function ghostOf(t: Target): Target {
  // One ghost per id, so an id named twice (the account is also its sub_account) stays one.
  const ghosts = new Map<string, string>();
  const swap = (id: string) => {
    if (!ghosts.has(id))
      ghosts.set(
        id,
        id.replace(/[^_]+$/, (tail) => hex(tail.length).slice(0, tail.length)),
      );
    return ghosts.get(id)!;
  };
  return {
    account: swap(t.account),
    root: swap(t.root),
    ids: Object.fromEntries(Object.entries(t.ids).map(([k, v]) => [k, swap(v)])),
    cursors: t.cursors,
    token: swap(t.token),
    subscription: swap(t.subscription),
    platformAccount: `pa${hex(6)}`,
  };
}

/** The answer with the target's ids replaced by their role, so B's and the ghost's compare. */
function normalise(body: string, t: Target): string {
  const names: [string, string][] = [
    [t.account, '<account>'],
    [t.root, '<root>'],
    [t.token, '<token>'],
    [t.subscription, '<subscription>'],
    [t.platformAccount, '<platform account>'],
    ...Object.entries(t.ids).map(([k, v]): [string, string] => [v, `<${k}>`]),
  ];
  let out = body;
  for (const [id, name] of names) out = out.replaceAll(id, name);
  // Per-request noise: request ids, random names and platform refs the row made up.
  return out
    .replace(/"instance":"[^"]*"/g, '')
    .replace(/u-[0-9a-f]{8}/g, '<u>')
    .replace(/x-[0-9a-f]{12}/g, '<x>');
}

/** What a call could change of `t`'s: its rows, tokens, policies and subscriptions. */
async function snapshotOf(t: Target): Promise<string> {
  const ids = [t.account, t.root];
  const tables = {
    resources: sql`select id, account_id, generation, spec, deletion_requested_at, external_id
      from resources where id in (${sql.join(ids)}) or account_id in (${sql.join(ids)}) order by id`,
    tokens: sql`select id, revoked_at from api_tokens where scope_account_id = ${t.account} order by id`,
    policies: sql`select * from drift_policies order by 1`,
    subscriptions: sql`select id, account_id from notification_subscriptions where account_id = ${t.account} order by id`,
  };
  const out: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(tables))
    out[name] = (await query.execute(database.db)).rows;
  return JSON.stringify(out);
}

let rootToken = '';
/** Every id and platform id of `t`'s account and what it owns, its parent's unless `withRoot` is false. */
async function markersOf(t: Target, withRoot: boolean): Promise<Set<string>> {
  const markers = new Set([t.account, t.token, t.subscription, t.platformAccount]);
  for (const [kind, id] of Object.entries(t.ids))
    if (kind !== 'account' || withRoot) markers.add(id);
  if (withRoot) markers.add(t.root);
  const { rows } = await sql<{ external_id: string }>`select external_id from resources
    where account_id = ${t.account} and external_id is not null`.execute(database.db);
  for (const r of rows) markers.add(r.external_id);
  return markers;
}

async function tokenFor(role: 'admin' | 'auditor', scopeAccountId: string): Promise<string> {
  const name = `${role}-${scopeAccountId}`;
  return (await tokens.create({ name, role, scopeAccountId, createdBy: 'sweep' })).token;
}

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const secretBox = new AesGcmSecretBox(randomBytes(32));
  store = new ResourceStore(database.db, secretBox);
  tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  operations = await createOperationsServices({ db: database.db, driver, secretBox });
  scheduler = new Scheduler(database.db, { replica: 'sweep', dialect: 'postgres' });
  for (const job of operations.jobs) scheduler.register(job);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    driver,
    adopter: new Adopter(database.db, driver, secretBox, audit),
    exporter: new PlatformExporter(database.db, driver),
    drift: operations.drift,
    notifications: operations.notifications,
    jobs: { scheduler },
    hardening: async (instance) => {
      instance.addHook('onRoute', (route: RouteOptions) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods)
          if (method !== 'HEAD')
            registered.push({ method, url: route.url, action: route.config?.action });
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
  rootToken = (
    await tokens.create({ name: 'root', role: 'admin', scopeAccountId: null, createdBy: 'sweep' })
  ).token;
  const roots: Record<string, string> = {};
  for (const name of ['A', 'B'])
    roots[name] = (
      await store.create('account', { ...getKind('account').example, name: `Partner ${name}` }, all)
    ).id;
  target.A1 = await tenantUnder(roots.A!, 'A1');
  target.B1 = await tenantUnder(roots.B!, 'B1');
  for (const job of scheduler.list()) await scheduler.runNow(job.name);
  target.A2 = await tenantUnder(roots.A!, 'A2');
  pairs.push(
    {
      name: 'A -> B',
      caller: await tokenFor('admin', roots.A!),
      auditor: await tokenFor('auditor', roots.A!),
      own: target.A1,
      other: target.B1,
      markers: await markersOf(target.B1, true),
      seesRoot: true,
    },
    {
      name: 'A1 -> A2',
      caller: await tokenFor('admin', target.A1.account),
      auditor: await tokenFor('auditor', target.A1.account),
      own: target.A1,
      other: target.A2,
      markers: await markersOf(target.A2, false),
      seesRoot: false,
    },
  );
}, 180_000);
afterAll(async () => {
  await scheduler?.stop();
  await app?.close();
  await database?.dispose();
});

async function call(token: string, c: Call) {
  const res = await app.inject({
    method: c.method as 'GET',
    url: c.url,
    headers: { authorization: `Bearer ${token}` },
    ...(c.payload ? { payload: c.payload } : {}),
  });
  return { status: res.statusCode, body: res.body };
}

/** Every registered route with its row, or none. */
function routesWithRows() {
  return registered.map((r) => ({ ...r, ...rowKey(r.method, r.url) }));
}

describe('cross-tenant sweep of every route', () => {
  it('has a row (or a reason to need none) for every route the app registers, and no stale row', () => {
    // The cursor rows have a cursor of B's to try.
    expect(Object.keys(target.B1!.cursors)).toContain('/v1/resources');
    const keys = new Set(routesWithRows().map((r) => r.key));
    const missing = [...keys].filter((k) => !(k in rows) && !(k in tenantless));
    const stale = [...Object.keys(rows), ...Object.keys(tenantless)].filter((k) => !keys.has(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    // Every route that takes a token's action holds tenant data or acts: it needs a row.
    const actionless = routesWithRows().filter((r) => r.action && r.key in tenantless);
    expect(actionless.map((r) => r.key)).toEqual([]);
  });

  const cases = Object.entries(rows).map(([key, row]) => ({ key, ...row }));
  it.each(cases)(
    '$key: $why',
    async ({ key, calls, list }) => {
      const failures: string[] = [];
      const instances = routesWithRows().filter((r) => r.key === key);
      expect(instances.length).toBeGreaterThan(0);
      for (const { name, caller, auditor, own: a, other: b, markers, seesRoot } of pairs) {
        const ghost = ghostOf(b);
        const before = await snapshotOf(b);
        const callsBefore = platformCalls.length;
        for (const route of instances) {
          const own = calls(a, route.kind);
          const foreign = calls(b, route.kind);
          const ghosts = calls(ghost, route.kind);
          for (const [i, c] of foreign.entries()) {
            const res = await call(caller, c);
            const label = `[${name}] ${c.method} ${c.url} -> ${res.status} ${res.body.slice(0, 200)}`;
            const sent = c.url + JSON.stringify(c.payload ?? {});
            const leaked = [...markers].filter((m) => res.body.includes(m) && !sent.includes(m));
            if (leaked.length > 0)
              failures.push(`names ${leaked.join(', ')} of the other tenant: ${label}`);
            if (list) {
              if (res.status >= 300) failures.push(`list refused: ${label}`);
              continue;
            }
            if (c.cursor) {
              // B's cursor pages on A's own list, or is refused: B's rows never come back.
              if (res.status >= 300 && res.status !== 422) failures.push(`cursor: ${label}`);
              continue;
            }
            if (res.status < 300) failures.push(`reached B: ${label}`);
            // The refusal is on the trail as denied, so an operator sees A probing B.
            const { rows: last } = await sql<{
              outcome: string;
            }>`select outcome from audit_events order by seq desc limit 1`.execute(database.db);
            if (last[0]?.outcome !== 'denied') failures.push(`not audited as denied: ${label}`);
            const g = await call(caller, ghosts[i]!);
            if (g.status !== res.status || normalise(g.body, ghost) !== normalise(res.body, b))
              failures.push(
                `B's object answers unlike a missing one: ${label}\n   ghost -> ${g.status} ${g.body.slice(0, 200)}`,
              );
          }
          // A read of A's own tree is answered, so the refusals above are about scope.
          // (Not ?wait=applied: no engine runs here, so A's own object would wait for ever.)
          const reads = seesRoot || route.kind !== 'account' ? own : [];
          for (const c of reads.filter((c) => c.method === 'GET' && !c.url.includes('wait='))) {
            const res = await call(caller, c);
            if (res.status >= 400 && res.status !== 409 && res.status !== 503)
              failures.push(
                `[${name}] own tree refused: ${c.method} ${c.url} -> ${res.status} ${res.body.slice(0, 200)}`,
              );
          }
          // Role limits: a read-only role gets 403 where the route's action is not its own.
          for (const c of own) {
            if (!route.action || isAllowed('auditor', route.action)) continue;
            const res = await call(auditor, c);
            if (res.status !== 403)
              failures.push(`[${name}] auditor not refused: ${c.method} ${c.url} -> ${res.status}`);
          }
        }
        const toB = platformCalls
          .slice(callsBefore)
          .filter((c) => [...markers].some((m) => c.includes(m)));
        if (toB.length > 0)
          failures.push(`[${name}] platform called for the other tenant: ${toB.join('; ')}`);
        if ((await snapshotOf(b)) !== before) failures.push(`[${name}] changed the other tenant`);
      }
      expect(failures.join('\n')).toBe('');
    },
    120_000,
  );

  it('a read-only role may run no action that writes or runs something', () => {
    const writes = routesWithRows().filter((r) => r.method !== 'GET' && r.action);
    expect(writes.filter((r) => isAllowed('auditor', r.action!)).map((r) => r.key)).toEqual([]);
  });
});
