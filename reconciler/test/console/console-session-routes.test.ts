// Console sign-in and sign-out over inject, on the API wired as the daemon wires it: the
// cookie's attributes, refused tokens, expiry, and what the cookie may and may not do.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionHeader, startConsoleApp, type ConsoleApp } from './support/console-app.js';

let c: ConsoleApp;
const tok: Record<string, string> = {};

beforeAll(async () => {
  c = await startConsoleApp();
  tok.auditor = await c.token('auditor');
  tok.admin = await c.token('admin');
  tok.expired = await c.token('auditor', undefined, new Date(Date.now() + 300));
  tok.revoked = (await c.tokens.create({ name: 'gone', role: 'auditor', createdBy: 'test' })).token;
  await c.tokens.revoke('gone');
  const deadline = Date.now() + 10_000;
  while ((await c.tokens.verify(tok.expired)).ok && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
}, 60_000);
afterAll(() => c?.close());

const signIn = (body: unknown) =>
  c.app.inject({ method: 'POST', url: '/ui/session', payload: body as object });

async function lastSignIn() {
  const { rows } = await sql<Record<string, unknown>>`
    select * from audit_events where event = 'console.sign_in' order by seq desc limit 1`.execute(
    c.database.db,
  );
  return rows[0]!;
}

describe('console sign-in', () => {
  it('keeps a valid token in an HttpOnly, SameSite=Strict, path-wide, 8-hour cookie', async () => {
    const res = await signIn({ token: tok.auditor });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'auditor-1',
      role: 'auditor',
      scope_account_id: null,
      actions: ['status:read', 'drift:read', 'audit:read'],
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^telform_session=${tok.auditor};`));
    for (const attr of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=28800'])
      expect(cookie).toContain(attr);
    // Plain http here (a local daemon); Secure would make the browser drop it.
    expect(cookie).not.toContain('Secure');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain(tok.auditor);
    const event = await lastSignIn();
    expect(event).toMatchObject({ actor: 'auditor-1', outcome: 'success', access: 'write' });
    expect(JSON.stringify(event)).not.toContain(tok.auditor);
  });

  const refused = [
    { reason: 'an unknown token', token: () => `tf_${'z'.repeat(43)}`, detail: /unknown/ },
    { reason: 'not a telform token', token: () => 'hunter2', detail: /malformed/ },
    { reason: 'an expired token', token: () => tok.expired!, detail: /expired/ },
    { reason: 'a revoked token', token: () => tok.revoked!, detail: /revoked/ },
  ];
  it.each(refused)('refuses $reason: 401, no cookie, audited as denied', async (r) => {
    const res = await signIn({ token: r.token() });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: 'unauthorized',
      detail: expect.stringMatching(r.detail),
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).not.toContain(r.token());
    const event = await lastSignIn();
    expect(event).toMatchObject({ actor: 'anonymous', outcome: 'denied' });
    expect(JSON.stringify(event)).not.toContain(r.token());
  });

  const badBodies = [
    { reason: 'no token', body: {}, field: /token/ },
    { reason: 'an empty token', body: { token: '' }, field: /token/ },
    { reason: 'a token too long to be one', body: { token: 'x'.repeat(257) }, field: /token/ },
    { reason: 'an unknown property', body: { token: 'x', remember: true }, field: /remember/ },
  ];
  it.each(badBodies)('answers 422 naming the field for $reason, sets nothing', async (b) => {
    const res = await signIn(b.body);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(b.field);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a form post (a cross-site form cannot sign anyone in)', async () => {
    const res = await c.app.inject({
      method: 'POST',
      url: '/ui/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${tok.auditor}`,
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('console session', () => {
  it('says who is signed in from the cookie', async () => {
    const res = await c.app.inject({ url: '/ui/session', headers: sessionHeader(tok.auditor!) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'auditor-1', role: 'auditor' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 401 without a cookie', async () => {
    const res = await c.app.inject({ url: '/ui/session' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ detail: 'not signed in' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    { reason: 'expired', token: () => tok.expired! },
    { reason: 'revoked', token: () => tok.revoked! },
  ])('drops a cookie whose token is $reason', async ({ reason, token }) => {
    const res = await c.app.inject({ url: '/ui/session', headers: sessionHeader(token()) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ detail: `the session's token is ${reason}` });
    expect(String(res.headers['set-cookie'])).toMatch(/^telform_session=;.*Max-Age=0/);
    const api = await c.app.inject({ url: '/v1/audit', headers: sessionHeader(token()) });
    expect(api.statusCode).toBe(401);
  });

  it('signs out by clearing the cookie', async () => {
    const res = await c.app.inject({ method: 'POST', url: '/ui/sign-out' });
    expect(res.statusCode).toBe(204);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^telform_session=;/);
    expect(cookie).toContain('Max-Age=0');
    expect(cookie).toContain('Expires=Thu, 01 Jan 1970');
    expect(cookie).toContain('HttpOnly');
  });
});

describe('what the session cookie may do', () => {
  // An admin's token in the cookie: the role would allow all of these with the header.
  const cases = [
    { reason: 'a GET read is what the console does', method: 'GET', url: '/v1/audit', want: 200 },
    { reason: 'the accounts overview', method: 'GET', url: '/v1/accounts', want: 200 },
    { reason: 'a delete', method: 'DELETE', url: '/v1/resources/account/account_x', want: 401 },
    {
      reason: 'a write with a body',
      method: 'POST',
      url: '/v1/resources/account',
      want: 401,
    },
    {
      reason: 'tokens are never reachable from the console',
      method: 'GET',
      url: '/v1/tokens',
      want: 401,
    },
  ] as const;
  it.each(cases)('$method $url: $want ($reason)', async ({ method, url, want }) => {
    const res = await c.app.inject({
      method,
      url,
      headers: sessionHeader(tok.admin!),
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    expect(res.statusCode).toBe(want);
    if (want === 401) expect(res.json().detail).toMatch(/cookie is accepted only for GET on read/);
  });
});
