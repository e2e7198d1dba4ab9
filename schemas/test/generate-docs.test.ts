import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KindInfo, SchemaNode } from '../src/catalog.js';
import { generateDocs } from '../src/generate-docs.js';
import { HclExpression, hclBlock } from '../src/generate-hcl.js';
import { kindsDir, loadKinds } from '../src/generate.js';
import { isId } from '../src/ids.js';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const haveTerraform = terraform.status === 0;
if (!haveTerraform) {
  console.warn(
    'SKIPPED: terraform is not on PATH, so the HCL layout is not checked against terraform fmt',
  );
}

/** What `terraform fmt` makes of `source`. */
function terraformFmt(source: string): string {
  const run = spawnSync('terraform', ['fmt', '-'], { input: source, encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`terraform fmt failed: ${run.stderr}`);
  return run.stdout;
}

let kinds: KindInfo[];
let pages: Map<string, string>;

beforeAll(async () => {
  kinds = await loadKinds(kindsDir);
  pages = new Map(generateDocs(kinds).map((f) => [f.path, f.content]));
});

function pageOf(info: KindInfo): string {
  return pages.get(`docs/${info.dataSource ? 'data-sources' : 'resources'}/${info.kind}.md`)!;
}

describe('reference pages', () => {
  it('have the sections Terraform users look for, in order', () => {
    for (const info of kinds) {
      const headings = [...pageOf(info).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const want = [
        'Example Usage',
        'Argument Reference',
        'Attribute Reference',
        ...(info.dataSource ? [] : ['Import']),
      ];
      expect(headings, info.kind).toEqual(want);
    }
  });

  it('list every attribute of the schema, nested ones included', () => {
    for (const info of kinds) {
      const page = pageOf(info);
      const walk = (node: SchemaNode, prefix: string): void => {
        for (const [name, child] of Object.entries(node.properties ?? {})) {
          expect(page, `${info.kind}: ${prefix}${name}`).toMatch(
            new RegExp(`^- \`${name}\` \\(`, 'm'),
          );
          const nested = child.properties ? child : child.items;
          if (nested?.properties) {
            expect(page).toContain(`### Nested Schema for \`${prefix}${name}\``);
            walk(nested, `${prefix}${name}.`);
          }
        }
      };
      walk(info.schema, '');
    }
  });

  it('import with ids of the shape the daemon assigns, for the right kind', () => {
    for (const info of kinds.filter((k) => !k.dataSource)) {
      const id = /terraform import telform_\w+\.example (\S+)/.exec(pageOf(info))?.[1];
      expect(isId(id, [info.kind]), `${info.kind}: ${id}`).toBe(true);
    }
  });

  it('never print a secret from an example: write-only values come from variables', () => {
    const valuesAt = (value: unknown, path: string[]): unknown[] => {
      if (path.length === 0) return [value];
      if (typeof value !== 'object' || value === null) return [];
      const [head, ...rest] = path;
      const child = (value as Record<string, unknown>)[head!.replace('[]', '')];
      const items = head!.endsWith('[]') && Array.isArray(child) ? child : [child];
      return items.flatMap((item) => valuesAt(item, rest));
    };
    let checked = 0;
    for (const info of kinds) {
      for (const secret of info.secrets) {
        for (const literal of valuesAt(info.example, secret.split('.'))) {
          if (typeof literal !== 'string') continue;
          checked++;
          expect(pageOf(info), `${info.kind}.${secret}`).not.toContain(literal);
        }
      }
    }
    expect(checked, 'examples that set a secret').toBeGreaterThan(0);
  });

  it.skipIf(!haveTerraform)('write HCL examples exactly as terraform fmt would', async () => {
    // One terraform run over every example, each in its own file named after its page.
    const dir = await mkdtemp(join(tmpdir(), 'telform-docs-hcl-'));
    try {
      let count = 0;
      for (const [path, page] of pages) {
        for (const [, block] of page.matchAll(/```terraform\n([\s\S]*?)```/g)) {
          await writeFile(join(dir, `${path.replace(/\W/g, '_')}_${count++}.tf`), block!);
        }
      }
      expect(count).toBeGreaterThan(pages.size);
      const run = spawnSync('terraform', ['fmt', '-check', '-list=true', dir], {
        encoding: 'utf8',
        env,
      });
      expect(run.stdout, 'examples that terraform fmt would change').toBe('');
      expect(run.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('hclBlock', () => {
  it.each<{ why: string; values: Record<string, unknown>; want: string }>([
    {
      why: 'template sequences in literals stay literal',
      values: { greeting: 'Hello ${name} %{if x}' },
      want: 'greeting = "Hello $${name} %%{if x}"',
    },
    {
      why: 'references are expressions, not strings',
      values: { account_id: new HclExpression('telform_account.example.id') },
      want: 'account_id = telform_account.example.id',
    },
    {
      why: 'lists of objects put each object on its own lines with a trailing comma',
      values: { keys: [{ position: 1 }] },
      want: 'keys = [\n    {\n      position = 1\n    },\n  ]',
    },
  ])('$why', ({ values, want }) => {
    expect(hclBlock(['resource', 't', 'x'], values)).toBe(`resource "t" "x" {\n  ${want}\n}`);
  });

  it.skipIf(!haveTerraform)('aligns like terraform fmt around multi-line values', () => {
    const block = hclBlock(['resource', 'telform_user', 'x'], {
      a: 1,
      longer_name: 'x',
      nested: { b: true, much_longer: [1, 2] },
      after: null,
      list: [{ x: 1 }, { yy: 'z' }],
      z: [],
    });
    expect(terraformFmt(`${block}\n`)).toBe(`${block}\n`);
  });
});
