import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Comes with @cdktf/provider-generator (the same 0.21 release): HCL to Terraform JSON, in WASM.
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../schemas/src/catalog.js';
import { repositoryRoot } from '../../schemas/src/generate.js';
import { schemaProblems } from './schema-conformance.js';
import { haveTerraform, terraformValidate } from './terraform-validate.js';

const hclDir = join(repositoryRoot, 'examples', 'hcl');
if (!haveTerraform) {
  console.warn(
    'SKIPPED: terraform is not on PATH; examples/hcl is neither format-checked nor validated',
  );
}

type Blocks = Record<string, Record<string, Record<string, unknown>[]>>;
let resources: Blocks;

beforeAll(async () => {
  resources = {};
  for (const file of readdirSync(hclDir).filter((f) => f.endsWith('.tf'))) {
    const json = (await parse(file, readFileSync(join(hclDir, file), 'utf8'))) as {
      resource?: Blocks;
    };
    Object.assign(resources, json.resource ?? {});
  }
});

describe('the partner HCL example', () => {
  it.skipIf(!haveTerraform)('is formatted as terraform fmt leaves it', () => {
    const run = spawnSync('terraform', ['fmt', '-check', '-diff', hclDir], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    expect(run.stdout, 'terraform fmt examples/hcl').toBe('');
    expect(run.status).toBe(0);
  });

  it.skipIf(!haveTerraform)('passes terraform validate against the telform provider', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'telform-hcl-'));
    try {
      await cp(hclDir, dir, { recursive: true });
      expect(await terraformValidate(dir)).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sets only attributes the provider schema declares, and every required one', () => {
    const bodies = Object.fromEntries(
      Object.entries(resources).map(([type, named]) => [
        type,
        Object.fromEntries(Object.entries(named).map(([name, [body]]) => [name, body!])),
      ]),
    );
    expect(schemaProblems(catalog, bodies)).toEqual([]);
  });

  it('refers only to resources it declares', () => {
    const text = readdirSync(hclDir)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => readFileSync(join(hclDir, f), 'utf8'))
      .join('\n');
    const referenced = [...text.matchAll(/\b(telform_\w+)\.(\w+)\[/g)].map(
      (m) => `${m[1]}.${m[2]}`,
    );
    expect(referenced.length).toBeGreaterThan(0);
    for (const ref of referenced) {
      const [type, name] = ref.split('.');
      expect(resources[type!]?.[name!], ref).toBeDefined();
    }
  });

  it('covers the same resource types as the CDKTF example', () => {
    const cdktf = readFileSync(
      join(repositoryRoot, 'examples', 'cdktf', 'customer-account.ts'),
      'utf8',
    );
    const fromCdktf = [
      ...new Set([...cdktf.matchAll(/new ([a-zA-Z]+)\.[A-Z]\w+\(/g)].map((m) => m[1]!)),
    ];
    const snake = fromCdktf.map(
      (name) => `telform_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
    );
    expect(Object.keys(resources).sort()).toEqual(snake.sort());
  });
});
