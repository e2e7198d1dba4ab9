// GET /v1/drift/history: open drift at the end of each recent UTC day, from the records'
// first-seen and resolved times, scoped like the drift report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { exampleBody } from '../security/support/tenant-fixtures.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

const all = { scopeAccountId: null };
const DAY = 86_400_000;
let c: ConsoleApp;
const ids = { A: '', A1: '', B: '' };
const tok: Record<string, string> = {};
let startOfToday: number;

beforeAll(async () => {
  c = await startConsoleApp();
  for (const name of ['A', 'B'] as const)
    ids[name] = (await c.store.create('account', getKind('account').example, all)).id;
  ids.A1 = (await c.store.create('sub_account', exampleBody('sub_account', ids.A, {}), all)).id;
  const now = new Date();
  startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const record = (n: number, account: string, firstSeen: number, resolved: number | null) => ({
    resource_id: `user_h${n}`,
    kind: 'user',
    account_id: account,
    root_account_id: account === ids.B ? ids.B : ids.A,
    fields: '[]',
    action: 'reported' as const,
    state: resolved === null ? ('open' as const) : ('resolved' as const),
    first_seen_at: new Date(firstSeen),
    last_seen_at: new Date(resolved ?? firstSeen),
    resolved_at: resolved === null ? null : new Date(resolved),
  });
  await c.database.db
    .insertInto('drift_records')
    .values([
      // Open for ten days: in every point.
      record(1, ids.A, startOfToday - 10 * DAY + 3_600_000, null),
      // Seen in the middle of day -5, resolved in the middle of day -3.
      record(2, ids.A1, startOfToday - 4.5 * DAY, startOfToday - 2.5 * DAY),
      // Another partner's, since yesterday.
      record(3, ids.B, startOfToday - DAY + 3_600_000, null),
      // Today, before now: only in the last point.
      record(4, ids.A, startOfToday + (now.getTime() - startOfToday) / 2, null),
    ])
    .execute();
  tok.auditor = await c.token('auditor');
  tok.auditorA = await c.token('auditor', ids.A);
  tok.auditorA1 = await c.token('auditor', ids.A1);
  tok.operator = await c.token('operator');
}, 60_000);
afterAll(() => c?.close());

const history = (token: string, query: string) =>
  c.app.inject({ url: `/v1/drift/history${query}`, headers: { authorization: `Bearer ${token}` } });

describe('GET /v1/drift/history', () => {
  // Points: the ends of the last six days (midnights -5d .. today 00:00), then now.
  const cases = [
    {
      reason: 'everything an unscoped auditor sees',
      who: 'auditor',
      q: '',
      want: [1, 2, 2, 1, 1, 2, 3],
    },
    { reason: 'an operator reads drift too', who: 'operator', q: '', want: [1, 2, 2, 1, 1, 2, 3] },
    {
      reason: "a partner's auditor: its tree only",
      who: 'auditorA',
      q: '',
      want: [1, 2, 2, 1, 1, 1, 2],
    },
    {
      reason: "a tenant's auditor: its sub-account only",
      who: 'auditorA1',
      q: '',
      want: [0, 1, 1, 0, 0, 0, 0],
    },
    {
      reason: 'an account takes in its sub-accounts',
      who: 'auditor',
      q: 'A',
      want: [1, 2, 2, 1, 1, 1, 2],
    },
    { reason: 'a sub-account alone', who: 'auditor', q: 'A1', want: [0, 1, 1, 0, 0, 0, 0] },
    {
      reason: "the partner's auditor narrowing to its tenant",
      who: 'auditorA',
      q: 'A1',
      want: [0, 1, 1, 0, 0, 0, 0],
    },
  ] as const;
  it.each(cases)('$reason', async ({ who, q, want }) => {
    const res = await history(tok[who]!, `?days=7${q ? `&account_id=${ids[q]}` : ''}`);
    expect(res.statusCode).toBe(200);
    const points = (res.json() as { points: { at: string; open: number }[] }).points;
    expect(points.map((p) => p.open)).toEqual(want);
    expect(points.slice(0, 6).map((p) => p.at)).toEqual(
      [5, 4, 3, 2, 1, 0].map((d) => new Date(startOfToday - d * DAY).toISOString()),
    );
    expect(Math.abs(Date.parse(points[6]!.at) - Date.now())).toBeLessThan(60_000);
  });

  it('answers 30 points by default and one for days=1 (now)', async () => {
    expect((await history(tok.auditor!, '')).json().points).toHaveLength(30);
    const one = (await history(tok.auditor!, '?days=1')).json().points;
    expect(one.map((p: { open: number }) => p.open)).toEqual([3]);
  });

  it("answers 404 for an account outside the token's scope, naming nothing of it", async () => {
    const res = await history(tok.auditorA1!, `?account_id=${ids.B}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });

  const bad = [
    { reason: 'no days', q: '?days=0', field: /days/ },
    { reason: 'more than a year and a day', q: '?days=367', field: /days/ },
    { reason: 'days not a number', q: '?days=week', field: /days/ },
    { reason: 'an empty account', q: '?account_id=', field: /account_id/ },
    { reason: 'an unknown parameter', q: '?kind=user', field: /kind/ },
  ];
  it.each(bad)('refuses $reason with 422 naming the field', async ({ q, field }) => {
    const res = await history(tok.auditor!, q);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(field);
  });
});
