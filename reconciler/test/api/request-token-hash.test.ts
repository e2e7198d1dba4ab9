import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type * as TokenStoreModule from '../../src/auth/token-store.js';

// Counts the SHA-256s: the point of the module is one per request, whoever asks.
vi.mock('../../src/auth/token-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof TokenStoreModule>();
  return { ...real, hashToken: vi.fn(real.hashToken) };
});

const { hashToken } = await import('../../src/auth/token-store.js');
const { requestTokenHash } = await import('../../src/api/request-token-hash.js');

const token = (c: string) => `tf_${c.repeat(43)}`;
const request = () => ({}) as IncomingMessage;

describe('requestTokenHash', () => {
  it('hashes a request token once, however many parts of the request ask', () => {
    const raw = request();
    vi.mocked(hashToken).mockClear();
    const answers = [1, 2, 3].map(() => requestTokenHash(raw, token('a')));
    expect(new Set(answers)).toEqual(new Set([hashToken(token('a'))]));
    // The three asks above and the expectation's own call.
    expect(vi.mocked(hashToken)).toHaveBeenCalledTimes(2);
  });

  it.each([
    { why: 'another request with the same token hashes it for itself', same: false, other: 'a' },
    {
      why: 'another token on the same request is never given the first one’s hash',
      same: true,
      other: 'b',
    },
  ])('$why', ({ same, other }) => {
    const first = request();
    requestTokenHash(first, token('a'));
    const second = same ? first : request();
    vi.mocked(hashToken).mockClear();
    expect(requestTokenHash(second, token(other))).toBe(
      vi.mocked(hashToken).getMockImplementation()!(token(other)),
    );
    expect(vi.mocked(hashToken)).toHaveBeenCalledTimes(1);
  });

  it('hashToken is a plain SHA-256 of the token, hex (what api_tokens.token_hash holds)', () => {
    const expected = createHash('sha256').update(token('c')).digest('hex');
    expect([hashToken(token('c')), hashToken(token('c'))]).toEqual([expected, expected]);
  });
});
