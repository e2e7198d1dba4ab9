import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { enqueueNotification } from '../../src/notifications/enqueue-notification.js';
import { maxDeliveryAttempts } from '../../src/notifications/delivery-backoff.js';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.js';
import { SubscriptionStore } from '../../src/notifications/subscription-store.js';
import { verifyWebhook } from '../../src/notifications/webhook-signature.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { describeEachDatabase } from '../support/databases.js';

const secretBox = new AesGcmSecretBox(randomBytes(32));
const secret = 'subscriber-secret-123456';
let server: Server;
let url: string;
let statuses: number[] = [];
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describeEachDatabase('NotificationDispatcher', (database) => {
  beforeEach(async () => {
    await database().db.deleteFrom('notification_subscriptions').execute();
    received.length = 0;
    statuses = [];
  });

  const makeDue = () =>
    database()
      .db.updateTable('notification_outbox')
      .set({ next_attempt_at: new Date(0) })
      .execute();
  const drift = {
    event: 'drift.detected' as const,
    accountId: 'account_a',
    rootAccountId: 'account_a',
    data: { resource_id: 'user_1' },
  };

  it('delivers a signed webhook that the subscriber verifies, retrying a failed delivery', async () => {
    const { db } = database();
    await new SubscriptionStore(db, secretBox).create(
      { url, secret, events: ['drift.detected'] },
      'admin',
    );
    expect(await enqueueNotification(db, drift)).toBe(1);
    const dispatcher = new NotificationDispatcher({ db, secretBox, random: () => 0.5 });
    statuses = [503];
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    const waiting = await db
      .selectFrom('notification_outbox')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1, last_status: 503 });
    expect(waiting.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing is sent before the backoff ends.
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    await makeDue();
    expect(await dispatcher.deliverDue()).toEqual({ delivered: 1, retrying: 0, dead: 0 });
    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(last.headers['telform-event']).toBe('drift.detected');
    expect(last.headers['telform-delivery']).toBe(waiting.id);
    const now = Math.floor(Date.now() / 1000);
    expect(
      verifyWebhook(secret, last.body, last.headers['telform-signature'] as string, now),
    ).toEqual({ ok: true });
    expect(JSON.parse(last.body)).toMatchObject({
      id: waiting.id,
      event: 'drift.detected',
      account_id: 'account_a',
      data: { resource_id: 'user_1' },
    });
    expect(last.body).not.toContain(secret);
    const done = await db.selectFrom('notification_outbox').selectAll().executeTakeFirstOrThrow();
    expect(done).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('gives a delivery up after the last attempt, and keeps it for inspection', async () => {
    const { db } = database();
    await new SubscriptionStore(db, secretBox).create(
      { url, secret, events: ['drift.detected'] },
      'admin',
    );
    await enqueueNotification(db, drift);
    await db
      .updateTable('notification_outbox')
      .set({ attempts: maxDeliveryAttempts - 1 })
      .execute();
    statuses = [500];
    const round = await new NotificationDispatcher({ db, secretBox }).deliverDue();
    expect(round).toEqual({ delivered: 0, retrying: 0, dead: 1 });
    expect(
      await db.selectFrom('notification_outbox').select('state').executeTakeFirstOrThrow(),
    ).toEqual({ state: 'dead' });
  });

  it('queues only for subscribers of the event and of the account', async () => {
    const { db } = database();
    const store = new SubscriptionStore(db, secretBox);
    await store.create(
      { url, secret, events: ['drift.detected'], account_id: 'account_a' },
      'admin',
    );
    await store.create(
      { url, secret, events: ['drift.detected'], account_id: 'account_b' },
      'admin',
    );
    await store.create({ url, secret, events: ['seats.warning'] }, 'admin');
    await store.create({ url, secret, events: ['drift.detected'], enabled: false }, 'admin');
    expect(await enqueueNotification(db, drift)).toBe(1);
  });

  it('never shows the secret and stores it sealed', async () => {
    const { db } = database();
    const view = await new SubscriptionStore(db, secretBox).create(
      { url, secret, events: ['drift.resolved'] },
      'admin',
    );
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(view.secret_set).toBe(true);
    const row = await db
      .selectFrom('notification_subscriptions')
      .select('secret')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row.secret)).not.toContain(secret);
  });
});
