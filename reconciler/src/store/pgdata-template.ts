import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedPgliteVersion, runPgliteInitdb } from './run-pglite-initdb.js';

/** The folder name of the template, in `dist/` (`npm run build` writes it) and in the package. */
export const PGDATA_TEMPLATE = 'pgdata-template';

/**
 * Names the PGlite version whose initdb made the template; written last, so a half-written
 * folder is never taken for one, and a template of another PGlite (another catalog) is ignored.
 */
export const TEMPLATE_MANIFEST = 'telform-template.json';

interface Manifest {
  readonly pglite: string;
}

/**
 * True when `dir` holds a whole template made by the installed PGlite: a new data directory
 * copied from it is byte for byte what that PGlite's initdb writes, so it opens with the same
 * catalog and settings as one made on the spot.
 */
export function isCurrentTemplate(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, TEMPLATE_MANIFEST), 'utf8')) as Manifest;
    return manifest.pglite === installedPgliteVersion() && existsSync(join(dir, 'PG_VERSION'));
  } catch {
    return false;
  }
}

/**
 * The built template beside the running module or one of its ancestors: `dist/pgdata-template`
 * seen from the bundle (dist/cli/, dist/cli/chunks/) or from the sources (reconciler/src/store/,
 * under the checkout that holds dist/). Undefined when there is none for the installed PGlite:
 * a source checkout never built, or a build of an older PGlite.
 */
export function findPgdataTemplate(from = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    for (const candidate of [join(dir, PGDATA_TEMPLATE), join(dir, 'dist', PGDATA_TEMPLATE)])
      if (isCurrentTemplate(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Makes `dir` a template: initdb's data directory (in a child process: runPgliteInitdb) and the
 * manifest, built beside it and renamed into place, so a killed build leaves no template.
 */
export async function writePgdataTemplate(dir: string): Promise<void> {
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(dirname(partial), { recursive: true });
  await runPgliteInitdb(partial);
  const manifest: Manifest = { pglite: installedPgliteVersion() };
  await writeFile(join(partial, TEMPLATE_MANIFEST), `${JSON.stringify(manifest)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
}
