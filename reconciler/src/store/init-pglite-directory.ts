import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PGlite's settings for telform's embedded store. shared_buffers at 32 MB, not PGlite's 160 MB:
 * the data files sit in the OS page cache anyway, and every buffer page touched stays in the
 * daemon's RSS for good (a 100,000-resource store fills the default; a drift scan costs the same
 * CPU either way: docs/benchmarks.md "Memory").
 */
export const pgliteSettings: readonly string[] = ['-c', 'shared_buffers=32MB'];

/**
 * Makes `pgdata` a PostgreSQL data directory if it is not one yet, in a child process that exits
 * once done. PGlite's first start runs initdb in two more WebAssembly instances beside the one it
 * keeps, and their memory stays in the process long after (750-800 MB of RSS, against under 300
 * for a start on an existing directory): run there, it is returned to the system when the child
 * exits. Resolves at once for an existing directory; rejects with initdb's own words otherwise.
 */
export async function initPgliteDirectory(pgdata: string): Promise<void> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  const script = `
    const [url, dir, settings] = process.argv.slice(1);
    const mod = await import(url);
    const PGlite = mod.PGlite ?? mod.default.PGlite;
    const startParams = [...PGlite.defaultStartParams, ...JSON.parse(settings)];
    const db = await PGlite.create(dir, { startParams });
    await db.close();`;
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', script, pgliteEntry(), pgdata, JSON.stringify(pgliteSettings)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0 || !existsSync(join(pgdata, 'PG_VERSION')))
    throw new Error(
      `could not initialise the embedded database in ${pgdata} (exit ${code}): ${stderr.trim()}`,
    );
}

/** The URL of PGlite's module as this process resolves it (also under test runners). */
function pgliteEntry(): string {
  try {
    return import.meta.resolve('@electric-sql/pglite');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  }
}
