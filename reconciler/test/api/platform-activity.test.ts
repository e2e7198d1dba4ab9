// GET /v1/accounts/{id}/platform-activity against the real emulator over HTTP: the platform's
// own log with its filters and paging, managed objects named by their telform id.
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { seedResources } from '../drift/seed-resources.js';
import { startApp, type AppFixture } from './app-fixture.js';

let emu: RunningEmulator;
let f: AppFixture;
let ext: string;
let platformUser: string;

const platform = async (method: string, path: string, body?: unknown, headers = {}) => {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${emu.partnerKey}`,
      'content-type': 'application/json',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string };
};
const get = (query: string, id = 'account_pa') =>
  f.app.inject({ method: 'GET', url: `/v1/accounts/${id}/platform-activity${query}` });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: null });
  f = await startApp('postgres', {
    driver: new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey }),
  });
  ext = (await platform('POST', '/v1/accounts', { name: 'Acme', email: 'a@acme.example' })).id;
  platformUser = (
    await platform('POST', `/v1/accounts/${ext}/users`, {
      name: 'Olga',
      login: 'olga',
      email: 'olga@acme.example',
    })
  ).id;
  await seedResources(f.database.db, [
    {
      id: 'account_pa',
      kind: 'account',
      accountId: null,
      rootAccountId: 'account_pa',
      spec: { name: 'Acme', email: 'a@acme.example' },
      externalId: ext,
    },
    {
      id: 'user_pa_olga',
      kind: 'user',
      accountId: 'account_pa',
      rootAccountId: 'account_pa',
      spec: { account_id: 'account_pa', name: 'Olga', login: 'olga', email: 'olga@acme.example' },
      externalId: platformUser,
    },
  ]);
  const dana = { 'x-console-user': 'dana@acme.example' };
  for (const event of ['user.login', '2fa.disable', 'api_key.create', 'team.create'])
    await platform('POST', `/_emulator/console/accounts/${ext}/portal-events`, { event }, dana);
  await platform('POST', `/_emulator/console/accounts/${ext}/portal-events`, {
    event: 'user.login',
    outcome: 'failure',
  });
  await platform(
    'PATCH',
    `/_emulator/console/accounts/${ext}/users/${platformUser}`,
    {
      display_name: 'Changed in console',
    },
    dana,
  );
});
afterAll(async () => {
  await f?.close();
  await emu?.close();
});

describe('platform activity', () => {
  it('shows console sign-ins, 2FA, API-key and team events, newest first', async () => {
    const r = await get('?actor=console:dana');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().entries.map((e: { event: string }) => e.event)).toEqual([
      'user.update',
      'team.create',
      'api_key.create',
      '2fa.disable',
      'user.login',
    ]);
  });

  it('names the telform resource of a managed object', async () => {
    const [entry] = r(await get('?event=user.update'));
    expect(entry).toMatchObject({
      resource: `user/${platformUser}`,
      resource_id: 'user_pa_olga',
      actor: 'console:dana@acme.example',
      outcome: 'success',
      type: 'write',
    });
    expect(Date.parse(entry.at)).not.toBeNaN();
  });

  it.each([
    { why: 'outcome picks the failed sign-in', q: '?outcome=failure', events: ['user.login'] },
    {
      why: 'events take several names',
      q: '?event=2fa.disable,team.create',
      events: ['team.create', '2fa.disable'],
    },
    { why: 'a resource prefix', q: '?resource=team/', events: ['team.create'] },
    { why: 'a time range after everything is empty', q: '?from=2999-01-01T00:00:00Z', events: [] },
  ])('filters as the Activity tab does: $why', async ({ q, events }) => {
    const entries = r(await get(`${q}${q.includes('?') ? '&' : '?'}type=write`));
    expect(entries.map((e) => e.event)).toEqual(events);
  });

  it('pages with a cursor, every entry once', async () => {
    const all = r(await get('?type=write&limit=1000')).map((e) => e.id);
    const paged: string[] = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const page = (await get(`?type=write&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      paged.push(...page.entries.map((e: { id: string }) => e.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    { why: 'a time that is no time', q: '?from=yesterday', field: 'from' },
    { why: 'an outcome the log does not know', q: '?outcome=ok', field: 'outcome' },
    { why: 'a limit past the page bound', q: '?limit=5000', field: 'limit' },
    { why: 'an unknown filter is not silently ignored', q: '?colour=red', field: 'colour' },
    {
      why: 'a range whose to is before its from matches nothing, so it is a mistake',
      q: '?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      field: 'after_from',
    },
  ])('refuses bad input with a 422 naming the field: $why', async ({ q, field }) => {
    const res = await get(q);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json().errors ?? res.json())).toContain(field);
  });

  it('answers 404 for an account it does not know, as every read does', async () => {
    expect((await get('', 'account_nobody')).statusCode).toBe(404);
  });
});

function r(res: { statusCode: number; body: string; json(): { entries: Entry[] } }): Entry[] {
  expect(res.statusCode, res.body).toBe(200);
  return res.json().entries;
}
interface Entry {
  id: string;
  event: string;
  at: string;
}
