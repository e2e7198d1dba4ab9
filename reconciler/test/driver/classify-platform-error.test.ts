import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  classifyResponse,
  retryAfterMs,
} from '../../src/driver/classify-platform-error.js';

const headers = (h: Record<string, string | undefined> = {}) =>
  new Headers(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
const body = (field?: string, rule?: string) => ({
  error: { code: 'x', message: 'the platform said no', field, rule },
});

describe('classifyResponse', () => {
  it.each([
    {
      why: 'throttled: retry after the delay the platform asks for',
      status: 429,
      h: { 'retry-after': '7' },
      reason: 'retryable',
      retryAfterMs: 7000,
    },
    {
      why: "throttled without Retry-After: retry with the caller's own backoff",
      status: 429,
      h: {},
      reason: 'retryable',
      retryAfterMs: undefined,
    },
    {
      why: 'a server fault is transient',
      status: 503,
      h: {},
      reason: 'retryable',
      retryAfterMs: undefined,
    },
    {
      why: 'a 500 is transient too (the platform may recover)',
      status: 500,
      h: {},
      reason: 'retryable',
      retryAfterMs: undefined,
    },
    {
      why: 'a request timeout can be repeated',
      status: 408,
      h: {},
      reason: 'retryable',
      retryAfterMs: undefined,
    },
    {
      why: 'a state conflict (limit reached) waits for a change',
      status: 409,
      h: {},
      reason: 'conflict',
      field: 'seat_limit',
      rule: 'seat_limit',
    },
    {
      why: 'a rule violation names the field and rule',
      status: 422,
      h: {},
      reason: 'invalid',
      field: 'login',
      rule: 'pattern',
    },
    {
      why: 'a malformed request is invalid, never retried',
      status: 400,
      h: {},
      reason: 'invalid',
      field: 'cursor',
      rule: 'opaque_cursor',
    },
    { why: 'refused credentials are forbidden', status: 401, h: {}, reason: 'forbidden' },
    {
      why: 'a staff-only action is forbidden, with its field',
      status: 403,
      h: {},
      reason: 'forbidden',
      field: 'kind',
      rule: 'staff_only',
    },
    { why: 'a missing object is not_found', status: 404, h: {}, reason: 'not_found' },
    {
      why: 'an unexpected 4xx cannot succeed by repeating it',
      status: 413,
      h: {},
      reason: 'invalid',
    },
  ])('$status: $why', ({ status, h, reason, retryAfterMs: after, field, rule }) => {
    const err = classifyResponse(status, body(field, rule), headers(h), 'create user user_1');
    expect(err.reason).toBe(reason);
    expect(err.details.status).toBe(status);
    expect(err.details.retryAfterMs).toBe(after);
    expect(err.details.field).toBe(field);
    expect(err.message).toBe('create user user_1: the platform said no');
  });

  it('falls back to the status when the body is not a vendor error', () => {
    const err = classifyResponse(502, '<html>bad gateway</html>', headers(), 'observe user u-1');
    expect(err).toMatchObject({ reason: 'retryable', message: 'observe user u-1: HTTP 502' });
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-22T08:00:00Z');
  it.each([
    { why: 'delta-seconds', header: '120', want: 120_000 },
    { why: 'an HTTP date in the future', header: 'Sun, 22 Nov 2026 08:00:30 GMT', want: 30_000 },
    { why: 'an HTTP date in the past means now', header: 'Sun, 22 Nov 2026 07:00:00 GMT', want: 0 },
    { why: 'absent', header: null, want: undefined },
    { why: 'garbage is ignored rather than trusted', header: 'soon', want: undefined },
  ])('$why', ({ header, want }) => {
    expect(retryAfterMs(header, now)).toBe(want);
  });
});

describe('classifyNetworkError', () => {
  it.each([
    {
      why: 'a refused connection is retryable',
      err: Object.assign(new TypeError('fetch failed'), {
        cause: new Error('connect ECONNREFUSED'),
      }),
      text: 'no answer (connect ECONNREFUSED)',
    },
    {
      why: 'a timeout is retryable',
      err: Object.assign(new Error('t'), { name: 'TimeoutError' }),
      text: 'timed out',
    },
  ])('$why', ({ err, text }) => {
    const e = classifyNetworkError(err, 'list user');
    expect(e.reason).toBe('retryable');
    expect(e.message).toBe(`list user: ${text}`);
  });
});
