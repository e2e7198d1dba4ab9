import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';
import { selfSignedCert, webhookReceiver } from './support/webhook-receiver.js';

let t: TestEmulator;
let rx: Awaited<ReturnType<typeof webhookReceiver>>;
beforeAll(async () => {
  const tls = selfSignedCert();
  t = await testEmulator({ webhookCa: tls.cert });
  rx = await webhookReceiver(tls);
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

const createUser = (acct: string, login: string) =>
  t.call('POST', `/v1/accounts/${acct}/users`, {
    name: login,
    login,
    email: `${login}@acme.example`,
  });

describe('webhooks', () => {
  it('delivers user events to the URL with basic auth and an HMAC signature, and records them', async () => {
    const a = await t.account();
    const hook = await t.call('POST', `/v1/accounts/${a.id}/webhooks`, {
      url: rx.url,
      authentication: { enabled: true, login: 'hooks', password: 's3cret-pass' },
      rights: { users: true },
    });
    expect(hook.status).toBe(201);
    expect(JSON.stringify(hook.body)).not.toContain('s3cret-pass');
    const before = rx.received.length;
    await createUser(a.id, 'wanda');
    await t.emu.webhooksIdle();
    const got = rx.received.slice(before);
    expect(got).toHaveLength(1);
    const { headers, body } = got[0]!;
    expect(headers.authorization).toBe(
      `Basic ${Buffer.from('hooks:s3cret-pass').toString('base64')}`,
    );
    expect(headers['x-emulator-signature']).toBe(
      `sha256=${createHmac('sha256', 's3cret-pass').update(body).digest('hex')}`,
    );
    expect(JSON.parse(body)).toMatchObject({
      trigger: 'users.created',
      module: 'users',
      account_id: a.id,
    });
    const history = await t.call('GET', `/v1/accounts/${a.id}/webhook_history`);
    expect(history.body.entries).toEqual([
      expect.objectContaining({
        webhook_id: hook.body.id,
        trigger: 'users.created',
        url: rx.url,
        authentication: true,
        http_status: 200,
      }),
    ]);
  });

  it.each([
    {
      why: 'a right that is off sends nothing',
      rights: { users: false, crm: true },
      enabled: true,
      module: 'users',
      expected: 0,
    },
    {
      why: 'a disabled webhook sends nothing',
      rights: { users: true },
      enabled: false,
      module: 'users',
      expected: 0,
    },
    {
      why: 'each module right is honoured (exports)',
      rights: { exports: true },
      enabled: true,
      module: 'exports',
      expected: 1,
    },
    {
      why: 'each module right is honoured (whatsapp campaigns)',
      rights: { whatsapp_campaigns: true },
      enabled: true,
      module: 'whatsapp_campaigns',
      expected: 1,
    },
  ])('$why', async ({ rights, enabled, module, expected }) => {
    const a = await t.account();
    await t.call('POST', `/v1/accounts/${a.id}/webhooks`, { url: rx.url, enabled, rights });
    const before = rx.received.length;
    const r = await t.call('POST', `/_emulator/console/accounts/${a.id}/events`, {
      module,
      trigger: `${module}.test`,
    });
    expect(r.status).toBe(202);
    await t.emu.webhooksIdle();
    expect(rx.received.length - before).toBe(expected);
  });

  it("records a failing endpoint's status and delivers again on retry", async () => {
    const a = await t.account();
    await t.call('POST', `/v1/accounts/${a.id}/webhooks`, { url: rx.url, rights: { users: true } });
    rx.answerWith(500);
    await createUser(a.id, 'xavier');
    await t.emu.webhooksIdle();
    const failed = (await t.call('GET', `/v1/accounts/${a.id}/webhook_history`)).body.entries[0];
    expect(failed.http_status).toBe(500);
    rx.answerWith(200);
    const before = rx.received.length;
    const retry = await t.call(
      'POST',
      `/v1/accounts/${a.id}/webhook_history/${failed.delivery_id}/retry`,
    );
    expect(retry.body).toMatchObject({ retry_of: failed.delivery_id, http_status: 200 });
    expect(rx.received.length - before).toBe(1);
    expect(rx.received.at(-1)!.body).toBe(rx.received.at(-2)!.body);
    const entries = (await t.call('GET', `/v1/accounts/${a.id}/webhook_history`)).body.entries;
    expect(entries.map((e: { http_status: number }) => e.http_status)).toEqual([200, 500]);
  });

  it('records an unreachable endpoint with no status', async () => {
    const a = await t.account();
    await t.call('POST', `/v1/accounts/${a.id}/webhooks`, {
      url: 'https://127.0.0.1:9/unreachable',
      rights: { users: true },
    });
    await createUser(a.id, 'yolanda');
    await t.emu.webhooksIdle();
    const entries = (await t.call('GET', `/v1/accounts/${a.id}/webhook_history`)).body.entries;
    expect(entries).toEqual([
      expect.objectContaining({ http_status: null, authentication: false }),
    ]);
  });
});
