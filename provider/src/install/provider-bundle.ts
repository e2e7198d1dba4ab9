import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { protocolJsonFile } from '../protocol/load-protocol.js';

/** The launcher Terraform's executable runs; it runs `providerBundleFile` through a code cache. */
export const providerLauncherFile = 'launch.cjs';
export const providerBundleFile = 'provider.cjs';
/** Every file of an installed provider besides its executable. */
export const providerFiles = [providerLauncherFile, providerBundleFile, protocolJsonFile] as const;

/**
 * esbuild options of the provider's two files, from the sources under `sourceDir` (the provider
 * package) into `outdir`. CommonJS, because only a classic script can be compiled from a V8
 * code cache on Node 20 (vm.Script's cachedData); `import.meta.url` is rewritten to the file's
 * own URL, which CommonJS output otherwise leaves empty.
 */
export function providerBundleOptions(sourceDir: string, outdir: string): BuildOptions[] {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
  };
  return [
    {
      ...common,
      entryPoints: [join(sourceDir, 'src', 'main.ts')],
      outfile: join(outdir, providerBundleFile),
      define: { 'import.meta.url': '__telformModuleUrl' },
      banner: {
        js: "const __telformModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      },
    },
    {
      ...common,
      entryPoints: [join(sourceDir, 'src', 'launch', 'launch.ts')],
      outfile: join(outdir, providerLauncherFile),
    },
  ];
}
