import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretKeySource {
  /** `TELFORM_SECRET_KEY` (base64 of 32 bytes) and `TELFORM_SECRET_KEY_FILE`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Embedded default: `<dataDir>/secret.key` is created (mode 0600) when no key is configured. */
  readonly dataDir?: string;
}

export interface LoadedSecretKey {
  readonly key: Buffer;
  /**
   * Keys from before a rotation, for opening values sealed under them: `new
   * AesGcmSecretBox(key, previous)`. From `TELFORM_SECRET_KEY_PREVIOUS` (comma-separated base64)
   * and from the key file's lines after the first (one key a line; blank lines and `#` comments
   * skipped).
   */
  readonly previous: Buffer[];
  /** Where it came from, for the startup log line (never the key). */
  readonly origin: string;
}

/**
 * Finds the key that encrypts secrets at rest: the environment first, then a key file, then
 * (embedded default only) a generated `<dataDir>/secret.key`. A key file that group or others
 * can read is refused: it would leave every stored secret readable to them.
 */
export function loadSecretKey(source: SecretKeySource): LoadedSecretKey {
  const fromEnv = (source.env.TELFORM_SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text, i) => decodeKey(text, `TELFORM_SECRET_KEY_PREVIOUS item ${i + 1}`));
  const { key, older, origin } = loadCurrentKey(source);
  // The current key listed again as a previous one (a half-done rotation) is harmless: drop it.
  const previous = [...fromEnv, ...older].filter(
    (k, i, all) => !k.equals(key) && all.findIndex((o) => o.equals(k)) === i,
  );
  return { key, previous, origin };
}

interface KeyFileKeys {
  readonly key: Buffer;
  readonly older: Buffer[];
  readonly origin: string;
}

function loadCurrentKey(source: SecretKeySource): KeyFileKeys {
  const inline = source.env.TELFORM_SECRET_KEY;
  if (inline !== undefined && inline !== '') {
    return {
      key: decodeKey(inline.trim(), 'TELFORM_SECRET_KEY'),
      older: [],
      origin: 'TELFORM_SECRET_KEY',
    };
  }
  const file = source.env.TELFORM_SECRET_KEY_FILE;
  if (file !== undefined && file !== '') return readKeyFile(file);
  if (source.dataDir === undefined) {
    throw new Error(
      'no secret key: set TELFORM_SECRET_KEY (base64 of 32 random bytes) or TELFORM_SECRET_KEY_FILE',
    );
  }
  const path = join(source.dataDir, 'secret.key');
  mkdirSync(source.dataDir, { recursive: true });
  try {
    // `wx` fails when the file exists, so two starting daemons never overwrite each other's key.
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('base64') + '\n');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKeyFile(path);
}

// Line 1 is the current key; further lines are keys from before a rotation, newest first.
function readKeyFile(path: string): KeyFileKeys {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new Error(`secret key file ${path} cannot be read: check TELFORM_SECRET_KEY_FILE`);
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `secret key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
    );
  }
  const keys = readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ text: line.trim(), line: i + 1 }))
    .filter(({ text }) => text !== '' && !text.startsWith('#'))
    .map(({ text, line }) => decodeKey(text, `${path} line ${line}`));
  if (keys.length === 0) {
    throw new Error(
      `secret key file ${path} holds no key: put one (base64 of 32 random bytes) on its first line`,
    );
  }
  const [key, ...older] = keys;
  return { key: key!, older, origin: path };
}

function decodeKey(text: string, origin: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new Error(
      `secret key from ${origin} must be base64 of exactly 32 bytes (try: openssl rand -base64 32)`,
    );
  }
  return key;
}
