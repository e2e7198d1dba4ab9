import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleBundle } from './console-bundle.js';

declare global {
  /**
   * Set by the `telform` bundle (reconciler/src/cli/bundle-cli.ts) to the name of the folder,
   * beside an ancestor of the running module, that holds the prebuilt console. Unset when
   * running from the sources: the console is then built from reconciler/console-app.
   */
  var __telformPrebuiltConsole: string | undefined;
}

/** Lists the prebuilt files; written last, so a half-written folder is never taken for one. */
export const MANIFEST = 'manifest.json';

interface Manifest {
  readonly js: string;
  readonly css: string;
}

/** Writes a bundle as files into `dir`: `app-<hash>.js`, `app-<hash>.css`, then the manifest. */
export async function writeConsoleBundle(dir: string, bundle: ConsoleBundle): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, bundle.js.name), bundle.js.text);
  await writeFile(join(dir, bundle.css.name), bundle.css.text);
  const manifest: Manifest = { js: bundle.js.name, css: bundle.css.name };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads a bundle written by `writeConsoleBundle`. */
export async function readConsoleBundle(dir: string): Promise<ConsoleBundle> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  const file = async (name: string) => ({ name, text: await readFile(join(dir, name), 'utf8') });
  return { js: await file(manifest.js), css: await file(manifest.css) };
}

/**
 * The folder named `name` with a manifest, beside the running module or one of its ancestors
 * (the bundle's modules sit at dist/cli/ and dist/cli/chunks/, the console at dist/console/).
 */
export function prebuiltConsoleDir(name: string, from = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, MANIFEST))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the prebuilt console (${name}/${MANIFEST}) is missing`);
    dir = parent;
  }
}

let loaded: Promise<ConsoleBundle> | undefined;

/**
 * The console's bundle, loaded once per process: the files `npm run build` wrote when running
 * from the `telform` bundle (an installed package has neither esbuild nor the app's sources),
 * else built from source in memory (a development checkout, always current).
 */
export function consoleAssets(): Promise<ConsoleBundle> {
  const prebuilt = globalThis.__telformPrebuiltConsole;
  loaded ??= (
    prebuilt === undefined
      ? import('./console-bundle.js').then((m) => m.buildConsoleBundle())
      : readConsoleBundle(prebuiltConsoleDir(prebuilt))
  ).catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}
