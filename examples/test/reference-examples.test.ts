import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../schemas/src/generate.js';
import { haveTerraform, terraformValidate } from './terraform-validate.js';

if (!haveTerraform)
  console.warn('SKIPPED: terraform is not on PATH; reference examples are not validated');

/** Every ```terraform block of the generated reference pages. */
async function referenceExamples(): Promise<string[]> {
  const blocks: string[] = [];
  for (const dir of ['docs/resources', 'docs/data-sources']) {
    for (const name of (await readdir(join(repositoryRoot, dir))).sort()) {
      const page = await readFile(join(repositoryRoot, dir, name), 'utf8');
      blocks.push(...[...page.matchAll(/```terraform\n([\s\S]*?)```/g)].map((m) => m[1]!));
    }
  }
  return blocks;
}

describe('the examples in docs/resources and docs/data-sources', () => {
  // Put together, the pages' examples form one configuration: each page declares its
  // `telform_<kind>.example` and refers to the others' (`telform_account.example.id`).
  it.skipIf(!haveTerraform)(
    'pass terraform validate against the telform provider, all together',
    async () => {
      const blocks = await referenceExamples();
      expect(blocks.length).toBeGreaterThan(10);
      const text = blocks.join('\n');
      const variables = [...new Set([...text.matchAll(/\bvar\.(\w+)/g)].map((m) => m[1]!))].map(
        (name) => `variable "${name}" {\n  type      = string\n  sensitive = true\n}\n`,
      );
      const versions =
        'terraform {\n  required_providers {\n    telform = { source = "telform/telform" }\n  }\n}\n';
      const dir = await mkdtemp(join(tmpdir(), 'telform-reference-'));
      try {
        await writeFile(join(dir, 'main.tf'), [versions, text, ...variables].join('\n'));
        expect(await terraformValidate(dir)).toBe('');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
