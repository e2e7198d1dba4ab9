import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import type { Principal } from '../../src/auth/principal.js';
import { notificationDeliveryJob } from '../../src/jobs/definitions/notification-delivery-job.js';
import { enqueueNotification } from '../../src/notifications/enqueue-notification.js';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.js';
import { SubscriptionStore } from '../../src/notifications/subscription-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { seedResources } from '../drift/seed-resources.js';

const secret = 'a-long-enough-secret-1234';

describe('/v1/notifications/subscriptions', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const secretBox = new AesGcmSecretBox(randomBytes(32));

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    await seedResources(t.db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: {},
        externalId: 'pa',
      },
      {
        id: 'account_b',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_b',
        spec: {},
        externalId: 'pb',
      },
    ]);
    app = buildApp({
      ...apiServicesFor(new ResourceStore(t.db, secretBox)),
      auth: async (instance) => {
        instance.addHook('onRequest', async (request) => {
          const scope = request.headers['x-test-scope'];
          const principal: Principal = {
            tokenId: 't',
            name: 'tester',
            role: 'admin',
            scopeAccountId: typeof scope === 'string' ? scope : null,
          };
          request.principal = principal;
        });
      },
      notifications: { subscriptions: new SubscriptionStore(t.db, secretBox) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('creates a subscription without ever returning its secret', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/notifications/subscriptions',
      payload: { url: 'https://hooks.example/t', secret, events: ['drift.detected'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(secret);
    expect(res.json()).toMatchObject({
      secret_set: true,
      events: ['drift.detected'],
      account_id: null,
      created_by: 'tester',
    });
    const list = await app.inject({ url: '/v1/notifications/subscriptions' });
    expect(list.body).not.toContain(secret);
    expect(list.json().items).toHaveLength(1);
  });

  it.each([
    {
      why: 'a short secret',
      payload: { url: 'https://h.example', secret: 'short', events: ['drift.detected'] },
      field: 'secret',
      rule: 'minLength',
    },
    {
      why: 'an unknown event',
      payload: { url: 'https://h.example', secret, events: ['drift.exploded'] },
      field: 'events.0',
      rule: 'enum',
    },
    {
      why: 'a URL that is not http(s)',
      payload: { url: 'file:///etc/passwd', secret, events: ['drift.detected'] },
      field: 'url',
      rule: 'pattern',
    },
    {
      why: 'no events',
      payload: { url: 'https://h.example', secret, events: [] },
      field: 'events',
      rule: 'minItems',
    },
  ])(
    'refuses $why, naming the field and the rule, and stores nothing',
    async ({ payload, field, rule }) => {
      const before = (await t.db.selectFrom('notification_subscriptions').select('id').execute())
        .length;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/notifications/subscriptions',
        payload,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
      expect(res.body).not.toContain(secret);
      expect(
        await t.db.selectFrom('notification_subscriptions').select('id').execute(),
      ).toHaveLength(before);
    },
  );

  it('keeps a scoped token to subscriptions of its own accounts', async () => {
    const scoped = { 'x-test-scope': 'account_b' };
    const foreign = await app.inject({
      method: 'POST',
      url: '/v1/notifications/subscriptions',
      headers: scoped,
      payload: {
        url: 'https://h.example',
        secret,
        events: ['seats.warning'],
        account_id: 'account_a',
      },
    });
    expect(foreign.statusCode).toBe(422);
    const own = await app.inject({
      method: 'POST',
      url: '/v1/notifications/subscriptions',
      headers: scoped,
      payload: {
        url: 'https://h.example',
        secret,
        events: ['seats.warning'],
        account_id: 'account_b',
      },
    });
    expect(own.statusCode).toBe(201);
    const list = await app.inject({ url: '/v1/notifications/subscriptions', headers: scoped });
    expect(list.json().items.map((s: { account_id: string }) => s.account_id)).toEqual([
      'account_b',
    ]);
    const other = (await app.inject({ url: '/v1/notifications/subscriptions' }))
      .json()
      .items.find((s: { account_id: string | null }) => s.account_id === null);
    expect(
      (await app.inject({ url: `/v1/notifications/subscriptions/${other.id}`, headers: scoped }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/v1/notifications/subscriptions/${own.json().id}`,
          headers: scoped,
        })
      ).statusCode,
    ).toBe(204);
  });

  it('the delivery job drains due notifications and counts failures for retry', async () => {
    const failing: typeof fetch = async () => new Response('nope', { status: 500 });
    await enqueueNotification(t.db, {
      event: 'drift.detected',
      accountId: 'account_a',
      rootAccountId: 'account_a',
      data: {},
    });
    const job = notificationDeliveryJob(
      new NotificationDispatcher({ db: t.db, secretBox, fetch: failing }),
    );
    expect(await job.run({ db: t.db, replica: 'r', trigger: 'manual' })).toEqual({
      delivered: 0,
      retrying: 1,
      dead: 0,
    });
    expect(await job.run({ db: t.db, replica: 'r', trigger: 'manual' })).toEqual({
      delivered: 0,
      retrying: 0,
      dead: 0,
    });
  });
});
