/**
 * Bundles the `telform` command (and the provider it installs) with esbuild into `dist/`, so a
 * start loads plain JavaScript instead of transpiling TypeScript on every run. Run by
 * `npm run build`, and by npm itself on `npm install` and `npm pack` (the `prepare` script).
 *
 *   dist/cli/telform.mjs        the command; heavy parts load on demand from chunks beside it
 *   dist/cli/pglite-worker.mjs  the thread the embedded PGlite runs on (store/pglite-worker.mjs)
 *   dist/cli/inputs.json        the source files it was built from, for bin/telform.js's
 *                               freshness check (a stale bundle is never run)
 *   dist/provider/launch.cjs    terraform-provider-telform (provider.cjs through a V8 code cache)
 *                               with its parsed protocol, which
 *                               `telform provider install` copies (no esbuild needed at run time)
 *   dist/console/               the web console's hashed script and stylesheet and their
 *                               manifest, which the bundled daemon serves (an installed package
 *                               has neither esbuild nor reconciler/console-app)
 *   dist/pgdata-template/       PGlite's initdb output, which a new embedded data directory is
 *                               copied from, so the daemon's first start runs no initdb (kept
 *                               from the previous build while the PGlite version is the same)
 */
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { parseProtoFiles, protocolJsonFile } from '@telform/provider/protocol';
import { providerBundleOptions } from '@telform/provider/bundle';
import { writeConsoleBundle } from '../api/console/console-assets.js';
import { buildConsoleBundle, consoleAppDir } from '../api/console/console-bundle.js';
import {
  isCurrentTemplate,
  PGDATA_TEMPLATE,
  writePgdataTemplate,
} from '../store/pgdata-template.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Packages whose files are read from their own folder at run time (PGlite's WebAssembly and
 * data files) or that are native: they stay in node_modules, as dependencies of the root package.
 */
export const externalPackages = ['@electric-sql/pglite', 'esbuild', 'pg-native'] as const;

// CommonJS dependencies call require() and read __dirname; ESM output has neither by itself.
const banner = [
  "import { createRequire as __telformRequire } from 'node:module';",
  "import { fileURLToPath as __telformPath } from 'node:url';",
  'const require = __telformRequire(import.meta.url);',
  'const __filename = __telformPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join(' ');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'error',
  metafile: true,
  absWorkingDir: root,
  banner: { js: banner },
  external: [...externalPackages],
};

export interface BundleResult {
  readonly outdir: string;
  /** Source files (outside node_modules) the bundles were built from, relative to `root`. */
  readonly inputs: readonly string[];
}

/** Builds both bundles into `<outdir>` (default `<repo>/dist`), replacing an earlier build. */
export async function bundleCli(outdir = join(root, 'dist')): Promise<BundleResult> {
  // Build beside the target and swap it in: a `telform` starting meanwhile sees old or new.
  const staging = `${resolve(outdir)}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const cli = await build({
    ...common,
    entryPoints: {
      telform: join(root, 'reconciler', 'src', 'cli', 'main.ts'),
      // Started by path as a worker thread (store/pglite-thread.ts finds it beside the command).
      'pglite-worker': join(root, 'reconciler', 'src', 'store', 'pglite-worker.mjs'),
    },
    outdir: join(staging, 'cli'),
    splitting: true,
    // `telform provider install` (a chunk in cli/chunks/) copies the provider built below
    // instead of bundling sources that an installed package does not hold.
    define: {
      'globalThis.__telformPrebuiltProvider': JSON.stringify('../../provider/'),
      'globalThis.__telformPrebuiltConsole': JSON.stringify('console'),
    },
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
  });
  const providerBuilds = [];
  for (const options of providerBundleOptions(join(root, 'provider'), join(staging, 'provider'))) {
    providerBuilds.push(await build({ ...options, absWorkingDir: root }));
  }
  await writeFile(
    join(staging, 'provider', protocolJsonFile),
    JSON.stringify(parseProtoFiles(join(root, 'provider', 'proto'))),
  );
  const consoleBundle = await buildConsoleBundle();
  await writeConsoleBundle(join(staging, 'console'), consoleBundle);
  // initdb costs seconds and 730 MiB: a build run by every `npm start` reuses the last one's.
  const template = join(resolve(outdir), PGDATA_TEMPLATE);
  if (isCurrentTemplate(template))
    await cp(template, join(staging, PGDATA_TEMPLATE), { recursive: true });
  else await writePgdataTemplate(join(staging, PGDATA_TEMPLATE));
  const inputs = [
    ...sourcesOf(cli.metafile!),
    ...providerBuilds.flatMap((b) => sourcesOf(b.metafile!)),
    // A console source newer than the bundle makes bin/telform.js run the sources instead.
    ...consoleBundle.inputs.map((path) => relative(root, join(consoleAppDir, path))),
  ];
  const unique = [...new Set(inputs)].sort();
  await writeFile(join(staging, 'cli', 'inputs.json'), JSON.stringify({ inputs: unique }));
  await mkdir(resolve(outdir, '..'), { recursive: true });
  const old = `${resolve(outdir)}.old-${process.pid}`;
  await rename(outdir, old).catch(() => undefined);
  await rename(staging, outdir);
  await rm(old, { recursive: true, force: true });
  return { outdir, inputs: unique };
}

function sourcesOf(meta: Metafile): string[] {
  return Object.keys(meta.inputs)
    .filter((path) => !path.includes('node_modules/'))
    .map((path) => relative(root, resolve(root, path)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outdir } = await bundleCli(process.argv[2]);
  process.stdout.write(`telform bundled into ${relative(process.cwd(), outdir) || '.'}\n`);
}
