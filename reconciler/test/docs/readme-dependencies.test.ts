import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../../schemas/src/generate.js';

/**
 * The README's "Dependencies and why each is there" table against every package.json: each
 * dependency has a row saying why, no row names a package that is gone, and each dependency is
 * still used (imported, run by a script, or a type package of one).
 */

const manifests = ['package.json', 'schemas', 'emulator', 'reconciler', 'provider'].map((p) =>
  p.endsWith('.json') ? p : `${p}/package.json`,
);
const skipDirs = new Set(['node_modules', 'dist', '.gen', 'cdktf.out', '.telform', '.git']);

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Every .ts/.js source under `dir`, outside installed and built folders. */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (skipDirs.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Package names in the first column of the README's dependency table. */
function dependencyRows(readme: string): string[] {
  const section = readme.split('## Dependencies and why each is there')[1]?.split(/\n## /)[0];
  if (!section) throw new Error('README.md has no "Dependencies and why each is there" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

let dependencies: Map<string, string>;
let rows: string[];
let scripts: string;

beforeAll(async () => {
  dependencies = new Map();
  scripts = '';
  for (const file of manifests) {
    const manifest = JSON.parse(await readFile(join(repositoryRoot, file), 'utf8')) as Manifest;
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      dependencies.set(name, file);
    }
    scripts += Object.values(manifest.scripts ?? {}).join('\n');
  }
  rows = dependencyRows(await readFile(join(repositoryRoot, 'README.md'), 'utf8'));
});

describe("the README's dependency table", () => {
  it('has a row for every dependency and devDependency of every package.json', () => {
    const missing = [...dependencies].filter(([name]) => !rows.includes(name));
    expect(missing.map(([name, file]) => `${name} (${file})`)).toEqual([]);
  });

  it('names no package that no package.json depends on', () => {
    expect(rows.filter((name) => !dependencies.has(name))).toEqual([]);
  });

  it('lists only packages still in use: imported, run by a script, or their types', async () => {
    const text = (
      await Promise.all((await sources(repositoryRoot)).map((f) => readFile(f, 'utf8')))
    ).join('\n');
    const imported = (name: string) =>
      new RegExp(`['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(text);
    const bin = (name: string) => new RegExp(`(^|[\\s&;])(npx )?${name}(\\s|$)`, 'm');
    const used = (name: string): boolean => {
      const typed = /^@types\/(.+)$/.exec(name)?.[1];
      if (typed) return typed === 'node' || used(typed);
      return imported(name) || bin(name).test(scripts);
    };
    expect([...dependencies.keys()].filter((name) => !used(name))).toEqual([]);
  });

  it('reads package names from the first column only', () => {
    // Why: the "why" column names packages too (`node:crypto`, `cookie` 2); they are no rows.
    const readme = [
      '## Dependencies and why each is there',
      '',
      '| package | why |',
      '| --- | --- |',
      '| `a`, `@b/c` (1.x) | uses `d` |',
      '',
      '## Next',
      '| `e` | x |',
    ].join('\n');
    expect(dependencyRows(readme)).toEqual(['a', '@b/c']);
  });
});
