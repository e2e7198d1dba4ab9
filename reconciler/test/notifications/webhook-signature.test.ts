import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/notifications/webhook-signature.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"event":"drift.detected","data":{"resource_id":"user_1"}}';
const t = 1_790_000_000;
const header = signWebhook(secret, body, t);

describe('verifyWebhook', () => {
  it.each([
    { why: 'the signed body verifies', args: [secret, body, header, t + 10], want: { ok: true } },
    {
      why: 'a changed body fails',
      args: [secret, body.replace('user_1', 'user_2'), header, t],
      want: { ok: false, reason: 'mismatch' },
    },
    {
      why: 'another secret fails',
      args: ['other-secret-0000000', body, header, t],
      want: { ok: false, reason: 'mismatch' },
    },
    {
      why: 'a replay after the tolerance is refused',
      args: [secret, body, header, t + 301],
      want: { ok: false, reason: 'expired' },
    },
    {
      why: 'a moved timestamp breaks the signature',
      args: [secret, body, header.replace(`t=${t}`, `t=${t + 1}`), t],
      want: { ok: false, reason: 'mismatch' },
    },
    {
      why: 'a missing header is malformed',
      args: [secret, body, undefined, t],
      want: { ok: false, reason: 'malformed' },
    },
    {
      why: 'a truncated signature is malformed',
      args: [secret, body, header.slice(0, -2), t],
      want: { ok: false, reason: 'malformed' },
    },
  ] as const)('$why', ({ args, want }) => {
    expect(verifyWebhook(...(args as [string, string, string | undefined, number]))).toEqual(want);
  });

  it('signs with HMAC-SHA256 over "<t>.<body>" in hex', () => {
    expect(header).toMatch(/^t=1790000000,v1=[0-9a-f]{64}$/);
  });
});
