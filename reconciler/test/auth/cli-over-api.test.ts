import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerAuditCommand } from '../../src/cli/commands/audit.js';
import { registerTokenCommand } from '../../src/cli/commands/token.js';
import { buildSecurityApp, type SecurityApp } from '../security/support/security-app.js';

let s: SecurityApp;
let env: Record<string, string>;

beforeAll(async () => {
  s = await buildSecurityApp('postgres');
  const admin = (await s.tokens.create({ name: 'admin', role: 'admin', createdBy: 'test' })).token;
  const endpoint = await s.app.listen({ host: '127.0.0.1', port: 0 });
  env = { TELFORM_ENDPOINT: endpoint, TELFORM_TOKEN: admin };
});
afterAll(() => s?.close());

async function run(args: string[], extra: Record<string, string> = {}) {
  const result = { out: '', err: '' };
  const io: CliIo = {
    env: { ...env, ...extra },
    out: (t) => void (result.out += t),
    fail: (m) => void (result.err += `${m}\n`),
  };
  const program = new Command().exitOverride();
  registerTokenCommand(program, io);
  registerAuditCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return result;
}

describe('token and audit commands through the API (TELFORM_ENDPOINT + TELFORM_TOKEN)', () => {
  it('create prints the token alone, list shows it without the token, revoke stops it', async () => {
    const created = await run(['token', 'create', '--role', 'auditor', '--name', 'reader']);
    expect(created.out).toMatch(/^tf_[A-Za-z0-9_-]{43}\n$/);
    const token = created.out.trim();
    const listed = await run(['token', 'list']);
    expect(listed.out).toContain('reader\tauditor');
    expect(listed.out).not.toContain(token);
    expect((await run(['audit', 'verify'], { TELFORM_TOKEN: token })).out).toMatch(
      /^ok: \d+ events, chain intact\n$/,
    );
    const id = (await s.tokens.list()).find((t) => t.name === 'reader')!.id;
    expect((await run(['token', 'revoke', id])).out).toBe(`revoked ${id}\n`);
    expect((await run(['audit', 'verify'], { TELFORM_TOKEN: token })).err).toMatch(
      /401 the bearer token was revoked/,
    );
  });

  it('revoke takes a name as well as an id, as --help says, and names a missing one', async () => {
    await run(['token', 'create', '--role', 'operator', '--name', 'ci-2026-12']);
    const id = (await s.tokens.list()).find((t) => t.name === 'ci-2026-12')!.id;
    expect((await run(['token', 'revoke', 'ci-2026-12'])).out).toBe(`revoked ${id}\n`);
    expect((await s.tokens.get(id))!.revokedAt).not.toBeNull();
    expect((await run(['token', 'revoke', 'ci-2026-12'])).err).toBe(
      'no token with id or name ci-2026-12\n',
    );
  });

  it('export pages through /v1/audit oldest first', async () => {
    const lines = (await run(['audit', 'export', '--event', 'token.*'])).out.trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { event: string; seq: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['token.create', 'token.list', 'token.delete']),
    );
    expect(events.map((e) => Number(e.seq))).toEqual(
      [...events.map((e) => Number(e.seq))].sort((a, b) => a - b),
    );
  });

  it('a refusal from the API names the field', async () => {
    const result = await run(['token', 'create', '--role', 'admin', '--name', 'bad name']);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/name/);
  });
});
