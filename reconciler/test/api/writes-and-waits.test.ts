import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startApp, userBody, type AppFixture } from './app-fixture.js';

describe('ETag/If-Match, Idempotency-Key, pagination, long-poll, secrets', () => {
  let f: AppFixture;
  let accountId: string;
  beforeAll(async () => {
    f = await startApp();
    accountId = (
      await f.app.inject({ method: 'POST', url: '/v1/resources/account', payload: accountBody() })
    ).json().id;
  });
  afterAll(() => f.close());

  const createUser = async (login: string, extra: Record<string, unknown> = {}) =>
    (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(accountId, login, extra),
      })
    ).json();

  // Plays the engine: the platform now holds this generation (or refused it).
  const engineRecords = async (
    id: string,
    synced: { status: 'True' | 'False'; reason: string },
  ) => {
    const conditions = [
      {
        type: 'Synced',
        ...synced,
        message: '',
        field: null,
        last_transition_time: new Date().toISOString(),
      },
    ];
    await f.database.db
      .updateTable('resources')
      .set({
        applied_generation: sql`generation`,
        conditions: JSON.stringify(conditions),
        external_id: 'ext-1',
      })
      .where('id', '=', id)
      .execute();
  };

  it.each([
    { why: 'the current generation matches', ifMatch: '"1"', status: 200 },
    { why: 'a weak ETag of the current generation matches', ifMatch: 'W/"1"', status: 200 },
    { why: 'a wildcard matches anything', ifMatch: '*', status: 200 },
    { why: 'a stale generation is refused', ifMatch: '"7"', status: 412 },
  ])('PUT with If-Match: $why -> $status', async ({ ifMatch, status }) => {
    const created = await createUser(`im${status}${ifMatch.length}`);
    const res = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${created.id}`,
      headers: { 'if-match': ifMatch },
      payload: { ...created.spec, display_name: 'Changed' },
    });
    expect(res.statusCode).toBe(status);
    const after = (
      await f.app.inject({ method: 'GET', url: `/v1/resources/user/${created.id}` })
    ).json();
    expect(after.generation).toBe(status === 200 ? 2 : 1);
    if (status === 412) expect(res.json().code).toBe('precondition_failed');
  });

  it('DELETE with a stale If-Match changes nothing', async () => {
    const created = await createUser('delim');
    const res = await f.app.inject({
      method: 'DELETE',
      url: `/v1/resources/user/${created.id}`,
      headers: { 'if-match': '"2"' },
    });
    expect(res.statusCode).toBe(412);
    const after = (
      await f.app.inject({ method: 'GET', url: `/v1/resources/user/${created.id}` })
    ).json();
    expect(after.deletion_requested_at).toBeNull();
  });

  it('Idempotency-Key: a replay answers the first response; another body under the key is refused', async () => {
    const send = (login: string) =>
      f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        headers: { 'idempotency-key': 'create-idem-1' },
        payload: userBody(accountId, login),
      });
    const first = await send('idem');
    const replay = await send('idem');
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const reused = await send('other');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency_key_reused');
    const list = (
      await f.app.inject({
        method: 'GET',
        url: `/v1/resources/user?account_id=${accountId}&limit=1000`,
      })
    ).json();
    expect(
      list.items.filter((r: { spec: { login: string } }) =>
        ['idem', 'other'].includes(r.spec.login),
      ),
    ).toHaveLength(1);
  });

  it('Idempotency-Key: concurrent retries of one create make one resource', async () => {
    const send = () =>
      f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        headers: { 'idempotency-key': 'race-1' },
        payload: userBody(accountId, 'racer'),
      });
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
  });

  it('pagination: following next_cursor while others insert sees every earlier row exactly once', async () => {
    const tree = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/account',
        payload: accountBody('Paging'),
      })
    ).json().id;
    const originals = new Set<string>([tree]);
    for (let i = 0; i < 12; i++) {
      const r = await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(tree, `pg${i}`),
      });
      originals.add(r.json().id);
    }
    const seen: string[] = [];
    let url: string | null = `/v1/resources?account_id=${tree}&limit=5`;
    while (url) {
      const [page]: Array<{
        json(): { items: Array<{ id: string }>; next_cursor: string | null };
      }> = await Promise.all([
        f.app.inject({ method: 'GET', url }),
        f.app.inject({
          method: 'POST',
          url: '/v1/resources/user',
          payload: userBody(tree, `late${seen.length}`),
        }),
      ]);
      const body = page!.json();
      seen.push(...body.items.map((r) => r.id));
      url = body.next_cursor
        ? `/v1/resources?account_id=${tree}&limit=5&cursor=${body.next_cursor}`
        : null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...originals].every((id) => seen.includes(id))).toBe(true);
  });

  it.each([
    {
      why: 'returns as soon as the engine applies it',
      outcome: { status: 'True', reason: 'Applied' } as const,
      settled: true,
    },
    {
      why: 'returns at once on a platform refusal',
      outcome: { status: 'False', reason: 'PlatformRejected' } as const,
      settled: true,
    },
    {
      why: 'keeps waiting through retryable failures until the timeout',
      outcome: { status: 'False', reason: 'PlatformUnavailable' } as const,
      settled: false,
    },
  ])('long-poll ?wait=applied $why', async ({ outcome, settled }) => {
    const created = await createUser(`lp-${outcome.reason.toLowerCase()}`);
    const started = Date.now();
    const waiting = f.app.inject({
      method: 'GET',
      url: `/v1/resources/user/${created.id}?wait=applied&timeout_ms=1500`,
    });
    setTimeout(() => void engineRecords(created.id, outcome), 200);
    const res = await waiting;
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json().status.conditions[0].reason).toBe(outcome.reason);
    if (settled) expect(elapsed).toBeLessThan(1400);
    else expect(elapsed).toBeGreaterThanOrEqual(1400);
  });

  it('long-poll on a deletion returns 404 once the engine removed the row', async () => {
    const created = await createUser('lp-delete');
    await f.app.inject({ method: 'DELETE', url: `/v1/resources/user/${created.id}` });
    const waiting = f.app.inject({
      method: 'GET',
      url: `/v1/resources/user/${created.id}?wait=applied&timeout_ms=3000`,
    });
    setTimeout(
      () => void f.database.db.deleteFrom('resources').where('id', '=', created.id).execute(),
      200,
    );
    expect((await waiting).statusCode).toBe(404);
  });

  it('secrets are accepted and never answered, by any route', async () => {
    const secret = 'Pa55-word-never-shown';
    const bodies: string[] = [];
    const create = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      headers: { 'idempotency-key': 'secret-1' },
      payload: userBody(accountId, 'secretive', { password: secret }),
    });
    const replay = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      headers: { 'idempotency-key': 'secret-1' },
      payload: userBody(accountId, 'secretive', { password: secret }),
    });
    const id = create.json().id;
    expect(create.json().secrets_set).toEqual(['password']);
    const kept = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${id}`,
      payload: userBody(accountId, 'secretive', { display_name: 'S' }),
    });
    expect(kept.json().secrets_set).toEqual(['password']);
    const bad = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${id}`,
      payload: userBody(accountId, 'secretive', { password: secret, email: 'bad' }),
    });
    const cleared = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${id}`,
      payload: userBody(accountId, 'secretive', { display_name: 'S', password: null }),
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().secrets_set).toEqual([]);
    for (const res of [create, replay, kept, bad, cleared]) bodies.push(res.body);
    bodies.push((await f.app.inject({ method: 'GET', url: `/v1/resources/user/${id}` })).body);
    bodies.push((await f.app.inject({ method: 'GET', url: `/v1/resources?limit=1000` })).body);
    bodies.push((await f.app.inject({ method: 'GET', url: '/metrics' })).body);
    for (const body of bodies) expect(body).not.toContain(secret);
  });
});
