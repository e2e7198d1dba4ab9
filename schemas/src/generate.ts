/**
 * `npm run generate`: every file derived from `schemas/kinds/*.schema.json` (types, provider
 * schema, validators, CDKTF constructs, coverage), written under the repository root. A test regenerates
 * into a temporary directory and fails on any difference. The registry docs need the provider's
 * whole schema and the CLI's parser: reconciler/src/cli/generate-docs.ts writes them next.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeKind, type KindInfo } from './catalog.js';
import { generateConstructs } from './generate-constructs.js';
import { generateCoverage } from './generate-coverage.js';
import { buildProviderSchema, generateProviderSchema } from './generate-provider-schema.js';
import { generateTypes } from './generate-types.js';
import { generateValidators } from './generate-validators.js';
import type { GeneratedFile } from './generate-notice.js';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const kindsDir = join(repositoryRoot, 'schemas', 'kinds');

/** Directories that hold only generated files: anything there that is not generated goes. */
export const generatedDirs = ['schemas/generated'] as const;

/** Every kind file of `dir`, in the catalogue's order (alphabetical by kind). */
export async function loadKinds(dir: string): Promise<KindInfo[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.schema.json')).sort();
  const kinds: KindInfo[] = [];
  for (const name of names) {
    const file: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
    const info = describeKind(file);
    if (`${info.kind}.schema.json` !== name) {
      throw new Error(
        `${name}: x-telform.kind is "${info.kind}"; the file must be ${info.kind}.schema.json`,
      );
    }
    kinds.push(info);
  }
  return kinds.sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Every generated file for the kinds in `dir`, in memory. */
export async function generateFiles(dir: string): Promise<GeneratedFile[]> {
  const kinds = await loadKinds(dir);
  const [types, constructs] = await Promise.all([
    generateTypes(kinds, dir),
    generateConstructs(buildProviderSchema(kinds)),
  ]);
  return [
    types,
    generateProviderSchema(kinds),
    generateValidators(kinds),
    ...constructs,
    generateCoverage(kinds),
  ];
}

/** Every file under `dir`, as paths relative to `root`; none when it does not exist. */
export async function listFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Writes `files` under `root`, skipping unchanged ones, and deletes stale generated files. */
export async function writeGenerated(
  root: string,
  files: readonly GeneratedFile[],
  dirs: readonly string[] = generatedDirs,
): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path));
  for (const dir of dirs) {
    for (const path of await listFiles(root, dir)) {
      if (!wanted.has(path)) await rm(join(root, path));
    }
  }
  const changed: string[] = [];
  for (const file of files) {
    const target = join(root, file.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    changed.push(file.path);
  }
  return changed;
}

async function main(): Promise<void> {
  const started = performance.now();
  const files = await generateFiles(kindsDir);
  const changed = await writeGenerated(repositoryRoot, files);
  const ms = Math.round(performance.now() - started);
  for (const path of changed) console.log(`wrote ${path}`);
  console.log(`${files.length} generated files, ${changed.length} changed, in ${ms} ms`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
