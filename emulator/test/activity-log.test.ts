import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalEvents } from '../src/routes/console-portal-events.js';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

describe('activity log as the vendor documents it', () => {
  it('pages newest first with a cursor, every entry once', async () => {
    const a = await t.account();
    for (let i = 0; i < 5; i++) {
      await t.call('POST', `/_emulator/console/accounts/${a.id}/portal-events`, {
        event: 'user.login',
        resource: `user/u-${i}`,
      });
    }
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const q = `event=user.login&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await t.call('GET', `/v1/accounts/${a.id}/activity?${q}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.entries.map((e: { resource: string }) => e.resource));
      if (r.body.next_cursor === null) break;
      cursor = r.body.next_cursor;
    }
    expect(seen).toEqual(['user/u-4', 'user/u-3', 'user/u-2', 'user/u-1', 'user/u-0']);
  });

  it('a cursor that is not a number is refused', async () => {
    const a = await t.account();
    const r = await t.call('GET', `/v1/accounts/${a.id}/activity?cursor=abc`);
    expect(r.status).toBe(400);
  });

  it.each(portalEvents.map((event) => ({ event })))(
    'records the portal event $event with the console user as actor',
    async ({ event }) => {
      const a = await t.account();
      const r = await t.call(
        'POST',
        `/_emulator/console/accounts/${a.id}/portal-events`,
        { event },
        undefined,
        { 'x-console-user': 'dana@acme.example' },
      );
      expect(r.status).toBe(201);
      const log = await t.call('GET', `/v1/accounts/${a.id}/activity?event=${event}`);
      expect(log.body.entries).toEqual([
        expect.objectContaining({
          event,
          actor: 'console:dana@acme.example',
          outcome: 'success',
          type: 'write',
        }),
      ]);
    },
  );

  it.each([
    { why: 'a failed sign-in is logged as a failure', outcome: 'failure' },
    { why: 'a refused one as denied', outcome: 'denied' },
  ])('$why', async ({ outcome }) => {
    const a = await t.account();
    await t.call('POST', `/_emulator/console/accounts/${a.id}/portal-events`, {
      event: 'user.login',
      outcome,
    });
    const log = await t.call('GET', `/v1/accounts/${a.id}/activity?outcome=${outcome}`);
    expect(log.body.entries.map((e: { event: string }) => e.event)).toEqual(['user.login']);
  });

  it.each([
    { why: 'unknown events are not invented', body: { event: 'user.teleport' } },
    { why: 'the event is required', body: {} },
    { why: 'outcomes are the three the log knows', body: { event: 'user.login', outcome: 'ok' } },
  ])('refuses a bad portal event: $why', async ({ body }) => {
    const a = await t.account();
    const r = await t.call('POST', `/_emulator/console/accounts/${a.id}/portal-events`, body);
    expect(r.status).toBe(400);
  });

  it.each([
    { why: 'a plain console edit is the console', header: undefined, actor: 'console' },
    { why: 'a named console user', header: 'ops@acme.example', actor: 'console:ops@acme.example' },
    { why: 'a name with control characters is not logged', header: 'x\ty', actor: 'console' },
  ])('console settings edits are logged under the API resource name: $why', async (c) => {
    const a = await t.account();
    await t.call('PUT', `/v1/accounts/${a.id}/settings/security_policy`, {
      two_factor_required: false,
    });
    await t.call(
      'PATCH',
      `/_emulator/console/accounts/${a.id}/settings/security_policy`,
      { two_factor_required: true },
      undefined,
      c.header ? { 'x-console-user': c.header } : {},
    );
    const log = await t.call(
      'GET',
      `/v1/accounts/${a.id}/activity?resource=security_policy/${a.id}&type=write`,
    );
    expect(log.body.entries.map((e: { actor: string }) => e.actor)).toEqual([c.actor, 'partner']);
  });
});
