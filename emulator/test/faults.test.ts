import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());
afterEach(async () => {
  await t.call('DELETE', '/_emulator/faults');
  await t.call('PUT', '/_emulator/rate-limit', { requests_per_second: null });
});

const fault = (body: Record<string, unknown>) => t.call('POST', '/_emulator/faults', body);

describe('fault injection', () => {
  it('throttle: 429 with Retry-After, only for the account and route it names', async () => {
    const a = await t.account();
    const b = await t.account();
    await fault({
      mode: 'throttle',
      retry_after_s: 7,
      account_id: a.id,
      route: '/v1/accounts/*/users',
    });
    const hit = await t.call('GET', `/v1/accounts/${a.id}/users`);
    expect(hit.status).toBe(429);
    expect(hit.headers.get('retry-after')).toBe('7');
    expect((await t.call('GET', `/v1/accounts/${a.id}/webhooks`)).status).toBe(200);
    expect((await t.call('GET', `/v1/accounts/${b.id}/users`)).status).toBe(200);
  });

  it('error: a rate of 5xx answers', async () => {
    const a = await t.account();
    await fault({ mode: 'error', status: 502, rate: 0.3, seed: 42, account_id: a.id });
    const statuses = [];
    for (let i = 0; i < 200; i++)
      statuses.push((await t.call('GET', `/v1/accounts/${a.id}/users`)).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(statuses.every((s) => s === 200 || s === 502)).toBe(true);
    expect(failed).toBeGreaterThan(35);
    expect(failed).toBeLessThan(85);
  });

  it('latency: requests are delayed', async () => {
    const a = await t.account();
    const started = Date.now();
    await t.call('GET', `/v1/accounts/${a.id}/users`);
    const base = Date.now() - started;
    await fault({ mode: 'latency', latency_ms: 300, account_id: a.id });
    const slowStart = Date.now();
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).status).toBe(200);
    expect(Date.now() - slowStart).toBeGreaterThanOrEqual(300);
    expect(base).toBeLessThan(300);
  });

  it('drop: the connection is closed without an answer, and nothing is written', async () => {
    const a = await t.account();
    await fault({ mode: 'drop', method: 'POST', account_id: a.id, count: 1 });
    await expect(
      t.call('POST', `/v1/accounts/${a.id}/users`, {
        name: 'n',
        login: 'dropped',
        email: 'd@acme.example',
      }),
    ).rejects.toThrow();
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).body.items).toEqual([]);
    expect(
      (
        await t.call('POST', `/v1/accounts/${a.id}/users`, {
          name: 'n',
          login: 'dropped',
          email: 'd@acme.example',
        })
      ).status,
    ).toBe(201);
  });

  it('count: a fault fires the given number of times, then stops', async () => {
    const a = await t.account();
    await fault({ mode: 'error', count: 2, account_id: a.id });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.call('GET', `/v1/accounts/${a.id}/users`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    const listed = await t.call('GET', '/_emulator/faults');
    expect(listed.body.faults[0].fired).toBe(2);
  });

  it('a fault can be removed by id', async () => {
    const a = await t.account();
    const f = await fault({ mode: 'error', account_id: a.id });
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).status).toBe(503);
    expect((await t.call('DELETE', `/_emulator/faults/${f.body.id}`)).status).toBe(204);
    expect((await t.call('GET', `/v1/accounts/${a.id}/users`)).status).toBe(200);
  });

  it.each([
    { why: 'an unknown mode', body: { mode: 'explode' }, field: 'mode' },
    { why: 'a rate above 1', body: { mode: 'error', rate: 1.5 }, field: 'rate' },
    { why: 'a non-5xx error status', body: { mode: 'error', status: 404 }, field: 'status' },
    { why: 'latency without its delay', body: { mode: 'latency' }, field: 'latency_ms' },
  ])('refuses $why, naming the field', async ({ body, field }) => {
    const r = await fault(body);
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe(field);
    expect((await t.call('GET', '/_emulator/faults')).body.faults).toEqual([]);
  });

  it('the fault API is closed to account keys', async () => {
    const a = await t.account();
    expect((await t.call('POST', '/_emulator/faults', { mode: 'error' }, a.apiKey)).status).toBe(
      403,
    );
  });
});

describe('request-rate limit per account', () => {
  it('refuses requests past the bucket with 429 and Retry-After, per account', async () => {
    const a = await t.account();
    const b = await t.account();
    await t.call('PUT', '/_emulator/rate-limit', { requests_per_second: 1, burst: 5 });
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await t.call('GET', `/v1/accounts/${a.id}/users`)).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await t.call('GET', `/v1/accounts/${a.id}/users`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/v1/accounts/${b.id}/users`)).status).toBe(200);
  });

  it('an account can get its own limit', async () => {
    const a = await t.account();
    const b = await t.account();
    await t.call('PUT', '/_emulator/rate-limit', {
      requests_per_second: 1,
      burst: 1,
      account_id: a.id,
    });
    const sa = [];
    const sb = [];
    for (let i = 0; i < 3; i++) {
      sa.push((await t.call('GET', `/v1/accounts/${a.id}/users`)).status);
      sb.push((await t.call('GET', `/v1/accounts/${b.id}/users`)).status);
    }
    expect(sa).toEqual([200, 429, 429]);
    expect(sb).toEqual([200, 200, 200]);
    await t.call('PUT', '/_emulator/rate-limit', { requests_per_second: null, account_id: a.id });
  });
});
