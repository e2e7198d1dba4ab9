/**
 * Lays the provider into a Terraform filesystem mirror and writes a CLI config that uses it, so a
 * plain `terraform init` works offline. Everything the provider runs (the esbuild bundle, the
 * pre-parsed protocol definitions and the launcher) sits in the one folder the lock file's `h1:` hash
 * covers. One bundled file keeps each of terraform's 3-5 provider launches per command short.
 */
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseProtoFiles, protocolJsonFile } from '../protocol/load-protocol.js';
import { providerBundleOptions, providerFiles, providerLauncherFile } from './provider-bundle.js';
import { telformVersion } from '@telform/schemas/version';

declare global {
  /**
   * Set by the `telform` bundle (reconciler/src/cli/bundle-cli.ts): where, relative to this
   * module, the provider pre-built with it lies. Unset when running from the sources.
   */
  var __telformPrebuiltProvider: string | undefined;
}

export const providerHost = 'registry.terraform.io';
export const providerNamespace = 'telform';
export const providerType = 'telform';
export const providerVersion = telformVersion;

export interface InstallOptions {
  /** Mirror root; the provider goes under `registry.terraform.io/telform/telform/<version>/<os_arch>/`. */
  readonly mirror: string;
  /** Where to write the CLI config file (use it with TF_CLI_CONFIG_FILE). */
  readonly cliConfig: string;
  /** Node used by the launcher; defaults to the one running this. */
  readonly nodePath?: string;
}

export interface Installed {
  readonly packageDir: string;
  readonly executable: string;
  readonly cliConfig: string;
}

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function osArch(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch =
    { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ??
    process.arch;
  return `${os}_${arch}`;
}

/** The CLI config: telform from the mirror, every other provider from its registry as usual. */
export function cliConfigText(mirror: string): string {
  const address = `${providerHost}/${providerNamespace}/${providerType}`;
  return [
    '# Written by `telform provider install`: telform/telform comes from a local filesystem mirror.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${JSON.stringify(address)}]`,
    '  }',
    '  direct {',
    `    exclude = [${JSON.stringify(address)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export async function installProvider(options: InstallOptions): Promise<Installed> {
  const mirror = resolve(options.mirror);
  const packageDir = join(
    mirror,
    providerHost,
    providerNamespace,
    providerType,
    providerVersion,
    osArch(),
  );
  // Laid out afresh: a file of an earlier layout (provider.mjs) would change the folder's hash.
  await rm(packageDir, { recursive: true, force: true });
  await mkdir(packageDir, { recursive: true });
  const prebuilt = globalThis.__telformPrebuiltProvider;
  if (prebuilt === undefined) await bundleProvider(packageDir);
  else {
    for (const file of providerFiles) {
      await copyFile(
        fileURLToPath(new URL(prebuilt + file, import.meta.url)),
        join(packageDir, file),
      );
    }
  }
  const executable = join(packageDir, `terraform-provider-${providerType}_v${providerVersion}`);
  const node = options.nodePath ?? process.execPath;
  await writeFile(
    executable,
    `#!/bin/sh\nexec ${shellQuote(node)} "$(dirname "$0")/${providerLauncherFile}" "$@"\n`,
  );
  await chmod(executable, 0o755);
  const cliConfig = resolve(options.cliConfig);
  await mkdir(dirname(cliConfig), { recursive: true });
  await writeFile(cliConfig, cliConfigText(mirror));
  return { packageDir, executable, cliConfig };
}

/** From the sources: the esbuild bundles and the pre-parsed protocol, as bundle-cli.ts builds them. */
async function bundleProvider(packageDir: string): Promise<void> {
  const { build } = await import('esbuild');
  for (const options of providerBundleOptions(sourceDir, packageDir)) await build(options);
  const protocol = parseProtoFiles(join(sourceDir, 'proto'));
  await writeFile(join(packageDir, protocolJsonFile), JSON.stringify(protocol));
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
