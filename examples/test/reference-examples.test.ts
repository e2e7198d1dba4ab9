import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../schemas/src/generate.js';
import { haveTerraform, terraformValidate } from './terraform-validate.js';

if (!haveTerraform)
  console.warn('SKIPPED: terraform is not on PATH; the registry examples are not validated');

const examplesDir = join(repositoryRoot, 'examples');

/**
 * The configuration files tfplugindocs reads into the pages: examples/provider/provider.tf,
 * examples/resources/<type>/resource.tf and examples/data-sources/<type>/data-source.tf.
 */
async function registryExamples(): Promise<{ path: string; text: string }[]> {
  const out = [{ path: 'provider/provider.tf', text: '' }];
  for (const [dir, file] of [
    ['resources', 'resource.tf'],
    ['data-sources', 'data-source.tf'],
  ] as const) {
    for (const type of (await readdir(join(examplesDir, dir))).sort()) {
      out.push({ path: `${dir}/${type}/${file}`, text: '' });
    }
  }
  for (const example of out) example.text = await readFile(join(examplesDir, example.path), 'utf8');
  return out;
}

describe('the registry examples under examples/', () => {
  // Put together, they form one configuration: each declares its `telform_<kind>.example` and
  // refers to the others' (`telform_account.example.id`); provider.tf brings the provider.
  it.skipIf(!haveTerraform)(
    'pass terraform validate against the telform provider, all together',
    async () => {
      const examples = await registryExamples();
      expect(examples.length).toBeGreaterThan(20);
      const text = examples.map((e) => `# ${e.path}\n${e.text}`).join('\n');
      const variables = [...new Set([...text.matchAll(/\bvar\.(\w+)/g)].map((m) => m[1]!))].map(
        (name) => `variable "${name}" {\n  type      = string\n  sensitive = true\n}\n`,
      );
      const dir = await mkdtemp(join(tmpdir(), 'telform-reference-'));
      try {
        await writeFile(join(dir, 'main.tf'), [text, ...variables].join('\n'));
        expect(await terraformValidate(dir)).toBe('');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!haveTerraform)('are formatted as terraform fmt leaves them', () => {
    const dirs = ['provider', 'resources', 'data-sources'].map((d) => join(examplesDir, d));
    const run = spawnSync('terraform', ['fmt', '-check', '-recursive', '-list=true', ...dirs], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    expect(run.stdout, 'examples that terraform fmt would change').toBe('');
    expect(run.status, run.stderr).toBe(0);
  });
});
