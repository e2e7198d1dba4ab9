// The person behind a change the reconciler applies (CPaaS 002 Seats/Logs "Done by: who
// performed the action"; contact-center 000 Deletion history "User: who deleted it"): every
// write records its token's name as the row's changed_by, and the reconcile calls the platform
// as that person (X-Telform-Actor), so the platform's histories name alice, not telform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';

type Json = Record<string, unknown>;
let d: LoggedDaemon;
const tokens: Record<string, string> = {};
const call = async (method: string, path: string, body?: unknown, as?: string) => {
  const res = await fetch(`${d.daemon.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${as ? tokens[as]! : d.daemon.adminToken!}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json, text };
};
const appliedBy = async (as: string, kind: string, attrs: Json) => {
  const r = await call('POST', `/v1/resources/${kind}`, attrs, as);
  expect(r.status, r.text).toBe(201);
  const id = String(r.body.id);
  const read = await call('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=60000`);
  expect((read.body.status as Json).external_id, read.text).toBeTruthy();
  return id;
};
const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};
const changedBy = async (id: string) =>
  (
    await d.daemon.database.db
      .selectFrom('resources')
      .select('changed_by')
      .where('id', '=', id)
      .executeTakeFirst()
  )?.changed_by;

let account: string;
beforeAll(async () => {
  d = await startLoggedDaemon();
  for (const name of ['alice', 'bob']) {
    const t = await call('POST', '/v1/tokens', { name, role: 'operator' });
    expect(t.status, t.text).toBe(201);
    tokens[name] = String(t.body.token);
  }
  account = await appliedBy('alice', 'account', { name: 'Acme', email: 'admin@acme.example' });
}, 120_000);
afterAll(() => d?.dispose());

describe('the actor behind reconcile-applied changes', () => {
  it('a seat created by alice shows alice as "done by" in the seat log', async () => {
    const user = await appliedBy('alice', 'user', {
      account_id: account,
      name: 'Wanda',
      login: 'wanda',
      email: 'wanda@acme.example',
    });
    await appliedBy('alice', 'seat', { account_id: account, user_id: user });
    const log = await call('GET', `/v1/accounts/${account}/seat-log`);
    expect(log.status, log.text).toBe(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ event: 'seat_assigned', impacted_user_id: user, done_by: 'alice' }),
    ]);
  });

  it('a user created by alice and deleted by bob: bob in the deletion history, each write recorded', async () => {
    const user = await appliedBy('alice', 'user', {
      account_id: account,
      name: 'Xavier',
      login: 'xavier',
      email: 'xavier@acme.example',
    });
    expect(await changedBy(user)).toBe('alice');
    // Bob asks for the deletion; the daemon applies it later, in bob's name.
    const gone = await call('DELETE', `/v1/resources/user/${user}`, undefined, 'bob');
    expect(gone.status, gone.text).toBe(202);
    const found = await until(
      async () =>
        ((await call('GET', `/v1/accounts/${account}/deletion-history?search=user`)).body.entries ??
          []) as Json[],
      (e) => e.length > 0,
    );
    expect(found).toEqual([expect.objectContaining({ entity: 'user', deleted_by: 'bob' })]);
  });

  it('an update by bob of what alice made records bob; his seat removal is his in the seat log', async () => {
    const user = await appliedBy('alice', 'user', {
      account_id: account,
      name: 'Yara',
      login: 'yara',
      email: 'yara@acme.example',
    });
    const seat = await appliedBy('alice', 'seat', { account_id: account, user_id: user });
    const put = await call(
      'PUT',
      `/v1/resources/user/${user}`,
      { account_id: account, name: 'Yara B.', login: 'yara', email: 'yara@acme.example' },
      'bob',
    );
    expect(put.status, put.text).toBeLessThan(300);
    expect(await changedBy(user)).toBe('bob');
    expect(await changedBy(seat)).toBe('alice');
    const gone = await call('DELETE', `/v1/resources/seat/${seat}`, undefined, 'bob');
    expect(gone.status, gone.text).toBe(202);
    const removed = await until(
      async () =>
        ((await call('GET', `/v1/accounts/${account}/seat-log?search=removed`)).body.entries ??
          []) as Json[],
      (e) => e.length > 0,
    );
    expect(removed).toEqual([expect.objectContaining({ impacted_user_id: user, done_by: 'bob' })]);
  });
});
