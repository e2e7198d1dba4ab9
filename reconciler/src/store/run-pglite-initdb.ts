import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pgliteSettings } from './pglite-settings.js';

/**
 * Runs PGlite's initdb into `pgdata` (a new folder) in a child process that exits once done.
 * PGlite's first start runs initdb in two more WebAssembly instances beside the one it keeps,
 * and their memory stays in the process long after (a 730 MiB peak, against under 200 for a
 * start on an existing directory): run there, it is returned to the system when the child
 * exits. Rejects with initdb's own words when the child fails.
 */
export async function runPgliteInitdb(pgdata: string): Promise<void> {
  const script = `
    const [url, dir, settings] = process.argv.slice(1);
    const mod = await import(url);
    const PGlite = mod.PGlite ?? mod.default.PGlite;
    const startParams = [...PGlite.defaultStartParams, ...JSON.parse(settings)];
    const db = await PGlite.create(dir, { startParams });
    await db.close();`;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      pgliteModuleUrl(),
      pgdata,
      JSON.stringify(pgliteSettings),
    ],
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
    throw new Error(`initdb exited ${code}: ${stderr.trim()}`);
}

/** The version of the PGlite this process loads: its data directories are that build's. */
export function installedPgliteVersion(): string {
  let dir = dirname(fileURLToPath(pgliteModuleUrl()));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the installed @electric-sql/pglite has no package.json');
    dir = parent;
  }
}

/**
 * The URL of PGlite's module as this process resolves it (also under test runners): what a
 * child process or worker thread loads, so that it runs the PGlite this process would.
 */
export function pgliteModuleUrl(): string {
  try {
    return import.meta.resolve('@electric-sql/pglite');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  }
}
