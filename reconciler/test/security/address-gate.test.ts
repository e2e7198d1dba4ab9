// The address gate on a real daemon: once an address has been refused in its window, its further
// API requests are answered before routing (cheap, so a flood leaves the thread to health and good
// tokens), with the same problem as the auth plugin's refusal; the first refusal still goes the
// full way and is audited; cached good tokens and public routes pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';

let daemon: RunningDaemon;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telform-gate-'));
  daemon = await startDaemon({
    dataDir: join(dir, 'data'),
    driver: new MemoryPlatformDriver(),
    listen: { host: '127.0.0.1', port: 0 },
    logger: false,
    jobs: false,
    hardening: { addressRateLimit: { max: 3, timeWindowMs: 60_000 } },
  });
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (path: string, token?: string) => {
  const res = await fetch(daemon.url + path, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
};

/** The requests the gate answered so far, from /metrics. */
async function gated(): Promise<number> {
  const text = (await call('/metrics')).body;
  const line = text.split('\n').find((l) => l.includes('route="(address gate)"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('address gate', () => {
  it('answers an address refused again before routing, and lets good tokens and health pass', async () => {
    const admin = daemon.adminToken!;
    // Cached now: from here on it spends no address budget.
    expect((await call('/v1/resources', admin)).status).toBe(200);
    const random = 'tf_' + 'A'.repeat(43);
    const steps = [
      { why: 'the budget of 3 is spent by unverified tokens', token: random, status: 401 },
      { why: 'second', token: random, status: 401 },
      { why: 'third', token: random, status: 401 },
      { why: 'the first refusal goes the full way (audited)', token: random, status: 429, gate: 0 },
      { why: 'a refusal again is the gate’s', token: random, status: 429, gate: 1 },
      { why: 'no token at all is refused by the gate too', token: undefined, status: 429, gate: 2 },
      {
        why: 'a path of an unknown kind under /v1/',
        path: '/v1/resources/nope',
        status: 429,
        gate: 3,
      },
      {
        why: 'a cached good token is never refused for its address',
        token: admin,
        status: 200,
        gate: 3,
      },
      { why: 'health is public and never gated', path: '/healthz', status: 200, gate: 3 },
    ];
    for (const step of steps) {
      const res = await call(step.path ?? '/v1/resources', step.token);
      expect(res.status, `${step.why}: ${res.body}`).toBe(step.status);
      if (step.status === 429) {
        // The same problem whichever side answers it.
        expect(JSON.parse(res.body)).toMatchObject({
          code: 'rate_limited',
          status: 429,
          detail: expect.stringMatching(
            /^at most 3 requests without a valid token per client address in 60 s; retry in \d+ s$/,
          ),
        });
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('x-request-id')).toMatch(/.+/);
      }
      if (step.gate !== undefined) expect(await gated(), step.why).toBe(step.gate);
    }
    // The three 401s and the first 429 are audited; the gate's refusals are only counted.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit_events where outcome = 'denied'`.execute(
      daemon.database.db,
    );
    expect(rows[0]!.n).toBe(4);
  });
});
