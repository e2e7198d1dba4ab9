import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSecurityApp, type SecurityApp } from '../security/support/security-app.js';

let s: SecurityApp;
let auditor: string;

beforeAll(async () => {
  s = await buildSecurityApp('postgres');
  auditor = (await s.tokens.create({ name: 'auditor', role: 'auditor', createdBy: 'test' })).token;
  const events = [
    {
      event: 'user.create',
      access: 'write',
      resource: 'user/user_1',
      ip: '10.1.2.3',
      outcome: 'success',
    },
    {
      event: 'user.read',
      access: 'read',
      resource: 'user/user_1',
      ip: '10.1.2.4',
      outcome: 'denied',
    },
    {
      event: 'webhook.update',
      access: 'write',
      resource: 'webhook/w_1',
      ip: '192.168.0.9',
      outcome: 'failure',
    },
  ] as const;
  for (const e of events) await s.audit.record({ ...e, actor: 'ci-bot' });
});
afterAll(() => s?.close());

const get = (query: string, headers: Record<string, string> = {}) =>
  s.app.inject({
    method: 'GET',
    url: `/v1/audit${query}`,
    headers: { authorization: `Bearer ${auditor}`, ...headers },
  });

describe('/v1/audit', () => {
  const filters = [
    {
      reason: 'event list with a prefix',
      query: '?event=user.*',
      want: ['user.read', 'user.create'],
    },
    { reason: 'reads only', query: '?access=read&actor=ci', want: ['user.read'] },
    { reason: 'resource prefix', query: '?resource=webhook/', want: ['webhook.update'] },
    { reason: 'partial IP', query: '?ip=10.1.2', want: ['user.read', 'user.create'] },
    { reason: 'outcome', query: '?outcome=failure', want: ['webhook.update'] },
    {
      reason: 'oldest first',
      query: '?actor=ci-bot&order=asc',
      want: ['user.create', 'user.read', 'webhook.update'],
    },
  ];
  it.each(filters)('filters: $reason', async ({ query, want }) => {
    const res = await get(query);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((e: { event: string }) => e.event)).toEqual(want);
  });

  it('pages with next_cursor', async () => {
    const first = (await get('?actor=ci-bot&limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(`?actor=ci-bot&limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.items.map((e: { event: string }) => e.event)).toEqual(['user.create']);
    expect(second.next_cursor).toBeNull();
  });

  it('exports NDJSON on Accept: application/x-ndjson', async () => {
    const res = await get('?actor=ci-bot', { accept: 'application/x-ndjson' });
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; hash: string });
    expect(lines.map((l) => l.event)).toEqual(['user.create', 'user.read', 'webhook.update']);
    expect(lines[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  const refusals = [
    { reason: 'a forged cursor', query: '?cursor=abc', field: 'cursor' },
    { reason: 'an unknown outcome', query: '?outcome=maybe', field: 'outcome' },
    { reason: 'a malformed time', query: '?from=yesterday', field: 'from' },
    { reason: 'a limit past 1000', query: '?limit=5000', field: 'limit' },
    { reason: 'an unknown parameter (strict schemas)', query: '?actr=ci', field: 'actr' },
    {
      reason: 'a range ending before it starts (it would answer an empty, misleading page)',
      query: '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      field: 'to',
    },
  ];
  it.each(refusals)('refuses $reason, naming the field', async ({ query, field }) => {
    const res = await get(query);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('verify reports an intact chain', async () => {
    const res = await s.app.inject({
      method: 'GET',
      url: '/v1/audit/verify',
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(res.json()).toMatchObject({ ok: true });
  });
});
