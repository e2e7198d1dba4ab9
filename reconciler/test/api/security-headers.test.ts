import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../src/api/security-headers.js';

describe('securityHeaders', () => {
  const headers = securityHeaders();

  it.each([
    { name: 'content-security-policy', want: "default-src 'none';frame-ancestors 'none'" },
    { name: 'cross-origin-resource-policy', want: 'same-origin' },
    { name: 'referrer-policy', want: 'no-referrer' },
    { name: 'strict-transport-security', want: 'max-age=31536000; includeSubDomains' },
    { name: 'x-content-type-options', want: 'nosniff' },
    { name: 'x-frame-options', want: 'SAMEORIGIN' },
    // Not helmet's: answers carry tenant data and fresh tokens.
    { name: 'cache-control', want: 'no-store' },
  ])('holds helmet’s $name for a JSON API', ({ name, want }) => {
    expect(headers[name]).toBe(want);
  });

  it('is computed once and cannot be changed by a request that shares it', () => {
    expect(Object.isFrozen(headers)).toBe(true);
    expect(Object.keys(headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(headers['x-powered-by']).toBeUndefined();
  });
});
