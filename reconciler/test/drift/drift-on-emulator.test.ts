// End to end on the real pieces: desired state through ResourceStore, applied by the engine to
// the bundled emulator over HTTP, changed out of band in the emulator's console, then scanned.
import { randomBytes } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardAuditSink } from '../../src/audit/audit-sink.js';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { AccountBudget } from '../../src/driver/account-budget.js';
import { GuardedDriver } from '../../src/driver/guarded-driver.js';
import { defaultBackoff } from '../../src/reconcile/backoff.js';
import { defaultRequeueDelays } from '../../src/reconcile/failure-outcome.js';
import { KindGraph } from '../../src/reconcile/kind-graph.js';
import { noopReconcileMetrics } from '../../src/reconcile/reconcile-metrics.js';
import { reconcileResource, type ReconcileDeps } from '../../src/reconcile/reconcile-resource.js';
import { ReferenceResolver } from '../../src/reconcile/reference-resolver.js';
import { WorkQueue } from '../../src/reconcile/work-queue.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const all = { scopeAccountId: null };

describe('drift against the emulator', () => {
  let t: TestDatabase;
  let emu: RunningEmulator;
  let driver: HttpPlatformDriver;
  let policies: DriftPolicyCache;
  let scanner: DriftScanner;
  let engine: ReconcileDeps;
  let queue: WorkQueue;
  let accountId: string;
  let userId: string;

  const consoleEdit = async (path: string, body: unknown) => {
    const res = await fetch(`${emu.url}/_emulator/console/accounts/${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const createOutOfBand = async (accountExternalId: string, body: unknown) => {
    const res = await fetch(`${emu.url}/v1/accounts/${accountExternalId}/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const runEngine = async () => {
    for (let round = 0; round < 20; round++) {
      const rows = await queue.claim(50);
      if (rows.length === 0) return;
      for (const row of rows) await reconcileResource(engine, row);
    }
    throw new Error('engine did not settle');
  };
  const externalId = async (id: string) =>
    (
      await t.db
        .selectFrom('resources')
        .select('external_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).external_id!;
  const records = () => t.db.selectFrom('drift_records').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    emu = await startEmulator({ port: 0, rateLimit: null });
    driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey, timeoutMs: 5_000 });
    policies = new DriftPolicyCache(t.db);
    scanner = new DriftScanner({ db: t.db, driver, policies });
    const graph = new KindGraph();
    queue = new WorkQueue(t.db, graph, { owner: 'test', leaseMs: 30_000 });
    const secretBox = new AesGcmSecretBox(randomBytes(32));
    engine = {
      queue,
      references: new ReferenceResolver(t.db, graph),
      graph,
      driver: new GuardedDriver(
        driver,
        new AccountBudget({ maxConcurrent: 4, ratePerSecond: 1000 }),
        noopReconcileMetrics,
      ),
      secrets: secretBox,
      audit: discardAuditSink,
      metrics: noopReconcileMetrics,
      backoff: defaultBackoff,
      delays: defaultRequeueDelays,
      driftPolicy: policies.driftPolicy,
    };
    const store = new ResourceStore(t.db, secretBox);
    const account = await store.create(
      'account',
      { name: 'Acme', email: 'admin@acme.example' },
      all,
    );
    accountId = account.id;
    const user = await store.create(
      'user',
      {
        account_id: accountId,
        name: 'Alice',
        login: 'alice',
        email: 'alice@acme.example',
        password: 'Sup3r-secret-pw',
      },
      all,
    );
    userId = user.id;
    await runEngine();
    expect(await externalId(userId)).toBeTruthy();
  });
  afterAll(async () => {
    await emu?.close();
    await t?.dispose();
  });

  it('finds nothing right after an apply', async () => {
    const result = await scanner.scanAccount(accountId);
    expect(result).toMatchObject({ outcome: 'scanned', opened: 0, unmanaged: 0 });
    expect(await records()).toEqual([]);
  });

  it('turns a console change into a drift record with the right fields within one scan', async () => {
    const account = await externalId(accountId);
    await consoleEdit(`${account}/users/${await externalId(userId)}`, {
      display_name: 'Al',
      privileges: { monitor: true },
    });
    const result = await scanner.scanAccount(accountId);
    expect(result).toMatchObject({ outcome: 'scanned', opened: 1 });
    const [record] = await records();
    expect(record).toMatchObject({
      resource_id: userId,
      kind: 'user',
      account_id: accountId,
      state: 'open',
      action: 'reported',
    });
    expect(record!.fields).toEqual([
      { field: 'display_name', desired: null, actual: 'Al' },
      { field: 'privileges.monitor', desired: false, actual: true },
    ]);
    // The write-only password is never compared, so it never shows.
    expect(JSON.stringify(record)).not.toContain('Sup3r');
    // A few calls per account (one per kind, singletons included), not one per object.
    if (result.outcome === 'scanned') expect(result.calls).toBeLessThan(30);
  });

  it('never reports an ignored field', async () => {
    await t.db
      .insertInto('drift_policies')
      .values({
        target_id: userId,
        target_type: 'resource',
        ignore_fields: '["display_name"]',
        updated_by: 'test',
      })
      .execute();
    await policies.refresh();
    await scanner.scanAccount(accountId);
    const open = (await records()).filter((r) => r.state === 'open');
    expect(open.map((r) => r.fields.map((f) => f.field))).toEqual([['privileges.monitor']]);
  });

  it('under `correct`, re-applies through the engine and the record resolves', async () => {
    await t.db
      .updateTable('drift_policies')
      .set({ mode: 'correct' })
      .where('target_id', '=', userId)
      .execute();
    await policies.refresh();
    const account = await externalId(accountId);
    await consoleEdit(`${account}/users/${await externalId(userId)}`, { name: 'Mallory' });
    expect(await scanner.scanAccount(accountId)).toMatchObject({ corrected: 1 });
    const open = (await records()).find((r) => r.state === 'open');
    expect(open).toMatchObject({ action: 'corrected' });
    expect(open!.fields.map((f) => f.field)).toEqual(['name', 'privileges.monitor']);
    await runEngine();
    const observed = await driver.observe({
      kind: 'user',
      id: userId,
      accountExternalId: account,
      externalId: await externalId(userId),
    });
    expect(observed).toMatchObject({ exists: true, attributes: { name: 'Alice' } });
    expect(await scanner.scanAccount(accountId)).toMatchObject({ resolved: 1, opened: 0 });
    expect((await records()).map((r) => r.state)).toEqual(['resolved']);
  });

  // Under `correct`, the engine decides "differs" with the scanner's comparison: drift the scan
  // reports is re-applied and the next scan resolves it, also when the changed attribute is unset
  // in the spec (the engine's old diff looked only at attributes the spec sets, found nothing to
  // do, and the record stayed open for good).
  const corrections: Array<{ why: string; change: Record<string, unknown>; field: string }> = [
    {
      why: 'an attribute set in the spec, changed out of band',
      change: { name: 'Mallory' },
      field: 'name',
    },
    {
      why: 'an attribute unset in the spec, given a value out of band',
      change: { display_name: 'Boss' },
      field: 'display_name',
    },
    {
      why: 'a nested attribute unset in the spec, moved off its default out of band',
      change: { privileges: { admin: true } },
      field: 'privileges.admin',
    },
  ];
  let made = 0;
  const correctedUser = async (ignoreFields: string[] = []) => {
    made++;
    const store = new ResourceStore(t.db, engine.secrets);
    const user = await store.create(
      'user',
      {
        account_id: accountId,
        name: 'Carol',
        login: `carol${made}`,
        email: `c${made}@acme.example`,
      },
      all,
    );
    await runEngine();
    await t.db
      .insertInto('drift_policies')
      .values({
        target_id: user.id,
        target_type: 'resource',
        mode: 'correct',
        ignore_fields: JSON.stringify(ignoreFields),
        updated_by: 'test',
      })
      .execute();
    await policies.refresh();
    return user.id;
  };
  const platformUser = async (id: string) => {
    const seen = await driver.observe({
      kind: 'user',
      id,
      accountExternalId: await externalId(accountId),
      externalId: await externalId(id),
    });
    return seen.exists ? seen.attributes : {};
  };
  const recordOf = async (id: string) =>
    (await records()).filter((r) => r.resource_id === id).map((r) => [r.state, r.action, r.fields]);

  it.each(corrections)('under `correct`, drift in $why is re-applied and resolves', async (c) => {
    const id = await correctedUser();
    const before = await platformUser(id);
    await consoleEdit(`${await externalId(accountId)}/users/${await externalId(id)}`, c.change);
    await scanner.scanAccount(accountId);
    expect(await recordOf(id)).toEqual([
      ['open', 'corrected', [expect.objectContaining({ field: c.field })]],
    ]);
    await runEngine();
    const after = await platformUser(id);
    const top = c.field.split('.')[0]!;
    expect(after[top]).toEqual(before[top]);
    await scanner.scanAccount(accountId);
    expect((await recordOf(id)).map(([state]) => state)).toEqual(['resolved']);
  });

  it('under `correct`, drift only in an ignored field is neither reported nor overwritten', async () => {
    const id = await correctedUser(['display_name']);
    await consoleEdit(`${await externalId(accountId)}/users/${await externalId(id)}`, {
      display_name: 'Kept',
    });
    await scanner.scanAccount(accountId);
    expect(await recordOf(id)).toEqual([]);
    // Even when the engine looks at it (a resync), it has nothing to correct.
    await t.db
      .updateTable('resources')
      .set({ next_reconcile_at: new Date() })
      .where('id', '=', id)
      .execute();
    await runEngine();
    expect((await platformUser(id)).display_name).toBe('Kept');
  });

  it('lists an object created outside telform as unmanaged and leaves it alone', async () => {
    const account = await externalId(accountId);
    const stranger = await createOutOfBand(account, {
      name: 'Eve',
      login: 'eve',
      email: 'eve@acme.example',
    });
    expect(await scanner.scanAccount(accountId)).toMatchObject({ unmanaged: 1, opened: 0 });
    const rows = await t.db.selectFrom('unmanaged_objects').selectAll().execute();
    expect(rows.map((r) => [r.kind, r.external_id, r.gone_at])).toEqual([['user', stranger, null]]);
    const still = await driver.observe({
      kind: 'user',
      id: 'unused',
      accountExternalId: account,
      externalId: stranger,
    });
    expect(still.exists).toBe(true);
  });
});
