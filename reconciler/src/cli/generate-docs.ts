import { existsSync } from 'node:fs';
/**
 * The second half of `npm run generate`: the registry docs (docs/index.md, docs/resources/,
 * docs/data-sources/) from the provider's whole schema and examples/, and docs/cli.md from the
 * `telform` parser. It lives at the top of the layers because only here are both the provider
 * and the CLI in reach. A test regenerates everything and fails on any difference.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { providerAddress, type GeneratedFile } from '@telform/schemas';
import {
  examplePaths,
  generateProviderDocs,
  kindExample,
  kindImportScript,
} from '@telform/schemas/docs';
import {
  kindsDir,
  listFiles,
  loadKinds,
  repositoryRoot,
  writeGenerated,
} from '@telform/schemas/generate';
import { providerSchemaDocument } from '@telform/provider/schema-document';
import { buildProgram } from './build-program.js';
import { cliReference } from './cli-reference.js';

/** Folders that hold only these generated pages: anything else there is stale and goes. */
export const docsGeneratedDirs = ['docs/resources', 'docs/data-sources'] as const;

async function filesUnder(root: string, dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await listFiles(root, dir)) {
    out.set(relative(dir, path), await readFile(join(root, path), 'utf8'));
  }
  return out;
}

/** The title of a guide: its front matter's `page_title`. */
function guideTitle(file: string, text: string): string {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '';
  const title = /^page_title: (["'])(.+)\1$/m.exec(front)?.[2];
  if (!title) throw new Error(`docs/guides/${file}: front matter with a page_title is missing`);
  return title;
}

/**
 * The parser as a fresh shell builds it: defaults that read the environment (`TELFORM_*`,
 * `DATABASE_URL`, `HOME`) show their documented values, so the page is the same on every machine.
 */
function documentedProgram(): ReturnType<typeof buildProgram> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('TELFORM_') || key === 'DATABASE_URL') delete process.env[key];
  }
  process.env.HOME = '~';
  try {
    return buildProgram();
  } finally {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Every docs file, in memory, from the sources under `root`. */
export async function generateDocsFiles(root: string = repositoryRoot): Promise<GeneratedFile[]> {
  const examples = await filesUnder(root, 'examples');
  const guides = [...(await filesUnder(root, 'docs/guides'))]
    .filter(([file]) => file.endsWith('.md'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, text]) => ({ file, title: guideTitle(file, text) }));
  const schemas = providerSchemaDocument().provider_schemas[providerAddress]!;
  const kinds = await loadKinds(kindsDir);
  return [
    ...generateProviderDocs({ schemas, kinds, examples, guides }),
    { path: 'docs/cli.md', content: cliReference(documentedProgram()) },
  ];
}

/**
 * Starts the example files of a kind that has none (a kind just added), from its
 * `x-telform.example`: they are the kind's to edit from then on, so existing ones are never
 * touched. Hand-written types have no kind to start from; the docs test names their missing files.
 */
async function scaffoldExamples(root: string): Promise<string[]> {
  const written: string[] = [];
  for (const kind of await loadKinds(kindsDir)) {
    const type = kind.dataSource ? 'data-source' : 'resource';
    const paths = examplePaths(type, `telform_${kind.kind}`);
    const files: [string, string][] = [[paths.config, kindExample(kind)]];
    if (!kind.dataSource) files.push([paths.importScript, kindImportScript(kind)]);
    for (const [path, content] of files) {
      const target = join(root, 'examples', path);
      if (existsSync(target)) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
      written.push(`examples/${path}`);
    }
  }
  return written;
}

async function main(): Promise<void> {
  for (const path of await scaffoldExamples(repositoryRoot)) console.log(`started ${path}`);
  const files = await generateDocsFiles();
  const changed = await writeGenerated(repositoryRoot, files, docsGeneratedDirs);
  for (const path of changed) console.log(`wrote ${path}`);
  console.log(`${files.length} docs files, ${changed.length} changed`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
