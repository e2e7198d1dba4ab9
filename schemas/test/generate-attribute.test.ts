import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaNode } from '../src/catalog.js';
import { generateProviderDocs } from '../src/generate-docs.js';
import { generateFiles, kindsDir, loadKinds, repositoryRoot } from '../src/generate.js';
import { providerAddress, type ProviderSchemaDocument } from '../src/generate-provider-schema.js';
import type { GeneratedFile } from '../src/generate-notice.js';

/**
 * The promise of the generators: add an attribute to one JSON Schema, regenerate, and types,
 * provider schema, constructs and registry pages all follow with no hand edit, and nothing else
 * changes.
 */

type Properties = Record<string, SchemaNode>;

interface Case {
  readonly why: string;
  readonly kind: string;
  readonly edit: (properties: Properties) => void;
  readonly constructFile: string;
  readonly docPage: string;
  readonly expect: {
    readonly types: RegExp;
    readonly providerPath: readonly string[];
    readonly providerAttribute: Record<string, unknown>;
    readonly construct: RegExp;
    readonly docs: RegExp;
  };
}

const cases: Case[] = [
  {
    why: 'an optional top-level string: the everyday case',
    kind: 'user',
    edit: (p) => {
      p.nickname = { type: 'string', maxLength: 40, description: 'What colleagues call the user.' };
    },
    constructFile: 'schemas/generated/cdktf/user/index.ts',
    docPage: 'docs/resources/user.md',
    expect: {
      types: /What colleagues call the user\.\s*\*\/\s*nickname\?: string;/,
      providerPath: ['telform_user', 'nickname'],
      providerAttribute: { type: 'string', optional: true },
      construct: /readonly nickname\?: string;/,
      docs: /### Optional\n[\s\S]*- `nickname` \(String\) What colleagues call the user\. At most 40 characters\./,
    },
  },
  {
    why: 'a read-only counter: computed in Terraform, a getter but no argument in CDKTF',
    kind: 'webhook',
    edit: (p) => {
      p.delivery_count = { type: 'integer', readOnly: true, description: 'Deliveries so far.' };
    },
    constructFile: 'schemas/generated/cdktf/webhook/index.ts',
    docPage: 'docs/resources/webhook.md',
    expect: {
      types: /delivery_count\?: number;/,
      providerPath: ['telform_webhook', 'delivery_count'],
      providerAttribute: { type: 'number', computed: true },
      construct: /public get deliveryCount\(\)/,
      docs: /### Read-Only\n[\s\S]*- `delivery_count` \(Number\) Deliveries so far\./,
    },
  },
  {
    why: 'a field inside a nested object, with a default: optional and computed there',
    kind: 'user',
    edit: (p) => {
      const incoming = p.incoming_calls as { properties: Properties };
      incoming.properties.ring_all = {
        type: 'boolean',
        default: false,
        description: 'Ring every client at once.',
      };
    },
    constructFile: 'schemas/generated/cdktf/user/index.ts',
    docPage: 'docs/resources/user.md',
    expect: {
      types: /ring_all\?: boolean;/,
      providerPath: ['telform_user', 'incoming_calls', 'ring_all'],
      providerAttribute: { type: 'bool', optional: true, computed: true },
      construct: /readonly ringAll\?: boolean \| cdktf\.IResolvable;/,
      docs: /### Nested Schema for `incoming_calls`\n(?:(?!\n### )[\s\S])*Optional:\n\n- `ring_all` \(Boolean\) Ring every client at once\. Defaults to `false`\./,
    },
  },
];

function providerAttribute(schemaJson: string, path: readonly string[]): unknown {
  const doc = JSON.parse(schemaJson) as {
    provider_schemas: Record<
      string,
      { resource_schemas: Record<string, { block: { attributes: object } }> }
    >;
  };
  const [type, ...names] = path;
  let node: unknown = Object.values(doc.provider_schemas)[0]!.resource_schemas[type!]!.block;
  for (const name of names) {
    const attrs =
      (node as { attributes?: object; nested_type?: { attributes: object } }).attributes ??
      (node as { nested_type: { attributes: object } }).nested_type.attributes;
    node = (attrs as Record<string, unknown>)[name];
  }
  return node;
}

let baseline: Map<string, string>;
const temps: string[] = [];

beforeAll(async () => {
  baseline = new Map((await generateAll(kindsDir)).map((f) => [f.path, f.content]));
});

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
  // Leaves schemas/.gen when another run still uses it.
  await rmdir(join(repositoryRoot, 'schemas', '.gen')).catch(() => undefined);
});

/**
 * Everything `npm run generate` writes from the kinds in `dir`: schemas' files, then the
 * registry pages rendered from the provider schema they produce (the provider's hand-written
 * types aside, which no kind edit touches).
 */
async function generateAll(dir: string): Promise<GeneratedFile[]> {
  const files = await generateFiles(dir);
  const schema = files.find((f) => f.path === 'schemas/generated/provider-schema.json')!;
  const document = JSON.parse(schema.content) as ProviderSchemaDocument;
  const docs = generateProviderDocs({
    schemas: document.provider_schemas[providerAddress]!,
    kinds: await loadKinds(dir),
    examples: new Map(),
    guides: [],
  });
  return [...files, ...docs];
}

async function generateEdited(
  kind: string,
  edit: (p: Properties) => void,
): Promise<GeneratedFile[]> {
  const dir = await mkdtemp(join(tmpdir(), 'telform-kinds-'));
  temps.push(dir);
  await cp(kindsDir, dir, { recursive: true });
  const file = join(dir, `${kind}.schema.json`);
  const schema = JSON.parse(await readFile(file, 'utf8')) as { properties: Properties };
  edit(schema.properties);
  await writeFile(file, JSON.stringify(schema, null, 2));
  return generateAll(dir);
}

describe('adding an attribute to one schema and regenerating', () => {
  it.each(cases)('$why', async (c) => {
    const files = await generateEdited(c.kind, c.edit);
    const changed = files.filter((f) => baseline.get(f.path) !== f.content).map((f) => f.path);
    expect(changed.sort()).toEqual(
      [
        'schemas/generated/types.ts',
        'schemas/generated/provider-schema.json',
        // The new attribute is one more property the kind's validator accepts.
        'schemas/generated/validators.ts',
        c.constructFile,
        c.docPage,
      ].sort(),
    );
    const content = (path: string) => files.find((f) => f.path === path)!.content;
    expect(content('schemas/generated/types.ts')).toMatch(c.expect.types);
    expect(
      providerAttribute(content('schemas/generated/provider-schema.json'), c.expect.providerPath),
    ).toMatchObject(c.expect.providerAttribute);
    expect(content(c.constructFile)).toMatch(c.expect.construct);
    expect(content(c.docPage)).toMatch(c.expect.docs);
  });
});

describe('constructs regenerated after adding an attribute', () => {
  it('compile, and type the new attribute (a number where a string belongs is refused)', async () => {
    const files = await generateEdited(cases[0]!.kind, cases[0]!.edit);
    // Inside the repository so that `cdktf` resolves; `.gen` is excluded from lint and typecheck.
    await mkdir(join(repositoryRoot, 'schemas', '.gen'), { recursive: true });
    const dir = await mkdtemp(join(repositoryRoot, 'schemas', '.gen', 'attribute-'));
    temps.push(dir);
    for (const file of files.filter((f) => f.path.endsWith('.ts'))) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await writeFile(join(dir, file.path), file.content);
    }
    const use = (nickname: string) =>
      [
        "import { App, TerraformStack } from 'cdktf';",
        "import { user } from './schemas/generated/cdktf/index.js';",
        "const stack = new TerraformStack(new App(), 'partner');",
        `new user.User(stack, 'u', { accountId: 'a', name: 'n', login: 'al', email: 'e', nickname: ${nickname} });`,
      ].join('\n');
    await writeFile(join(dir, 'use.ts'), use("'Al'"));
    await writeFile(join(dir, 'misuse.ts'), use('42'));
    const root = relative(dir, join(repositoryRoot, 'tsconfig.json'));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: root, include: ['.'], exclude: [] }),
    );
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const errors = run.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^misuse\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  });
});
