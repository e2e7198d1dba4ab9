import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey } from '../../src/secrets/load-secret-key.js';

const dir = () => mkdtempSync(join(tmpdir(), 'telform-key-'));
const b64 = randomBytes(32).toString('base64');

function keyFile(mode: number, content = b64): string {
  const path = join(dir(), 'k');
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('loadSecretKey', () => {
  it('takes TELFORM_SECRET_KEY first', () => {
    const loaded = loadSecretKey({
      env: { TELFORM_SECRET_KEY: b64, TELFORM_SECRET_KEY_FILE: '/nope' },
    });
    expect(loaded.key.toString('base64')).toBe(b64);
    expect(loaded.origin).toBe('TELFORM_SECRET_KEY');
  });

  it('reads a key file readable by its owner only', () => {
    const path = keyFile(0o600);
    expect(loadSecretKey({ env: { TELFORM_SECRET_KEY_FILE: path } }).key.toString('base64')).toBe(
      b64,
    );
  });

  it('creates <dataDir>/secret.key with mode 0600 once, and reuses it', () => {
    const dataDir = join(dir(), 'state');
    const first = loadSecretKey({ env: {}, dataDir });
    const path = join(dataDir, 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ env: {}, dataDir }).key.equals(first.key)).toBe(true);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(first.key)).toBe(true);
  });

  const refusals = [
    {
      reason: 'a group-readable file exposes every secret',
      env: () => ({ TELFORM_SECRET_KEY_FILE: keyFile(0o640) }),
      message: /readable by group or others.*chmod 600/,
    },
    {
      reason: 'a world-readable file exposes every secret',
      env: () => ({ TELFORM_SECRET_KEY_FILE: keyFile(0o604) }),
      message: /readable by group or others/,
    },
    {
      reason: 'a short key is not AES-256',
      env: () => ({ TELFORM_SECRET_KEY: randomBytes(16).toString('base64') }),
      message: /TELFORM_SECRET_KEY must be base64 of exactly 32 bytes/,
    },
    {
      reason: 'a non-base64 key is a typo',
      env: () => ({ TELFORM_SECRET_KEY: 'not base64!' }),
      message: /exactly 32 bytes/,
    },
    {
      reason: 'a missing file is named',
      env: () => ({ TELFORM_SECRET_KEY_FILE: '/does/not/exist' }),
      message: /\/does\/not\/exist cannot be read/,
    },
    {
      reason: 'no key and no data dir must not invent one',
      env: () => ({}),
      message: /set TELFORM_SECRET_KEY/,
    },
  ];
  it.each(refusals)('refuses: $reason', ({ env, message }) => {
    expect(() => loadSecretKey({ env: env() })).toThrow(message);
  });

  it('loads keys from before a rotation, so values sealed under them still open', () => {
    const old = randomBytes(32);
    const loaded = loadSecretKey({
      env: { TELFORM_SECRET_KEY: b64, TELFORM_SECRET_KEY_PREVIOUS: ` ${old.toString('base64')} ,` },
    });
    expect(loaded.previous.map((k) => k.toString('base64'))).toEqual([old.toString('base64')]);
    expect(() =>
      loadSecretKey({ env: { TELFORM_SECRET_KEY: b64, TELFORM_SECRET_KEY_PREVIOUS: 'short' } }),
    ).toThrow(/PREVIOUS item 1 must be base64 of exactly 32 bytes/);
  });

  it('reads a rotated key file: line 1 is current, further lines are previous keys', () => {
    const old1 = randomBytes(32).toString('base64');
    const old2 = randomBytes(32).toString('base64');
    const path = keyFile(0o600, `${b64}\n\n# rotated 2026-11\n${old1}\n${old2}\n`);
    const loaded = loadSecretKey({ env: { TELFORM_SECRET_KEY_FILE: path } });
    expect(loaded.key.toString('base64')).toBe(b64);
    expect(loaded.previous.map((k) => k.toString('base64'))).toEqual([old1, old2]);
  });

  it('merges previous keys from the environment and the file, without repeats or the current key', () => {
    const old = randomBytes(32).toString('base64');
    const path = keyFile(0o600, `${b64}\n${old}\n${b64}\n`);
    const loaded = loadSecretKey({
      env: { TELFORM_SECRET_KEY_FILE: path, TELFORM_SECRET_KEY_PREVIOUS: `${old},${b64}` },
    });
    expect(loaded.previous.map((k) => k.toString('base64'))).toEqual([old]);
  });

  it.each([
    {
      reason: 'a broken previous key in the file names its line',
      content: () => `${b64}\nnot-a-key\n`,
      message: /line 2 must be base64 of exactly 32 bytes/,
    },
    {
      reason: 'a file of comments only holds no key',
      content: () => '# nothing yet\n\n',
      message: /holds no key/,
    },
  ])('refuses a key file: $reason', ({ content, message }) => {
    const path = keyFile(0o600, content());
    expect(() => loadSecretKey({ env: { TELFORM_SECRET_KEY_FILE: path } })).toThrow(message);
  });

  it('never puts the key in its error message', () => {
    const path = keyFile(0o644);
    expect(() => loadSecretKey({ env: { TELFORM_SECRET_KEY_FILE: path } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(b64) }),
    );
  });
});
