// GET /v1/accounts: every account and sub-account a token may see, with drift, unmanaged
// objects, last scan and the platform's seat usage under the 85/95/97% rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { exampleBody } from '../security/support/tenant-fixtures.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

const all = { scopeAccountId: null };
let c: ConsoleApp;
const ids = { A: '', A1: '', A2: '', B: '' };
const tok: Record<string, string> = {};

beforeAll(async () => {
  c = await startConsoleApp();
  for (const name of ['A', 'B'] as const)
    ids[name] = (
      await c.store.create(
        'account',
        { ...getKind('account').example, name: `Partner ${name}` },
        all,
      )
    ).id;
  for (const [sub, limit] of [
    ['A1', 10],
    ['A2', null],
  ] as const) {
    const body: Record<string, unknown> = {
      ...exampleBody('sub_account', ids.A, {}),
      name: `Tenant ${sub}`,
    };
    if (limit === null) delete body.seat_limit;
    else body.seat_limit = limit;
    ids[sub] = (await c.store.create('sub_account', body, all)).id;
  }
  for (const [name, ext] of [
    ['A', 'pa'],
    ['A1', 'pa1'],
    ['B', 'pb'],
  ] as const)
    await c.onPlatform(ids[name], ext);
  // A at 87.5% of 40 purchased: past 85% (up to 50 seats). A1 at 9 of its limit of 10 (90%),
  // though only 9/40 of the seats purchased. B at 150 of 200: 75%, under 97% (above 100 seats).
  c.seats.set('pa', { purchased: 40, assigned: 35, seat_limit: null, remaining: 5 });
  c.seats.set('pa1', { purchased: 40, assigned: 9, seat_limit: 10 });
  c.seats.set('pb', { purchased: 200, assigned: 150, seat_limit: null, remaining: 50 });
  tok.auditor = await c.token('auditor');
  tok.operator = await c.token('operator');
  tok.auditorA = await c.token('auditor', ids.A);
  tok.auditorA1 = await c.token('auditor', ids.A1);
  tok.auditorB = await c.token('auditor', ids.B);
}, 60_000);
afterAll(() => c?.close());

type Row = { id: string; kind: string; parent_id: string | null; seats: unknown };
const accounts = async (token: string, query = '') => {
  const res = await c.app.inject({
    url: `/v1/accounts${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return res;
};
const rowsOf = async (token: string) =>
  (((await accounts(token)).json() as { items: Row[] }).items ?? []).map((r) => r.id).sort();

describe('GET /v1/accounts', () => {
  const scopes = [
    { reason: 'an unscoped auditor sees every tree', who: 'auditor', see: ['A', 'A1', 'A2', 'B'] },
    { reason: 'an operator may read status too', who: 'operator', see: ['A', 'A1', 'A2', 'B'] },
    {
      reason: "a partner's auditor sees its account and sub-accounts",
      who: 'auditorA',
      see: ['A', 'A1', 'A2'],
    },
    {
      reason: "a tenant's auditor sees only its sub-account, not its parent",
      who: 'auditorA1',
      see: ['A1'],
    },
    { reason: 'another partner sees none of A', who: 'auditorB', see: ['B'] },
  ] as const;
  it.each(scopes)('$reason', async ({ who, see }) => {
    expect(await rowsOf(tok[who]!)).toEqual(see.map((k) => ids[k]).sort());
    // No other tree's id anywhere in the answer; a sub-account's own parent is named (as the
    // rest of the API names its ancestors), but never listed as a row.
    const body = (await accounts(tok[who]!)).body;
    const ancestors: string[] = who === 'auditorA1' ? [ids.A] : [];
    for (const k of Object.keys(ids) as (keyof typeof ids)[])
      if (!(see as readonly string[]).includes(k) && !ancestors.includes(ids[k]))
        expect(body).not.toContain(ids[k]);
  });

  it("shows an auditor each account's seats against its limit, with the warning rule", async () => {
    const items = ((await accounts(tok.auditorA!)).json() as { items: Row[] }).items;
    const by = Object.fromEntries(items.map((r) => [r.id, r]));
    expect(by[ids.A]).toMatchObject({ kind: 'account', parent_id: null });
    expect(by[ids.A]!.seats).toEqual({
      purchased: 40,
      assigned: 35,
      remaining: 5,
      seat_limit: null,
      capacity: 40,
      usage_percent: 87.5,
      warning_threshold_percent: 85,
      warning_active: true,
    });
    // Against the sub-account's limit, not the partner's purchase; remaining derived from it.
    expect(by[ids.A1]).toMatchObject({ kind: 'sub_account', parent_id: ids.A });
    expect(by[ids.A1]!.seats).toMatchObject({
      capacity: 10,
      usage_percent: 90,
      remaining: 1,
      warning_active: true,
    });
    // Not on the platform yet: no seats, not an error.
    expect(by[ids.A2]!.seats).toBeNull();
    const b = ((await accounts(tok.auditorB!)).json() as { items: Row[] }).items[0]!;
    expect(b.seats).toMatchObject({
      usage_percent: 75,
      warning_threshold_percent: 97,
      warning_active: false,
    });
  });

  it("says the platform refused, never the platform's message", async () => {
    c.seats.set('pb', 'forbidden');
    try {
      const res = await accounts(tok.auditorB!);
      expect(res.statusCode).toBe(200);
      expect(res.json().items[0].seats).toEqual({ error: 'the platform answered forbidden' });
      expect(res.body).not.toContain('sk_live_secret');
    } finally {
      c.seats.set('pb', { purchased: 200, assigned: 150, seat_limit: null, remaining: 50 });
    }
  });

  it('pages by id with a stable cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await accounts(tok.auditor!, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json() as { items: Row[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(Object.values(ids).sort());
  });

  const bad = [
    { reason: 'limit over 200', query: '?limit=201', field: /limit/ },
    { reason: 'limit zero', query: '?limit=0', field: /limit/ },
    { reason: 'an unknown parameter', query: '?account=x', field: /account/ },
  ];
  it.each(bad)('refuses $reason with 422 naming the field', async ({ query, field }) => {
    const res = await accounts(tok.auditor!, query);
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json())).toMatch(field);
  });

  it('refuses a caller without a token', async () => {
    expect((await c.app.inject({ url: '/v1/accounts' })).statusCode).toBe(401);
  });
});
