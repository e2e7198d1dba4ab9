import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerSecretsCommand } from '../../src/cli/commands/secrets.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { openDatabase } from '../../src/store/open-database.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { secretAad } from '../../src/store/secret-fields.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const password = 'hunter2-Cli-Rekey';
const lostPassword = 'lost-Cli-Secret';

const dirs: string[] = [];
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('postgres');
});
afterAll(async () => {
  await database?.dispose();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function run(
  args: string[],
  env: CliIo['env'],
): Promise<{ out: string; err: string; failed: boolean }> {
  let out = '';
  let err = '';
  let failed = false;
  const io: CliIo = {
    env,
    out: (t) => void (out += t),
    fail: (m) => {
      err += `${m}\n`;
      failed = true;
    },
  };
  const program = new Command().exitOverride();
  registerSecretsCommand(program, io);
  await program.parseAsync(['secrets', 'rekey', ...args], { from: 'user' });
  return { out, err, failed };
}

// The daemon's settings after a rotation: B current, A previous.
const rotated = () => ({
  DATABASE_URL: database.databaseUrl,
  TELFORM_SECRET_KEY: keyB.toString('base64'),
  TELFORM_SECRET_KEY_PREVIOUS: keyA.toString('base64'),
});

describe('telform secrets rekey', () => {
  it('prints counts, re-seals, then finds everything current; never prints a secret', async () => {
    const store = new ResourceStore(database.db, new AesGcmSecretBox(keyA));
    const account = await store.create(
      'account',
      { name: 'Cli', email: 'cli@example.com' },
      {
        scopeAccountId: null,
      },
    );
    await store.create(
      'user',
      { account_id: account.id, name: 'u', login: 'u', email: 'u@example.com', password },
      { scopeAccountId: null },
    );

    const dry = await run(['--dry-run'], rotated());
    expect(dry).toMatchObject({ failed: false, err: '' });
    expect(dry.out).toBe(
      [
        'dry run: nothing written',
        'resources scanned: 2',
        'subscriptions scanned: 0',
        'values to re-seal: 1',
        'values already current: 0',
        'values no key opens: 0',
        '',
      ].join('\n'),
    );

    const first = await run([], rotated());
    expect(first.failed).toBe(false);
    expect(first.out).toContain('values re-sealed: 1\n');
    expect(first.out).toContain('drop the old keys');

    const second = await run([], rotated());
    expect(second.out).toContain('values re-sealed: 0\nvalues already current: 1\n');

    for (const r of [dry, first, second]) {
      expect(r.out + r.err).not.toContain(password);
      expect(r.out + r.err).not.toContain(keyA.toString('base64'));
      expect(r.out + r.err).not.toContain(keyB.toString('base64'));
    }
  });

  it('exits non-zero naming the place (never the value) of a value no key opens', async () => {
    const userId = 'user_01jd8x00000000000000000cli';
    const account = await database.db
      .selectFrom('resources')
      .select('id')
      .where('kind', '=', 'account')
      .executeTakeFirstOrThrow();
    const lost = new AesGcmSecretBox(randomBytes(32)).seal(
      lostPassword,
      secretAad(userId, 'password'),
    );
    await database.db
      .insertInto('resources')
      .values({
        id: userId,
        kind: 'user',
        account_id: account.id,
        root_account_id: account.id,
        spec: JSON.stringify({ account_id: account.id, name: 'l', login: 'l', email: 'l@x.io' }),
        secrets: JSON.stringify({ password: lost }),
      })
      .execute();
    const result = await run([], rotated());
    expect(result.failed).toBe(true);
    expect(result.out).toContain(`values no key opens: 1\n  ${userId} password\n`);
    expect(result.err).toMatch(/left untouched: configure the key that sealed them/);
    expect(result.out + result.err).not.toContain(lostPassword);
  });

  it('tells the operator to stop the daemon first when it holds the embedded store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-rekey-'));
    dirs.push(dir);
    const daemon = await openDatabase({ dataDir: dir }); // holds the lock, as `serve` does
    try {
      const result = await run(['--data-dir', dir], {
        TELFORM_SECRET_KEY: keyB.toString('base64'),
      });
      expect(result.failed).toBe(true);
      expect(result.err).toContain(
        `stop the daemon first: data directory ${dir} is locked by process ${process.pid}`,
      );
    } finally {
      await daemon.close();
    }
  });

  it('never generates a key of its own for the embedded store (nothing would open under it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telform-rekey-'));
    dirs.push(dir);
    const result = await run([], { TELFORM_DATA_DIR: dir });
    expect(result.failed).toBe(true);
    expect(result.err).toMatch(/no secret key: set TELFORM_SECRET_KEY/);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });
});
