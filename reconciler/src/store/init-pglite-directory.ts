import { existsSync } from 'node:fs';
import { cp, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { findPgdataTemplate, TEMPLATE_MANIFEST } from './pgdata-template.js';
import { runPgliteInitdb } from './run-pglite-initdb.js';

export interface InitPgliteDirectoryOptions {
  /**
   * A template of initdb's output (pgdata-template.ts) to copy; null: run initdb. Default: the
   * one `npm run build` wrote for the installed PGlite, if any.
   */
  readonly template?: string | null;
}

/**
 * Makes `pgdata` a PostgreSQL data directory if it is not one yet; resolves at once for an
 * existing one. The new directory is a copy of the built template when there is one (no initdb:
 * the process never holds more than the one PGlite it opens next), else initdb's output
 * (runPgliteInitdb, in a child process). Either way it is made as `<pgdata>.partial-<id>`,
 * written to disk (fsync) and renamed into place, so that a crash or kill -9 halfway leaves a
 * partial folder that the next start throws away, never a `pgdata` that looks initialised. The
 * name is new each time: the initdb child of a killed daemon may still be writing into its own.
 */
export async function initPgliteDirectory(
  pgdata: string,
  options: InitPgliteDirectoryOptions = {},
): Promise<void> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  // Looked for only when a directory is made: every later start skips the walk up the folders.
  const template = options.template === undefined ? findPgdataTemplate() : options.template;
  const parent = dirname(pgdata);
  const prefix = `${basename(pgdata)}.partial-`;
  const partial = join(parent, `${prefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // An empty pgdata is an earlier telform's (it made the folder before initdb filled it);
    // anything else without PG_VERSION is not ours to delete, and rmdir refuses it.
    if (existsSync(pgdata)) await rmdir(pgdata);
    for (const name of await readdir(parent))
      if (name.startsWith(prefix)) await rm(join(parent, name), { recursive: true, force: true });
    if (template) {
      await cp(template, partial, {
        recursive: true,
        filter: (source) => !source.endsWith(`/${TEMPLATE_MANIFEST}`),
      });
    } else {
      await runPgliteInitdb(partial);
    }
    await ownerOnlyAndDurable(partial);
    await rename(partial, pgdata);
    await fsyncPath(parent);
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
    throw new Error(
      `could not initialise the embedded database in ${pgdata}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Owner-only modes (the files hold tenants' configuration; an installed package's template
 * files are 0644) and every file and folder flushed to disk before the rename publishes them.
 */
async function ownerOnlyAndDurable(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await ownerOnlyAndDurable(path);
    else await fsyncPath(path, 0o600);
  }
  await fsyncPath(dir, 0o700);
}

async function fsyncPath(path: string, mode?: number): Promise<void> {
  const handle = await open(path, 'r');
  try {
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
