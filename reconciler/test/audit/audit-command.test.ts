import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerAuditCommand } from '../../src/cli/commands/audit.js';
import { registerTokenCommand } from '../../src/cli/commands/token.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('postgres');
});
afterAll(() => database?.dispose());

async function run(args: string[]): Promise<{ out: string; err: string; failed: boolean }> {
  let out = '';
  let err = '';
  let failed = false;
  const io: CliIo = {
    env: { DATABASE_URL: database.databaseUrl },
    out: (t) => void (out += t),
    fail: (m) => {
      err += `${m}\n`;
      failed = true;
    },
  };
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
  registerTokenCommand(program, io);
  registerAuditCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return { out, err, failed };
}

describe('telform token', () => {
  it('create prints the token alone on stdout; list never shows it; revoke stops it', async () => {
    const created = await run([
      'token',
      'create',
      '--role',
      'admin',
      '--name',
      'ci',
      '--expires-in',
      '30d',
    ]);
    expect(created.out).toMatch(/^tf_[A-Za-z0-9_-]{43}\n$/);
    const listed = await run(['token', 'list']);
    expect(listed.out).toContain('ci\tadmin');
    expect(listed.out).not.toContain(created.out.trim());
    expect((await run(['token', 'revoke', 'ci'])).out).toMatch(/^revoked token_\w+ \(ci\)\n$/);
    expect((await run(['token', 'list'])).out).not.toContain('ci\tadmin');
  });

  const refusals = [
    {
      reason: 'an unknown role',
      args: ['--role', 'root', '--name', 'x'],
      err: /--role must be admin, operator or auditor/,
    },
    {
      reason: 'a malformed lifetime',
      args: ['--role', 'admin', '--name', 'x', '--expires-in', '30 days'],
      err: /--expires-in/,
    },
    {
      reason: 'a bad name, named by field',
      args: ['--role', 'admin', '--name', 'a b'],
      err: /\(name must be 1-64/,
    },
    {
      reason: 'a scope that is not an account id',
      args: ['--role', 'admin', '--name', 'x', '--scope', 'user_1'],
      err: /scope_account_id/,
    },
  ];
  it.each(refusals)(
    'create refuses $reason, prints nothing on stdout and stores nothing',
    async ({ args, err }) => {
      const result = await run(['token', 'create', ...args]);
      expect(result).toMatchObject({ out: '', failed: true });
      expect(result.err).toMatch(err);
      expect((await run(['token', 'list'])).out).not.toMatch(/\tx\t/);
    },
  );
});

describe('telform audit', () => {
  it('export prints NDJSON oldest first, filtered; verify passes, then names a tampered event', async () => {
    const store = new AuditStore(database.db);
    for (const event of ['user.create', 'user.read', 'webhook.update']) {
      await store.record({
        event,
        access: event.endsWith('read') ? 'read' : 'write',
        actor: 'ci',
        outcome: 'success',
      });
    }
    const exported = await run(['audit', 'export', '--format', 'ndjson', '--event', 'user.*']);
    const lines = exported.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(lines.map((l) => l.event)).toEqual(['user.create', 'user.read']);
    expect((await run(['audit', 'verify'])).out).toBe('ok: 3 events, chain intact\n');

    await sql`alter table audit_events disable trigger user`.execute(database.db);
    await sql`update audit_events set event = 'user.delete' where seq = 2`.execute(database.db);
    const verified = await run(['audit', 'verify']);
    expect(verified.failed).toBe(true);
    expect(verified.err).toMatch(/^edited at event 2: .*\(1 events intact before it\)/);
  });

  it('export refuses an unknown format and a bad time', async () => {
    // One --format convention for every command: commander refuses the value before the action.
    await expect(run(['audit', 'export', '--format', 'csv'])).rejects.toThrow(
      "option '--format <format>' argument 'csv' is invalid. Allowed choices are ndjson.",
    );
    expect((await run(['audit', 'export', '--from', 'yesterday'])).err).toMatch(
      /--from must be an ISO 8601 time/,
    );
  });
});
