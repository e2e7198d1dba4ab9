import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hashToken, TokenStore, type CreateTokenInput } from '../../src/auth/token-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('TokenStore', (database) => {
  let clock = new Date('2026-11-22T08:00:00.000Z');
  const store = () => new TokenStore(database().db, () => clock);

  it('shows the token once and stores only its hash and a short prefix', async () => {
    const { token, info } = await store().create({
      name: 'ci',
      role: 'operator',
      createdBy: 'test',
    });
    expect(token).toMatch(/^tf_[A-Za-z0-9_-]{43}$/);
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from api_tokens where id = ${info.id}`.execute(database().db);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]?.token_hash).toBe(hashToken(token));
    expect(info.prefix).toBe(token.slice(0, 10));
    expect(JSON.stringify(info)).not.toContain(token);
  });

  it('verifies a live token to its principal and records when it was used', async () => {
    const { token, info } = await store().create({
      name: 'partner',
      role: 'operator',
      scopeAccountId: 'account_abc',
      createdBy: 'test',
    });
    const result = await store().verify(token);
    expect(result).toEqual({
      ok: true,
      principal: {
        tokenId: info.id,
        name: 'partner',
        role: 'operator',
        scopeAccountId: 'account_abc',
      },
      expiresAt: null,
    });
    expect((await store().get(info.id))?.lastUsedAt?.toISOString()).toBe(clock.toISOString());
  });

  it('refuses expired, revoked, unknown and malformed tokens, each with its reason', async () => {
    const expiring = await store().create({
      name: 'short',
      role: 'auditor',
      expiresAt: new Date(clock.getTime() + 1000),
      createdBy: 'test',
    });
    const revoked = await store().create({ name: 'old', role: 'admin', createdBy: 'test' });
    await store().revoke('old');
    const cases = [
      { reason: 'expired', token: expiring.token, advance: 1000 },
      { reason: 'revoked', token: revoked.token, advance: 0 },
      { reason: 'unknown', token: `tf_${'A'.repeat(43)}`, advance: 0 },
      { reason: 'malformed', token: 'Bearer x', advance: 0 },
      { reason: 'malformed', token: `${revoked.token} `, advance: 0 },
    ];
    for (const c of cases) {
      const saved = clock;
      clock = new Date(clock.getTime() + c.advance);
      expect(await store().verify(c.token), c.reason).toEqual({ ok: false, reason: c.reason });
      clock = saved;
    }
  });

  it('lists live tokens without secrets, and revoked ones on request', async () => {
    const live = await store().list();
    expect(live.map((t) => t.name)).not.toContain('old');
    expect((await store().list({ includeRevoked: true })).map((t) => t.name)).toContain('old');
  });

  it('refuses a second live token with the same name, and allows it once the first is revoked', async () => {
    await store().create({ name: 'dup', role: 'auditor', createdBy: 'test' });
    await expect(
      store().create({ name: 'dup', role: 'auditor', createdBy: 'test' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await store().revoke('dup');
    await expect(
      store().create({ name: 'dup', role: 'auditor', createdBy: 'test' }),
    ).resolves.toBeDefined();
  });

  const invalid = [
    {
      reason: 'names are actors in audit events',
      input: { name: 'has space', role: 'admin' },
      field: 'name',
    },
    { reason: 'unknown roles grant nothing', input: { name: 'x', role: 'root' }, field: 'role' },
    {
      reason: 'a scope must be an account id',
      input: { name: 'x', role: 'admin', scopeAccountId: 'user_1' },
      field: 'scope_account_id',
    },
    {
      reason: 'a token born expired is a mistake',
      input: { name: 'x', role: 'admin', expiresAt: new Date('2020-01-01') },
      field: 'expires_at',
    },
  ];
  it.each(invalid)('refuses bad input: $reason', async ({ input, field }) => {
    const before = (await store().list({ includeRevoked: true })).length;
    const err = await store()
      .create({ ...input, createdBy: 'test' } as CreateTokenInput)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).errors.map((e) => e.field)).toEqual([field]);
    expect((await store().list({ includeRevoked: true })).length).toBe(before);
  });

  it('bootstraps one admin token only when no live admin exists', async () => {
    await sql`delete from api_tokens`.execute(database().db);
    const first = await store().bootstrapAdmin();
    expect(first).toMatch(/^tf_/);
    expect(await store().bootstrapAdmin()).toBeUndefined();
    const verified = await store().verify(first!);
    expect(verified.ok && verified.principal.role).toBe('admin');
  });
});

describe('hashToken', () => {
  it('is SHA-256 hex', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  // A request's hashes are kept for the event-loop turn they were made in: a repeat, another
  // token in the same turn and the same token a turn later must each still get their own hash.
  it('keeps each token its own hash within a turn and across turns', async () => {
    const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
    const tokens = Array.from({ length: 300 }, (_, i) => `tf_${String(i).padStart(43, 'x')}`);
    for (const t of [...tokens, ...tokens]) expect(hashToken(t)).toBe(sha(t));
    await new Promise((resolve) => setImmediate(resolve));
    for (const t of tokens) expect(hashToken(t)).toBe(sha(t));
  });
});
