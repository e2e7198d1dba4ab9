import { randomBytes } from 'node:crypto';
import { getKind } from '@telform/schemas';
import { beforeEach, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import { subscriptionSecretAad } from '../../src/notifications/notification-dispatcher.js';
import { SubscriptionStore } from '../../src/notifications/subscription-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { rekeySecrets } from '../../src/rekey/rekey-secrets.js';
import { openObserved, sealObserved } from '../../src/store/observed-secrets.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { openSecrets, secretAad } from '../../src/store/secret-fields.js';
import { describeEachDatabase } from '../support/databases.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const oldBox = new AesGcmSecretBox(keyA);
// The daemon after a rotation: B seals, A still opens.
const rotatedBox = new AesGcmSecretBox(keyB, [keyA]);
// The daemon once A is dropped: only what was re-sealed under B opens.
const onlyB = new AesGcmSecretBox(keyB);

const all = { scopeAccountId: null };
const plain = {
  password: 'hunter2-Rekey-1',
  phone: 'Phone-Admin-9',
  token: 'tok-Rekey-Zq81',
  url: 'https://prov.example/boot/tok-Rekey-Zq81',
  webhook: 'whsec-Rekey-3',
};
const everyPlaintext = Object.values(plain);
const generated = getKind('provisioning').generatedSecrets;

describeEachDatabase('rekeySecrets', (database) => {
  let ids: { account: string; user: string; prov: string; sub: string };

  // Under key A: a user's password, a provisioning's phone admin password and its generated
  // token and URL (sealed in observed), and a webhook subscription's signing secret.
  beforeEach(async () => {
    const { db } = database();
    await db.deleteFrom('notification_outbox').execute();
    await db.deleteFrom('notification_subscriptions').execute();
    await db.deleteFrom('resources').execute();
    const store = new ResourceStore(db, oldBox);
    const account = (await store.create('account', { name: 'Rk', email: 'rk@example.com' }, all))
      .id;
    const user = await store.create(
      'user',
      {
        account_id: account,
        name: 'ann',
        login: 'ann',
        email: 'ann@example.com',
        password: plain.password,
      },
      all,
    );
    const prov = await store.create(
      'provisioning',
      { account_id: account, phone_admin_password: plain.phone },
      all,
    );
    const observed = { token: plain.token, provisioning_url: plain.url, token_rotated_at: 'T' };
    await db
      .updateTable('resources')
      .set({ observed: JSON.stringify(sealObserved(oldBox, prov.id, generated, observed)) })
      .where('id', '=', prov.id)
      .execute();
    const sub = await new SubscriptionStore(db, oldBox).create(
      { url: 'https://hooks.example/t', secret: plain.webhook, events: ['drift.detected'] },
      'admin',
    );
    ids = { account, user: user.id, prov: prov.id, sub: sub.id };
  });

  const rows = () => database().db.selectFrom('resources').selectAll().orderBy('id').execute();
  const subscription = () =>
    database()
      .db.selectFrom('notification_subscriptions')
      .selectAll()
      .where('id', '=', ids.sub)
      .executeTakeFirstOrThrow();
  const rekeyEvents = () =>
    database()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'secrets.rekey')
      .orderBy('seq')
      .execute();

  it('re-seals every value under the current key: desired, observed and subscription secrets', async () => {
    const { db } = database();
    const before = await rows();
    // Batches of 2 rows: the keyset pagination crosses batch boundaries.
    const summary = await rekeySecrets(db, { box: rotatedBox, batchSize: 2 });
    expect(summary).toEqual({
      resourcesScanned: 3,
      subscriptionsScanned: 1,
      resealed: 5,
      alreadyCurrent: 0,
      unopenable: [],
    });

    // Proof: with key A gone, everything still opens.
    const after = await rows();
    const byId = new Map(after.map((r) => [r.id, r]));
    expect(openSecrets(onlyB, ids.user, byId.get(ids.user)!.secrets)).toEqual({
      password: plain.password,
    });
    const prov = byId.get(ids.prov)!;
    expect(openSecrets(onlyB, ids.prov, prov.secrets)).toEqual({
      phone_admin_password: plain.phone,
    });
    expect(openObserved(onlyB, ids.prov, generated, prov.observed!)).toEqual({
      token: plain.token,
      provisioning_url: plain.url,
      token_rotated_at: 'T',
    });
    expect(onlyB.open((await subscription()).secret, subscriptionSecretAad(ids.sub))).toBe(
      plain.webhook,
    );

    // Not a desired-state change: no generation bump, no requeue, no new update time.
    const unchanged = (r: (typeof before)[number]) => ({
      id: r.id,
      generation: r.generation,
      applied_generation: r.applied_generation,
      next_reconcile_at: r.next_reconcile_at,
      attempts: r.attempts,
      conditions: r.conditions,
      spec: r.spec,
      updated_at: r.updated_at,
    });
    expect(after.map(unchanged)).toEqual(before.map(unchanged));
  });

  it('is idempotent: a second run re-seals nothing and writes nothing', async () => {
    const { db } = database();
    await rekeySecrets(db, { box: rotatedBox });
    const once = await rows();
    const summary = await rekeySecrets(db, { box: rotatedBox });
    expect(summary).toMatchObject({ resealed: 0, alreadyCurrent: 5, unopenable: [] });
    expect(await rows()).toEqual(once);
  });

  it('records one audit event with counts only, never a secret', async () => {
    const { db } = database();
    const seen = (await rekeyEvents()).length;
    await rekeySecrets(db, { box: rotatedBox, audit: new AuditStore(db) });
    const events = (await rekeyEvents()).slice(seen);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'cli',
      access: 'write',
      outcome: 'success',
      resource: null,
    });
    expect(JSON.parse(events[0]!.change!)).toEqual({
      resources_scanned: 3,
      subscriptions_scanned: 1,
      resealed: 5,
      already_current: 0,
      unopenable: 0,
    });
    const text = JSON.stringify(events);
    for (const secret of everyPlaintext) expect(text).not.toContain(secret);
  });

  it('reports a value no key opens by place only and leaves it untouched', async () => {
    const { db } = database();
    // Sealed under a key the daemon no longer has.
    const lost = new AesGcmSecretBox(randomBytes(32)).seal(
      'lost-Secret-77',
      secretAad(ids.user, 'password'),
    );
    await db
      .updateTable('resources')
      .set({ secrets: JSON.stringify({ password: lost }) })
      .where('id', '=', ids.user)
      .execute();
    const seen = (await rekeyEvents()).length;
    const summary = await rekeySecrets(db, { box: rotatedBox, audit: new AuditStore(db) });
    expect(summary.unopenable).toEqual([{ id: ids.user, path: 'password' }]);
    expect(summary.resealed).toBe(4); // everything else moved on
    const user = (await rows()).find((r) => r.id === ids.user)!;
    expect(user.secrets).toEqual({ password: lost });
    expect(JSON.stringify(summary)).not.toContain('lost-Secret-77');
    const [event] = (await rekeyEvents()).slice(seen);
    expect(event).toMatchObject({ outcome: 'failure' });
    expect(JSON.parse(event!.change!)).toMatchObject({ unopenable: 1 });
  });

  it('waits for a concurrent write on a row it rekeys, and keeps that write', async (ctx) => {
    // PGlite has a single connection: no second writer can run beside the rekey there.
    if (database().dialect !== 'postgres') ctx.skip();
    const { db } = database();
    let release!: () => void;
    let holding!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = new Promise<void>((r) => (holding = r));
    // A daemon's PUT of a new password (under B) holds the user's row lock meanwhile.
    const put = db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('resources')
        .select('id')
        .where('id', '=', ids.user)
        .forUpdate()
        .execute();
      holding();
      await gate;
      const newer = rotatedBox.seal('newer-Secret-5', secretAad(ids.user, 'password'));
      await trx
        .updateTable('resources')
        .set({ secrets: JSON.stringify({ password: newer }) })
        .where('id', '=', ids.user)
        .execute();
    });
    await held;
    let finished = false;
    const rekey = rekeySecrets(db, { box: rotatedBox }).finally(() => (finished = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(finished, 'the rekey waits for the row lock').toBe(false);
    release();
    await put;
    expect(await rekey).toMatchObject({ resealed: 4, alreadyCurrent: 1, unopenable: [] });
    const user = (await rows()).find((r) => r.id === ids.user)!;
    expect(openSecrets(onlyB, ids.user, user.secrets)).toEqual({ password: 'newer-Secret-5' });
  });

  it('a dry run counts what would change and writes nothing, not even the audit event', async () => {
    const { db } = database();
    const before = await rows();
    const sub = await subscription();
    const seen = (await rekeyEvents()).length;
    const summary = await rekeySecrets(db, {
      box: rotatedBox,
      dryRun: true,
      audit: new AuditStore(db),
    });
    expect(summary).toMatchObject({ resealed: 5, alreadyCurrent: 0, unopenable: [] });
    expect(await rows()).toEqual(before);
    expect(await subscription()).toEqual(sub);
    expect(await rekeyEvents()).toHaveLength(seen);
  });
});
