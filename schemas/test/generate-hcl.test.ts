import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HclExpression, hclBlock } from '../src/generate-hcl.js';

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
