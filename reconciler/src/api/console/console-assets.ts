import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The console's front end, bundled: one script and one stylesheet. */
export interface ConsoleAssets {
  readonly js: string;
  readonly css: string;
}

/** Where the front end's source lives (`reconciler/console-app`). */
export const consoleAppDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'console-app',
);

/**
 * Bundles the console from source with esbuild (a dependency the package already ships), in
 * memory, with no timestamps or absolute paths in the output: the same source gives the same
 * bytes, so what a daemon serves is exactly what is in the repository, and nothing comes from
 * a CDN. Takes about 100-300 ms, once per process (see `consoleAssets`).
 */
export async function buildConsoleAssets(): Promise<ConsoleAssets> {
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
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('the console bundle lacks its script or stylesheet');
  return { js: js.text, css: css.text };
}

let built: Promise<ConsoleAssets> | undefined;

/** The bundle, built on first use and kept for the life of the process. */
export function consoleAssets(): Promise<ConsoleAssets> {
  built ??= buildConsoleAssets().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}
