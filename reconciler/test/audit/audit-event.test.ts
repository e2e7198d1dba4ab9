import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedContent, type HashedFields } from '../../src/audit/audit-event.js';
import { canonicalJson } from '../../src/audit/canonical-json.js';

// hashedContent writes the canonical JSON of the usual event (every field a string or null) out
// by hand; the chain's hashes depend on those bytes, so they must be canonicalJson's exactly.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const textOrNull = fc.option(text, { nil: null });
const fields = fc.record({
  time: text,
  event: text,
  access: fc.constantFrom('read', 'write'),
  resource: textOrNull,
  account_id: textOrNull,
  actor: text,
  outcome: fc.constantFrom('success', 'failure', 'denied'),
  ip: textOrNull,
  request_id: textOrNull,
  change: textOrNull,
}) as fc.Arbitrary<HashedFields>;

const generic = (f: HashedFields) =>
  canonicalJson({
    time: f.time,
    event: f.event,
    access: f.access,
    resource: f.resource,
    account_id: f.account_id,
    actor: f.actor,
    outcome: f.outcome,
    ip: f.ip,
    request_id: f.request_id,
    change: f.change,
  });

describe('hashedContent', () => {
  it('is the canonical JSON of the fields, byte for byte (quotes, lone surrogates, nulls)', () => {
    fc.assert(
      fc.property(fields, (f) => {
        expect(hashedContent(f)).toBe(generic(f));
      }),
    );
  });

  it.each([
    {
      why: 'a field left undefined (a caller outside AuditStore) is dropped, as canonicalJson drops it',
      f: { ip: undefined },
    },
    { why: 'a field that is not text still hashes as canonicalJson writes it', f: { ip: 42 } },
  ])('$why', ({ f }) => {
    const usual: Record<string, unknown> = {
      time: '2026-01-01T00:00:00.000Z',
      event: 'user.read',
      access: 'read',
      resource: 'user/u1',
      account_id: null,
      actor: 'ci',
      outcome: 'success',
      ip: '127.0.0.1',
      request_id: 'r1',
      change: null,
    };
    const event = { ...usual, ...f } as unknown as HashedFields;
    expect(hashedContent(event)).toBe(generic(event));
  });
});
