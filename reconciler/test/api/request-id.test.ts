import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdFor } from '../../src/api/request-id.js';
import { startApp, type AppFixture } from './app-fixture.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it.each([
    { reason: 'no header: a random UUID', header: undefined, want: uuid },
    {
      reason: 'a well-formed id is kept, so a trace spans client and daemon',
      header: 'tf-apply.42:Ab_9',
      want: /^tf-apply\.42:Ab_9$/,
    },
    { reason: '128 characters is the bound kept', header: 'a'.repeat(128), want: /^a{128}$/ },
    { reason: 'longer is junk, replaced', header: 'a'.repeat(129), want: uuid },
    { reason: 'empty is no id', header: '', want: uuid },
    { reason: 'a line break would forge log lines', header: 'ok\nlevel=error', want: uuid },
    { reason: 'spaces and quotes are not an id', header: 'x" or "1', want: uuid },
    { reason: 'ids joined by a proxy are not one id', header: 'a, b', want: uuid },
    { reason: 'non-ASCII is refused', header: 'réq', want: uuid },
  ])('$reason', ({ header, want }) => {
    const headers = header === undefined ? {} : { 'x-request-id': header };
    expect(requestIdFor({ headers })).toMatch(want);
  });

  it('never hands out the same id twice (no per-process counter)', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => requestIdFor({ headers: {} })));
    expect(ids.size).toBe(1000);
  });
});

describe('request ids in the API', () => {
  let f: AppFixture;
  beforeAll(async () => {
    f = await startApp('pglite');
  });
  afterAll(() => f?.close());

  it('answers with a fresh random X-Request-Id on each call, errors included', async () => {
    const answers = await Promise.all([
      f.app.inject({ method: 'GET', url: '/healthz' }),
      f.app.inject({ method: 'GET', url: '/healthz' }),
      f.app.inject({ method: 'GET', url: '/nowhere' }),
    ]);
    const ids = answers.map((res) => res.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(uuid);
    expect(new Set(ids).size).toBe(3);
  });

  it('echoes a well-formed incoming id and replaces a malformed one', async () => {
    const kept = await f.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'ci-run-7.step-3' },
    });
    expect(kept.headers['x-request-id']).toBe('ci-run-7.step-3');
    const replaced = await f.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'x'.repeat(500) },
    });
    expect(replaced.headers['x-request-id']).toMatch(uuid);
  });
});
