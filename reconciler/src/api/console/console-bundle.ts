import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';

/** One built file of the console, named after its content so it can be cached for good. */
export interface ConsoleAsset {
  /** `app-<hash>.js` / `app-<hash>.css`: the name changes whenever a byte does. */
  readonly name: string;
  readonly text: string;
}

/** The console's front end, bundled: one script and one stylesheet. */
export interface ConsoleBundle {
  readonly js: ConsoleAsset;
  readonly css: ConsoleAsset;
}

/** Where the front end's source lives (`reconciler/console-app`). */
export const consoleAppDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'console-app',
);

const hashed = (ext: string, text: string): ConsoleAsset => ({
  name: `app-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.${ext}`,
  text,
});

/**
 * Bundles the console from source with esbuild, in memory, with no timestamps or absolute
 * paths in the output: the same source gives the same bytes (and names). esbuild is a
 * development dependency, so it is imported here only: an installed package serves the
 * bundle `npm run build` wrote (console-assets.ts) and never loads this module's build.
 * Also returns the source files read, for the CLI bundle's freshness check.
 */
export async function buildConsoleBundle(): Promise<ConsoleBundle & { inputs: string[] }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(consoleAppDir, 'src', 'main.tsx')],
    absWorkingDir: consoleAppDir,
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'out',
    entryNames: 'app',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('the console bundle lacks its script or stylesheet');
  return {
    js: hashed('js', js.text),
    css: hashed('css', css.text),
    inputs: sourcesOf(result.metafile),
  };
}

/** Source files of the console (outside node_modules), relative to console-app. */
function sourcesOf(meta: Metafile): string[] {
  return Object.keys(meta.inputs)
    .filter((path) => !path.includes('node_modules/'))
    .sort();
}
