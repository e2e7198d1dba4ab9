// Every per-key memory the edge keeps is bounded, whatever keys a flood brings: random client
// addresses and random well-formed tokens must not grow the daemon's memory without end. The
// token cache's refusals are bounded too (token-cache.test.ts, "memory is bounded").
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hardeningPlugin, rateLimitKey } from '../../src/api/hardening-plugin.js';
import { AddressBudget } from '../../src/auth/address-budget.js';

const randomToken = () => `tf_${randomBytes(32).toString('base64url')}`;
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('per-key memory at the edge is bounded', () => {
  it.each([
    { addresses: 1_000, cap: 100, why: 'ten times the cap: the oldest windows go' },
    { addresses: 100, cap: 100, why: 'exactly the cap: nothing is dropped' },
  ])('the address budget keeps at most its cap ($why)', ({ addresses, cap }) => {
    const budget = new AddressBudget({ max: 2, timeWindowMs: 60_000 }, cap);
    for (let i = 0; i < addresses; i++) budget.take(address(i));
    expect(budget.size).toBe(Math.min(addresses, cap));
    // The newest address is still counted: its third request in the window is refused.
    const last = address(addresses - 1);
    budget.take(last);
    expect(budget.take(last).ok).toBe(false);
  });

  it('made-up tokens share their address bucket; a good token gets its own', () => {
    const good = randomToken();
    const goodToken = (token: string) => token === good;
    const req = (token: string) =>
      ({ headers: { authorization: `Bearer ${token}` }, ip: '10.0.0.9', raw: {} }) as never;
    const keys = new Set(
      Array.from({ length: 1_000 }, () => rateLimitKey(req(randomToken()), goodToken)),
    );
    expect([...keys]).toEqual(['ip:10.0.0.9']);
    expect(rateLimitKey(req(good), goodToken)).toMatch(/^t:[0-9a-f]{64}$/);
  });

  it('the rate limiter keeps at most rateLimitKeys buckets: the least recently used go', async () => {
    const app = Fastify({ logger: false });
    await app.register(hardeningPlugin, {
      rateLimit: { max: 1, timeWindowMs: 60_000 },
      rateLimitKeys: 3,
    });
    app.get('/v1/probe', { config: { action: 'status:read' } }, async () => ({ ok: true }));
    const from = (remoteAddress: string) =>
      app.inject({ method: 'GET', url: '/v1/probe', remoteAddress }).then((r) => r.statusCode);
    try {
      expect(await from('10.0.0.1')).toBe(200);
      // Its bucket is spent: a second request in the window is refused.
      expect(await from('10.0.0.1')).toBe(429);
      // Three other addresses fill the cap; the first one's bucket is dropped and starts over.
      for (const other of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) expect(await from(other)).toBe(200);
      expect(await from('10.0.0.1')).toBe(200);
      // A bucket still held keeps counting.
      expect(await from('10.0.0.4')).toBe(429);
    } finally {
      await app.close();
    }
  });
});
