import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The file `telform serve` writes the first admin token to, inside its data directory. */
export const adminTokenFileName = 'admin-token';

/** The file `telform emulator --data-dir` writes a generated partner key to. */
export const partnerKeyFileName = 'partner.key';

/**
 * Writes a secret the operator must be handed (the first admin token, a generated partner key)
 * to `<dir>/<name>`, readable by its owner only (0600), and returns the file's absolute path.
 * Such secrets never go to stdout, where container log collection would keep them with the log
 * lines. An older file is replaced: it held a value that no longer works.
 */
export function writeSecretFile(dir: string, name: string, value: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = resolve(join(dir, name));
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its own otherwise.
  chmodSync(path, 0o600);
  return path;
}
