import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../support/databases.js';
import { accountBody, startApp, userBody, type AppFixture } from './app-fixture.js';

describe.each(dialects)('resources API on %s: create, read, update, delete, list', (dialect) => {
  let f: AppFixture;
  let accountId: string;
  beforeAll(async () => {
    f = await startApp(dialect);
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/account',
      payload: accountBody(),
    });
    accountId = res.json().id;
  });
  afterAll(() => f.close());

  it('creates with 201, the representation and ETag "1"', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      payload: userBody(accountId, 'ann'),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const body = res.json();
    expect(body).toMatchObject({
      kind: 'user',
      account_id: accountId,
      generation: 1,
      deletion_requested_at: null,
    });
    expect(body.spec).toEqual(userBody(accountId, 'ann'));
    expect(body.status).toMatchObject({ applied_generation: 0, external_id: null, observed: null });
    expect(body.status.conditions.map((c: { type: string }) => c.type)).toEqual([
      'Synced',
      'Ready',
    ]);
  });

  it('reads what it created, with its ETag; a missing id is 404 problem+json', async () => {
    const created = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(accountId, 'bea'),
      })
    ).json();
    const res = await f.app.inject({ method: 'GET', url: `/v1/resources/user/${created.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toEqual(created);
    const status = await f.app.inject({
      method: 'GET',
      url: `/v1/resources/user/${created.id}/status`,
    });
    expect(status.json()).not.toHaveProperty('spec');
    expect(status.json().status).toEqual(created.status);
    const missing = await f.app.inject({
      method: 'GET',
      url: '/v1/resources/user/user_00000000000000000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().code).toBe('not_found');
  });

  it('a read of the wrong kind finds nothing', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: `/v1/resources/sub_account/${accountId}`,
    });
    expect(res.statusCode).toBe(404);
  });

  it('replaces with PUT: generation 2, ETag "2", queued again', async () => {
    const created = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(accountId, 'cyd'),
      })
    ).json();
    const res = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${created.id}`,
      payload: userBody(accountId, 'cyd', { display_name: 'Cyd' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json().spec.display_name).toBe('Cyd');
    expect(res.json().status.conditions[0]).toMatchObject({
      type: 'Synced',
      status: 'False',
      reason: 'Pending',
    });
  });

  it('deletes with 202: deletion requested, the row stays until the platform is clean', async () => {
    const created = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(accountId, 'dee'),
      })
    ).json();
    const res = await f.app.inject({ method: 'DELETE', url: `/v1/resources/user/${created.id}` });
    expect(res.statusCode).toBe(202);
    expect(res.json().deletion_requested_at).not.toBeNull();
    const read = await f.app.inject({ method: 'GET', url: `/v1/resources/user/${created.id}` });
    expect(read.json().deletion_requested_at).toBe(res.json().deletion_requested_at);
    const put = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${created.id}`,
      payload: userBody(accountId, 'dee'),
    });
    expect(put.statusCode).toBe(409);
    expect(put.json().code).toBe('conflict');
  });

  it('lists one kind, and every kind of an account tree', async () => {
    const sub = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/sub_account',
        payload: { account_id: accountId, name: 'Branch' },
      })
    ).json();
    await f.app.inject({
      method: 'POST',
      url: '/v1/resources/user',
      payload: userBody(sub.id, 'sub-user'),
    });
    const users = (
      await f.app.inject({ method: 'GET', url: `/v1/resources/user?account_id=${accountId}` })
    ).json();
    expect(users.items.every((r: { kind: string }) => r.kind === 'user')).toBe(true);
    expect(users.items.map((r: { spec: { login: string } }) => r.spec.login)).toContain('sub-user');
    const subTree = (
      await f.app.inject({ method: 'GET', url: `/v1/resources?account_id=${sub.id}` })
    ).json();
    expect(subTree.items.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'sub_account',
      'user',
    ]);
    expect(subTree.next_cursor).toBeNull();
    const unknown = await f.app.inject({
      method: 'GET',
      url: '/v1/resources?account_id=account_nope',
    });
    expect(unknown.statusCode).toBe(404);
  });
});
