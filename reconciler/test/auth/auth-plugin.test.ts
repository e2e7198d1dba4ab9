import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSecurityApp, type SecurityApp } from '../security/support/security-app.js';

let s: SecurityApp;
const tok: Record<string, string> = {};

beforeAll(async () => {
  s = await buildSecurityApp('postgres', { rateLimit: { max: 1000, timeWindowMs: 60_000 } });
  for (const role of ['admin', 'operator', 'auditor'] as const) {
    tok[role] = (await s.tokens.create({ name: `${role}-1`, role, createdBy: 'test' })).token;
  }
  tok.expired = (
    await s.tokens.create({
      name: 'soon',
      role: 'admin',
      expiresAt: new Date(Date.now() + 200),
      createdBy: 'test',
    })
  ).token;
  tok.revoked = (await s.tokens.create({ name: 'gone', role: 'admin', createdBy: 'test' })).token;
  await s.tokens.revoke('gone');
  await new Promise((r) => setTimeout(r, 250));
});
afterAll(() => s?.close());

async function lastEvent() {
  const { rows } = await sql<
    Record<string, unknown>
  >`select * from audit_events order by seq desc limit 1`.execute(s.database.db);
  return rows[0]!;
}

describe('auth plugin', () => {
  const refused = [
    { reason: 'no header', headers: {}, detail: /Authorization: Bearer/ },
    {
      reason: 'another scheme',
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
      detail: /Authorization: Bearer/,
    },
    {
      reason: 'not a telform token',
      headers: { authorization: 'Bearer abc' },
      detail: /not a telform token/,
    },
    {
      reason: 'an unknown token',
      headers: { authorization: `Bearer tf_${'x'.repeat(43)}` },
      detail: /not valid/,
    },
    {
      reason: 'an expired token',
      headers: () => ({ authorization: `Bearer ${tok.expired}` }),
      detail: /expired/,
    },
    {
      reason: 'a revoked token',
      headers: () => ({ authorization: `Bearer ${tok.revoked}` }),
      detail: /revoked/,
    },
  ];
  it.each(refused)(
    '401 problem+json for $reason, audited as denied',
    async ({ headers, detail }) => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/v1/probe/status-read',
        headers: typeof headers === 'function' ? headers() : headers,
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json()).toMatchObject({
        code: 'unauthorized',
        detail: expect.stringMatching(detail),
      });
      expect(await lastEvent()).toMatchObject({
        event: 'probe.status_read',
        outcome: 'denied',
        actor: 'anonymous',
        request_id: res.headers['x-request-id'] ?? expect.any(String),
      });
    },
  );

  it('guards the HEAD twin of every GET route too', async () => {
    const res = await s.app.inject({ method: 'HEAD', url: '/v1/audit' });
    expect(res.statusCode).toBe(401);
  });

  it('403 for a role that lacks the action, audited as denied under the token name', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/probe/resources-write',
      headers: { authorization: `Bearer ${tok.auditor}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'forbidden',
      detail: 'role auditor may not resources:write',
    });
    expect(await lastEvent()).toMatchObject({
      outcome: 'denied',
      actor: 'auditor-1',
      access: 'write',
    });
  });

  it('lets an allowed call through and audits it with the change minus secrets', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/probe/resources-write',
      headers: { authorization: `Bearer ${tok.operator}` },
      payload: {
        account_id: 'account_x',
        authentication: { login: 'l', password: 'S3cr3t-value' },
      },
    });
    expect(res.statusCode).toBe(200);
    const event = await lastEvent();
    expect(event).toMatchObject({
      outcome: 'success',
      actor: 'operator-1',
      account_id: 'account_x',
      ip: '127.0.0.1',
    });
    expect(JSON.parse(String(event.change))).toEqual({
      request: { account_id: 'account_x', authentication: { login: 'l', password: '[redacted]' } },
    });
    expect(JSON.stringify(event)).not.toContain('S3cr3t-value');
  });

  it('leaves public routes open and unaudited', async () => {
    const before = await lastEvent();
    const res = await s.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect((await lastEvent()).seq).toBe(before.seq);
  });

  it('refuses a token scoped to an account that does not exist, naming scope_account_id', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { authorization: `Bearer ${tok.admin}` },
      payload: { name: 'typo', role: 'operator', scope_account_id: 'account_nosuch' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'scope_account_id', rule: 'reference' }),
    ]);
    const list = await s.app.inject({
      method: 'GET',
      url: '/v1/tokens',
      headers: { authorization: `Bearer ${tok.admin}` },
    });
    expect(list.json().items.map((t: { name: string }) => t.name)).not.toContain('typo');
  });

  it('tokens created over the API are shown once and then work', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: { authorization: `Bearer ${tok.admin}` },
      payload: { name: 'ci', role: 'operator', expires_in: '30d' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.token).toMatch(/^tf_/);
    const list = await s.app.inject({
      method: 'GET',
      url: '/v1/tokens',
      headers: { authorization: `Bearer ${tok.admin}` },
    });
    expect(list.body).not.toContain(created.token);
    expect(list.json().items.map((t: { name: string }) => t.name)).toContain('ci');
    const event = await s.app.inject({
      method: 'POST',
      url: '/v1/probe/jobs-run',
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(event.statusCode).toBe(200);
    const audit = await s.app.inject({
      method: 'GET',
      url: '/v1/audit?event=token.create',
      headers: { authorization: `Bearer ${tok.admin}` },
    });
    expect(audit.json().items[0]).toMatchObject({
      event: 'token.create',
      resource: `token/${created.id}`,
      actor: 'admin-1',
    });
    expect(audit.body).not.toContain(created.token);
    const revoke = await s.app.inject({
      method: 'DELETE',
      url: `/v1/tokens/${created.id}`,
      headers: { authorization: `Bearer ${tok.admin}` },
    });
    expect(revoke.json().revoked_at).not.toBeNull();
    const after = await s.app.inject({
      method: 'POST',
      url: '/v1/probe/jobs-run',
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(after.statusCode).toBe(401);
  });
});
