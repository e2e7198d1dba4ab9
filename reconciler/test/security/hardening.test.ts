import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { defaultRateLimit, hardeningPlugin, rateLimitKey } from '../../src/api/hardening-plugin.js';
import { jsonDepth } from '../../src/api/json-depth.js';
import { buildSecurityApp, type SecurityApp } from './support/security-app.js';

let s: SecurityApp;
let admin: string;
let other: string;

beforeAll(async () => {
  s = await buildSecurityApp('postgres', {
    bodyLimit: 4096,
    maxDepth: 8,
    rateLimit: { max: 5, timeWindowMs: 60_000 },
  });
  admin = (await s.tokens.create({ name: 'admin', role: 'admin', createdBy: 'test' })).token;
  other = (await s.tokens.create({ name: 'other', role: 'admin', createdBy: 'test' })).token;
});
afterAll(() => s?.close());

const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

describe('hardening plugin', () => {
  it('sets security headers on allowed, refused and unknown-route answers alike', async () => {
    const answers = await Promise.all([
      s.app.inject({ method: 'GET', url: '/healthz' }),
      s.app.inject({ method: 'POST', url: '/v1/probe/status-read' }),
      s.app.inject({ method: 'GET', url: '/nowhere' }),
    ]);
    for (const res of answers) {
      expect(res.headers, `${res.statusCode}`).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringMatching(/max-age=/),
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  const refused = [
    {
      reason: 'a body over the size limit',
      payload: JSON.stringify({ a: 'x'.repeat(5000) }),
      status: 413,
      code: 'body_too_large',
    },
    {
      reason: 'nesting past the depth limit',
      payload: JSON.stringify(nested(9)),
      status: 400,
      code: 'bad_request',
    },
  ];
  it.each(refused)(
    'refuses $reason with problem+json, audited',
    async ({ payload, status, code }) => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/v1/probe/resources-write',
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().code).toBe(code);
      const { rows } = await sql<{
        outcome: string;
        change: string;
      }>`select outcome, change from audit_events order by seq desc limit 1`.execute(s.database.db);
      expect(rows[0]?.outcome).toBe('failure');
    },
  );

  it('accepts nesting at the limit', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/probe/jobs-run',
      headers: { authorization: `Bearer ${other}` },
      payload: nested(8) as object,
    });
    expect(res.statusCode).toBe(200);
  });

  it('rate-limits per token: 429 problem+json with Retry-After, other tokens unaffected', async () => {
    const call = (token: string) =>
      s.app.inject({
        method: 'POST',
        url: '/v1/probe/status-read',
        headers: { authorization: `Bearer ${token}` },
      });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await call(admin)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await call(admin);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const { rows } = await sql<{
      outcome: string;
    }>`select outcome from audit_events order by seq desc limit 1`.execute(s.database.db);
    expect(rows[0]?.outcome).toBe('denied');
    expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('default rate limit', () => {
  it('fits a large terraform apply: 6000 requests a minute per token', async () => {
    // No database needed: the plugin and one action route show the limit in their headers.
    const app = Fastify({ logger: false });
    await app.register(hardeningPlugin);
    app.get('/v1/probe', { config: { action: 'status:read' } }, async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/v1/probe' });
    await app.close();
    expect(defaultRateLimit).toEqual({ max: 6000, timeWindowMs: 60_000 });
    expect(res.headers['x-ratelimit-limit']).toBe('6000');
  });
});

describe('rateLimitKey', () => {
  const req = (authorization?: string) =>
    ({ headers: authorization ? { authorization } : {}, ip: '10.0.0.7', raw: {} }) as never;
  it.each([
    {
      reason: 'a token-shaped bearer gets its own bucket, keyed by hash',
      auth: `Bearer tf_${'a'.repeat(43)}`,
      want: /^t:[0-9a-f]{64}$/,
    },
    { reason: 'no header counts against the address', auth: undefined, want: /^ip:10\.0\.0\.7$/ },
    {
      reason: 'random garbage counts against the address, not a fresh bucket',
      auth: 'Bearer x1',
      want: /^ip:/,
    },
  ])('$reason', ({ auth, want }) => {
    expect(rateLimitKey(req(auth))).toMatch(want);
  });
});

describe('jsonDepth', () => {
  it.each([
    { value: 1, want: 0 },
    { value: {}, want: 1 },
    { value: [[], { a: [1] }], want: 3 },
  ])('$value has depth $want', ({ value, want }) => {
    expect(jsonDepth(value)).toBe(want);
  });

  it('measures a 100 000-level value without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(jsonDepth(deep, 50)).toBe(51);
  });
});
