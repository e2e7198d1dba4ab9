import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The file `telform serve` writes the first admin token to, inside its data directory. */
export const adminTokenFileName = 'admin-token';

/**
 * Writes the bootstrap admin token to `<dataDir>/admin-token`, readable by its owner only (0600),
 * and returns the file's absolute path. The token never goes to stdout, where container log
 * collection would keep it with the JSON log lines. An older file (left from a data directory
 * whose database was reset) is replaced: it held a token that no longer exists.
 */
export function writeAdminToken(dataDir: string, token: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = resolve(join(dataDir, adminTokenFileName));
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing file keeps its own otherwise.
  chmodSync(path, 0o600);
  return path;
}
