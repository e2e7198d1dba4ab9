import { describe, expect, it } from 'vitest';
import { logRedaction } from '../../src/secrets/log-redaction.js';
import { REDACTED, redactSecrets } from '../../src/secrets/redact-secrets.js';

describe('redactSecrets', () => {
  const cases = [
    {
      reason: 'catalogue paths are removed even under innocent key names',
      value: { auth: { login: 'bob', pin: '1234' } },
      paths: ['auth.pin'],
      want: { auth: { login: 'bob', pin: REDACTED } },
    },
    {
      reason: 'array item paths are removed in every item',
      value: {
        keys: [
          { name: 'a', value: 'k1' },
          { name: 'b', value: 'k2' },
        ],
      },
      paths: ['keys[].value'],
      want: {
        keys: [
          { name: 'a', value: REDACTED },
          { name: 'b', value: REDACTED },
        ],
      },
    },
    {
      reason: 'credential-like key names are removed without a schema (defence in depth)',
      value: {
        password: 'p',
        provisioning_token: 't',
        nested: [{ api_key: 'k', AdminPassword: 'x' }],
      },
      paths: [],
      want: {
        password: REDACTED,
        provisioning_token: REDACTED,
        nested: [{ api_key: REDACTED, AdminPassword: REDACTED }],
      },
    },
    {
      reason: 'null says "cleared" and reveals nothing',
      value: { password: null },
      paths: [],
      want: { password: null },
    },
    {
      reason: 'secrets_set names secrets without holding any',
      value: { secrets_set: ['password'] },
      paths: [],
      want: { secrets_set: ['password'] },
    },
  ];
  it.each(cases)('$reason', ({ value, paths, want }) => {
    expect(redactSecrets(value, paths)).toEqual(want);
  });

  it('does not modify its input', () => {
    const value = { password: 'p' };
    redactSecrets(value);
    expect(value.password).toBe('p');
  });
});

describe('logRedaction', () => {
  it('masks the authorization header and token fields', () => {
    const { paths } = logRedaction();
    expect(paths).toEqual(
      expect.arrayContaining(['req.headers.authorization', 'token', '*.password']),
    );
  });
});

describe('redactSecrets under wrappers', () => {
  it.each([
    {
      reason: 'a request body wraps the attributes',
      value: { request: { authentication: { pin: '1' } } },
      want: { request: { authentication: { pin: REDACTED } } },
    },
    {
      reason: 'an observation wraps computed values',
      value: { observed: { url: 'https://p/x?t=1' } },
      want: { observed: { url: REDACTED } },
    },
    {
      reason: 'a suffix must match whole segments',
      value: { xauthentication: { pin: '1' } },
      want: { xauthentication: { pin: '1' } },
    },
  ])('$reason', ({ value, want }) => {
    expect(redactSecrets(value, ['authentication.pin', 'url'])).toEqual(want);
  });
});
