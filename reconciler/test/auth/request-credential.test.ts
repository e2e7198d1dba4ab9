import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { allActions } from '../../src/auth/permissions.js';
import type { Action } from '../../src/auth/principal.js';
import { credentialOf, type Credential } from '../../src/api/request-credential.js';

const TOKEN = `tf_${'a'.repeat(43)}`;
const OTHER = `tf_${'b'.repeat(43)}`;

const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as FastifyRequest;

/** The console's read actions: the only ones a cookie may carry. */
const reads: readonly Action[] = [
  'resources:read',
  'status:read',
  'platform:read',
  'drift:read',
  'audit:read',
  'jobs:read',
];

describe('credentialOf', () => {
  const cases: {
    reason: string;
    method: string;
    headers: Record<string, string>;
    action?: Action;
    want: Credential | { kind: 'refused'; detail: RegExp };
  }[] = [
    {
      reason: 'the bearer header is the API client credential',
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      action: 'resources:write',
      want: { kind: 'token', token: TOKEN, via: 'bearer' },
    },
    {
      reason: 'the scheme is case-insensitive, as RFC 7235 says',
      method: 'GET',
      headers: { authorization: `bearer ${TOKEN}` },
      want: { kind: 'token', token: TOKEN, via: 'bearer' },
    },
    {
      reason:
        'the header wins over the cookie: a script client signed in to the console acts as itself',
      method: 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: `telform_session=${OTHER}` },
      want: { kind: 'token', token: TOKEN, via: 'bearer' },
    },
    {
      reason: 'a malformed header is refused, never replaced by the cookie beside it',
      method: 'GET',
      headers: { authorization: `Basic ${TOKEN}`, cookie: `telform_session=${OTHER}` },
      want: { kind: 'refused', detail: /Authorization: Bearer/ },
    },
    {
      reason: 'a bearer header with two tokens is malformed',
      method: 'GET',
      headers: { authorization: `Bearer ${TOKEN} ${OTHER}` },
      want: { kind: 'refused', detail: /Authorization: Bearer/ },
    },
    {
      reason: 'the cookie stands in for the header on a GET read',
      method: 'GET',
      headers: { cookie: `theme=dark; telform_session=${TOKEN}; lang=en` },
      want: { kind: 'token', token: TOKEN, via: 'cookie' },
    },
    {
      reason: 'HEAD is as safe as GET',
      method: 'HEAD',
      headers: { cookie: `telform_session=${TOKEN}` },
      want: { kind: 'token', token: TOKEN, via: 'cookie' },
    },
    {
      reason: 'a cookie on POST is refused even for a read action (no cross-site side effects)',
      method: 'POST',
      headers: { cookie: `telform_session=${TOKEN}` },
      want: { kind: 'refused', detail: /only for GET on read routes/ },
    },
    {
      reason: 'a cookie on DELETE is refused',
      method: 'DELETE',
      headers: { cookie: `telform_session=${TOKEN}` },
      want: { kind: 'refused', detail: /only for GET on read routes/ },
    },
    {
      reason: 'no credential at all says how to send one',
      method: 'GET',
      headers: {},
      want: { kind: 'refused', detail: /Authorization: Bearer/ },
    },
    {
      reason: 'an empty session cookie (what sign-out leaves) is no credential',
      method: 'GET',
      headers: { cookie: 'telform_session=' },
      want: { kind: 'refused', detail: /Authorization: Bearer/ },
    },
    {
      reason: 'other cookies only are no credential',
      method: 'GET',
      headers: { cookie: 'telform_session_old=x; session=y' },
      want: { kind: 'refused', detail: /Authorization: Bearer/ },
    },
    {
      reason: 'a garbled cookie header does not throw; the token is then checked as any other',
      method: 'GET',
      headers: { cookie: ';;=;telform_session=%E0%A4%A; =x' },
      want: { kind: 'token', token: '%E0%A4%A', via: 'cookie' },
    },
  ];
  it.each(cases)('$reason', ({ method, headers, action = 'audit:read', want }) => {
    const got = credentialOf(request(method, headers), action);
    if (want.kind === 'refused' && want.detail instanceof RegExp) {
      expect(got.kind).toBe('refused');
      expect(got.kind === 'refused' && got.detail).toMatch(want.detail);
    } else expect(got).toEqual(want);
  });

  // A cookie on GET may carry only reads: a route that changes things on GET (none today)
  // or a read the console must not reach (tokens) stays behind the header.
  it.each(allActions.map((action) => ({ action, read: reads.includes(action) })))(
    'cookie on GET for $action: accepted only when it is a read ($read)',
    ({ action, read }) => {
      const got = credentialOf(request('GET', { cookie: `telform_session=${TOKEN}` }), action);
      expect(got.kind).toBe(read ? 'token' : 'refused');
    },
  );
});
