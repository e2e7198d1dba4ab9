// Property test of the emulator's input gate (issue 13: JSON nested 2,000 deep overflowed a
// clone on the write routes): on every route the emulator documents, one poisoned path
// parameter, query value or body field is answered 400 naming the field and the rule, and no
// object or account record reaches the journal.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poisons, type Poison } from '../../schemas/test/support/input-poisons.js';
import { testEmulator, type TestEmulator } from './support/emulator-client.js';

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** fastify form: `/v1/accounts/:accountId/users`. */
  readonly url: string;
}

let t: TestEmulator;
let dataDir: string;
let accountId: string;
const routes: Route[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emulator-gate-'));
  t = await testEmulator({ dataDir });
  accountId = (await t.account()).id;
  const doc = t.emu.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      const upper = method.toUpperCase();
      if (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(upper))
        routes.push({ method: upper as Route['method'], url: path.replace(/\{(\w+)\}/g, ':$1') });
    }
  }
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Injection =
  | { where: 'param'; param: string; poison: Poison }
  | { where: 'query'; name: string; poison: Poison }
  | { where: 'body'; path: readonly string[]; poison: Poison };

const baseBody = () => ({ name: 'gate', email: 'gate@acme.example', enabled: true });

function injections(route: Route): fc.Arbitrary<Injection> {
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const name = fc.oneof(
    fc.constantFrom('limit', 'cursor', 'client_reference', 'since'),
    fc.stringMatching(/^[a-z_]{1,12}$/),
  );
  const options: fc.Arbitrary<Injection>[] = [
    fc
      .tuple(name, poisons('query'))
      .map(([n, poison]) => ({ where: 'query' as const, name: n, poison })),
  ];
  if (params.length > 0)
    options.push(
      fc
        .tuple(fc.constantFrom(...params), poisons('param'))
        .map(([param, poison]) => ({ where: 'param' as const, param, poison })),
    );
  if (route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH') {
    const path = fc.oneof(
      fc.constantFrom(...Object.keys(baseBody())).map((k) => [k]),
      fc.tuple(fc.constantFrom('attributes', 'name'), fc.stringMatching(/^[a-z]{1,8}$/)),
    );
    options.push(
      fc
        .tuple(path, poisons('body'))
        .map(([p, poison]) => ({ where: 'body' as const, path: p, poison })),
    );
  }
  return fc.oneof(...options);
}

function requestFor(route: Route, injection: Injection) {
  let url = route.url.replace(/:(\w+)/g, (_m, name: string) =>
    injection.where === 'param' && injection.param === name
      ? encodeURIComponent(injection.poison.text)
      : name === 'accountId'
        ? accountId
        : 'gate-probe',
  );
  let field: string;
  let payload: string | undefined;
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  if (injection.where === 'query') {
    url += `?${encodeURIComponent(injection.name)}=${encodeURIComponent(injection.poison.text)}`;
    field = injection.name;
  } else if (injection.where === 'param') {
    field = injection.param;
  } else {
    const body: Record<string, unknown> = baseBody();
    const [top, inner] = injection.path;
    body[top!] = inner === undefined ? '\u2603P\u2603' : { [inner]: '\u2603P\u2603' };
    payload = JSON.stringify(body).replace('"\u2603P\u2603"', injection.poison.json);
    field = injection.path.join('.');
  }
  if (payload === undefined && hasBody) payload = JSON.stringify(baseBody());
  return { url, payload, field };
}

/** Journal entries written since `offset`, by collection. */
function journalSince(offset: number): string[] {
  const text = readFileSync(join(dataDir, 'journal.jsonl'), 'utf8').slice(offset);
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { coll: string }).coll);
}

describe('the input gate on every emulator route', () => {
  it('finds the documented routes, writes among them', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.some((r) => r.method === 'PUT')).toBe(true);
  });

  it('answers 400 naming the field and the rule, and journals no object', async () => {
    const offset = statSync(join(dataDir, 'journal.jsonl')).size;
    let sent = 0;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(injections(route), async (injection) => {
          const { url, payload, field } = requestFor(route, injection);
          const res = await t.emu.app.inject({
            method: route.method,
            url,
            headers: {
              authorization: `Bearer ${t.emu.partnerKey}`,
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { payload } : {}),
          });
          sent += 1;
          const label = `${route.method} ${url.slice(0, 120)} ${injection.where} ${injection.poison.rule} -> ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBe(400);
          const error = res.json().error;
          expect(error.code, label).toBe('bad_request');
          expect(error.rule, label).toBe(injection.poison.rule);
          if (injection.poison.rule === 'maxDepth')
            expect(String(error.field).startsWith(field), label).toBe(true);
          else expect(error.field, label).toBe(field);
        }),
        { numRuns: 8 },
      );
    }
    expect(sent).toBeGreaterThan(150);
    const written = new Set(journalSince(offset));
    expect([...written].filter((c) => c === 'objects' || c === 'account_meta')).toEqual([]);
    // Still serving what it held.
    expect((await t.call('GET', `/v1/accounts/${accountId}`)).status).toBe(200);
  }, 600_000);
});
