import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerAddress } from '@telform/schemas';
import type { DocAttribute, DocSchema } from '@telform/schemas/docs';
import { installProvider } from '@telform/provider/install';
import { providerSchemaDocument } from '@telform/provider/schema-document';

/**
 * The registry pages are generated from `providerSchemaDocument()`, as tfplugindocs generates
 * them from `terraform providers schema -json`. This holds the two together: what the real
 * provider tells the real terraform CLI is exactly what the pages describe.
 */

const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const haveTerraform = spawnSync('terraform', ['version'], { env }).status === 0;
if (!haveTerraform) console.warn('SKIPPED: terraform is not on PATH; docs schema not compared');

type Flags = Record<string, unknown>;

/** What a page shows of an attribute: its group, flags and type, nested ones by path. */
function shape(schema: DocSchema | undefined): Flags {
  const out: Flags = {};
  const walk = (attributes: Readonly<Record<string, DocAttribute>>, prefix: string) => {
    for (const [name, a] of Object.entries(attributes)) {
      out[`${prefix}${name}`] = {
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true,
        write_only: a.write_only === true,
        type: a.type ?? a.nested_type?.nesting_mode,
        description: a.description ?? '',
      };
      if (a.nested_type) walk(a.nested_type.attributes, `${prefix}${name}.`);
    }
  };
  walk(schema?.block.attributes ?? {}, '');
  return { description: schema?.block.description ?? '', attributes: out };
}

describe('the schema the docs are generated from', () => {
  it.skipIf(!haveTerraform)('is what terraform providers schema -json prints', async () => {
    const root = await mkdtemp(join(tmpdir(), 'telform-docs-schema-'));
    try {
      const installed = await installProvider({
        mirror: join(root, 'mirror'),
        cliConfig: join(root, 'cli.tfrc'),
      });
      const dir = join(root, 'config');
      await mkdir(dir);
      await writeFile(
        join(dir, 'main.tf'),
        'terraform {\n  required_providers {\n    telform = { source = "telform/telform" }\n  }\n}\n',
      );
      const run = (...args: string[]) =>
        spawnSync('terraform', args, {
          cwd: dir,
          env: { ...env, TF_CLI_CONFIG_FILE: installed.cliConfig },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
      const init = run('init', '-backend=false', '-input=false', '-no-color');
      expect(init.status, init.stdout + init.stderr).toBe(0);
      const printed = run('providers', 'schema', '-json');
      expect(printed.status, printed.stderr).toBe(0);
      const terraform = (
        JSON.parse(printed.stdout) as {
          provider_schemas: Record<
            string,
            ReturnType<typeof providerSchemaDocument>['provider_schemas'][string]
          >;
        }
      ).provider_schemas[providerAddress]!;
      const ours = providerSchemaDocument().provider_schemas[providerAddress]!;
      expect(Object.keys(ours.resource_schemas).length).toBeGreaterThan(15);
      expect(shape(terraform.provider)).toEqual(shape(ours.provider));
      for (const key of ['resource_schemas', 'data_source_schemas'] as const) {
        expect(Object.keys(terraform[key]).sort(), key).toEqual(Object.keys(ours[key]).sort());
        for (const name of Object.keys(ours[key])) {
          expect(shape(terraform[key][name]), name).toEqual(shape(ours[key][name]));
        }
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
