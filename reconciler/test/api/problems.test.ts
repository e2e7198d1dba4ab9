import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startApp, userBody, type AppFixture } from './app-fixture.js';

describe('bad input: problem+json naming field and rule, nothing stored', () => {
  let f: AppFixture;
  let accountId: string;
  beforeAll(async () => {
    f = await startApp('postgres', { bodyLimit: 4096 });
    accountId = (
      await f.app.inject({ method: 'POST', url: '/v1/resources/account', payload: accountBody() })
    ).json().id;
  });
  afterAll(() => f.close());

  const rowCount = async () =>
    (await f.app.inject({ method: 'GET', url: '/v1/resources?limit=1000' })).json().items.length;

  it.each([
    {
      why: 'a required attribute is missing',
      body: () => ({ account_id: accountId, name: 'N', login: 'nomail' }),
      field: 'email',
      rule: 'required',
    },
    {
      why: 'computed attributes cannot be set',
      body: () => ({ ...userBody(accountId, 'ro1'), id: 'user_x' }),
      field: 'id',
      rule: 'readOnly',
    },
    {
      why: 'unknown attributes are refused, not dropped',
      body: () => ({ ...userBody(accountId, 'un1'), colour: 'red' }),
      field: 'colour',
      rule: 'additionalProperties',
    },
    {
      why: 'a malformed value names its format',
      body: () => userBody(accountId, 'fm1', { email: 'not-an-email' }),
      field: 'email',
      rule: 'format',
    },
    {
      why: 'a reference to an account that does not exist',
      body: () => userBody('account_00000000000000000000000000', 'ref1'),
      field: 'account_id',
      rule: 'reference',
    },
  ])('422 when $why', async ({ body, field, rule }) => {
    const before = await rowCount();
    const res = await f.app.inject({ method: 'POST', url: '/v1/resources/user', payload: body() });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem).toMatchObject({
      status: 422,
      code: 'validation_failed',
      title: expect.any(String),
      type: expect.stringMatching(/^https:/),
    });
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(problem.detail).toContain(field);
    expect(await rowCount()).toBe(before);
  });

  it('a bad PUT leaves the stored resource as it was', async () => {
    const created = (
      await f.app.inject({
        method: 'POST',
        url: '/v1/resources/user',
        payload: userBody(accountId, 'keep'),
      })
    ).json();
    const res = await f.app.inject({
      method: 'PUT',
      url: `/v1/resources/user/${created.id}`,
      payload: { ...userBody(accountId, 'keep'), email: 'broken' },
    });
    expect(res.statusCode).toBe(422);
    const after = (
      await f.app.inject({ method: 'GET', url: `/v1/resources/user/${created.id}` })
    ).json();
    expect(after).toEqual(created);
  });

  it.each([
    {
      why: 'unknown route',
      method: 'GET',
      url: '/v1/nothing',
      status: 404,
      code: 'route_not_found',
    },
    {
      why: 'unknown kind',
      method: 'POST',
      url: '/v1/resources/gizmo',
      payload: {},
      status: 404,
      code: 'unknown_kind',
    },
    {
      why: 'data sources are read-only',
      method: 'POST',
      url: '/v1/resources/limits',
      payload: {},
      status: 405,
      code: 'method_not_allowed',
    },
    {
      why: 'body is not JSON',
      method: 'POST',
      url: '/v1/resources/account',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
      status: 400,
      code: 'malformed_json',
    },
    {
      why: 'body is not JSON at all',
      method: 'POST',
      url: '/v1/resources/account',
      payload: 'name=x',
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      why: 'body too large',
      method: 'POST',
      url: '/v1/resources/account',
      payload: { name: 'x'.repeat(5000), email: 'a@b.co' },
      status: 413,
      code: 'body_too_large',
    },
    {
      why: 'query out of range',
      method: 'GET',
      url: '/v1/resources/user?limit=0',
      status: 422,
      code: 'validation_failed',
    },
    {
      why: 'unknown query parameter',
      method: 'GET',
      url: '/v1/resources/user?colour=red',
      status: 422,
      code: 'validation_failed',
    },
    {
      why: 'a cursor the API never issued',
      method: 'GET',
      url: '/v1/resources/user?cursor=zzz',
      status: 422,
      code: 'validation_failed',
    },
    {
      why: 'malformed If-Match',
      method: 'DELETE',
      url: '/v1/resources/user/user_x',
      headers: { 'if-match': 'yesterday' },
      status: 400,
      code: 'bad_request',
    },
    {
      why: 'malformed Idempotency-Key',
      method: 'DELETE',
      url: '/v1/resources/user/user_x',
      headers: { 'idempotency-key': 'a b' },
      status: 400,
      code: 'bad_request',
    },
  ])('$why: $status $code', async ({ method, url, payload, headers, status, code }) => {
    const res = await f.app.inject({ method: method as 'GET', url, payload, headers });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status,
      code,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
  });
});
