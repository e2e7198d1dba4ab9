/**
 * `telform export --from-platform` adopted by the real terraform CLI, in each of its three
 * formats: two customers a partner made on the platform (sub-accounts, 50+ users with seats,
 * domains of all three kinds, webhooks, SSO, a location, templates, devices) that telform has
 * never seen are exported; `terraform plan` shows only imports; apply; the next plan shows no
 * changes; a configuration change then applies in place. One seeded platform serves every
 * format, each with its own two customers, so each starts from accounts telform never saw.
 */
import { spawnSync } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../reconciler/src/cli/cli-target.js';
import { registerExportCommand } from '../../reconciler/src/cli/commands/export.js';
import { seedCustomer, type SeededCustomer } from '../../reconciler/test/adopt/seed-platform.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const repositoryRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const users = 52;

interface FormatCase {
  readonly format: 'hcl' | 'json' | 'cdktf';
  readonly tags: readonly [string, string];
  /** The file the export is written to, in the case's folder. */
  readonly file: string;
  /** The folder terraform runs in (the synthesized stack for cdktf). */
  readonly terraformDir: string;
  /** Edits the exported text: renames the first user of the first customer. */
  readonly rename: (text: string, tag: string) => string;
}

const renameLiteral = (text: string, tag: string) =>
  text.replace(`"Agent 1 of ${tag}"`, `"Agent One of ${tag}"`);

const cases: readonly FormatCase[] = [
  {
    format: 'hcl',
    tags: ['acme', 'globex'],
    file: 'main.tf',
    terraformDir: '.',
    rename: renameLiteral,
  },
  {
    format: 'json',
    tags: ['initech', 'umbrella'],
    file: 'main.tf.json',
    terraformDir: '.',
    rename: renameLiteral,
  },
  {
    format: 'cdktf',
    tags: ['hooli', 'vandelay'],
    file: 'main.ts',
    terraformDir: join('cdktf.out', 'stacks', 'telform-import'),
    rename: renameLiteral,
  },
];

describeWithTerraform('telform export --from-platform, adopted by terraform', () => {
  let ws: TerraformWorkspace;
  const seeded = new Map<string, SeededCustomer>();

  beforeAll(async () => {
    ws = await openTerraformWorkspace({ staffKey: 'staff_export-cli-test-key-012345' });
    for (const { tags } of cases) {
      for (const tag of tags)
        seeded.set(tag, await seedCustomer(ws.daemon.emulator!, tag, { users }));
    }
  }, 300_000);
  afterAll(async () => ws?.close());

  async function exportCli(args: string[]): Promise<string> {
    let out = '';
    let err = '';
    const io: CliIo = {
      env: { TELFORM_ENDPOINT: ws.daemon.url, TELFORM_TOKEN: ws.token },
      out: (text) => void (out += text),
      fail: (message) => void (err += message),
    };
    const program = new Command('telform').exitOverride();
    registerExportCommand(program, io);
    await program.parseAsync(['node', 'telform', 'export', '--from-platform', ...args]);
    expect(err).toBe('');
    return out;
  }

  /** cdktf only: runs the app with plain node, as a user would (`npx tsx main.ts`). */
  async function synth(dir: string): Promise<void> {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts', 'cdktf.out'], {
      cwd: join(ws.root, dir),
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stderr}`);
  }

  describe.each(cases)('$format', (c) => {
    const dir = `export-${c.format}`;
    const tfDir = join(dir, c.terraformDir);
    let text: string;
    const [first, second] = c.tags;

    it('exports both customers, then plans imports only', async () => {
      const accounts = [seeded.get(first)!.account, seeded.get(second)!.account];
      const args = ['--format', c.format, ...accounts.flatMap((a) => ['--account', a])];
      if (c.format === 'cdktf') {
        // The constructs generated from the provider schema (`npm run generate`).
        const constructs = join(repositoryRoot, 'schemas', 'generated', 'cdktf', 'index.js');
        args.push('--constructs-module', constructs);
      }
      text = await exportCli(args);
      expect(text).not.toContain(`${first}-hook-secret`);
      await ws.write(dir, c.file, text);
      if (c.format === 'cdktf') {
        // The app imports cdktf and constructs as a user's project would: from its node_modules.
        await symlink(join(repositoryRoot, 'node_modules'), join(ws.root, dir, 'node_modules'));
        await synth(dir);
      }
      const init = await ws.terraform(tfDir, 'init', '-input=false', '-no-color');
      expect(init.code, init.stderr).toBe(0);
      if (c.format === 'hcl') {
        expect((await ws.terraform(tfDir, 'fmt', '-check', '-no-color')).code).toBe(0);
      }
      const plan = await ws.terraform(tfDir, 'plan', '-no-color', '-input=false');
      expect(plan.code, plan.stderr).toBe(0);
      const imports = Number(
        /Plan: (\d+) to import, 0 to add, 0 to change, 0 to destroy\./.exec(plan.stdout)?.[1],
      );
      // Every object of both customers: at least their users and seats.
      expect(imports, plan.stdout.slice(-2000)).toBeGreaterThan(4 * users);
    }, 600_000);

    it('applies the imports, then plans no changes', async () => {
      const apply = await ws.terraform(
        tfDir,
        'apply',
        '-auto-approve',
        '-no-color',
        '-input=false',
      );
      expect(apply.code, apply.stderr).toBe(0);
      expect(apply.stdout).toMatch(/Resources: \d+ imported, 0 added, 0 changed, 0 destroyed\./);
      const plan = await ws.terraform(
        tfDir,
        'plan',
        '-detailed-exitcode',
        '-no-color',
        '-input=false',
      );
      expect(plan.stdout + plan.stderr).toContain('No changes.');
      expect(plan.code).toBe(0);
    }, 600_000);

    it('applies a configuration change in place', async () => {
      const changed = c.rename(text, first);
      expect(changed).not.toBe(text);
      await ws.write(dir, c.file, changed);
      if (c.format === 'cdktf') await synth(dir);
      const apply = await ws.terraform(
        tfDir,
        'apply',
        '-auto-approve',
        '-no-color',
        '-input=false',
      );
      expect(apply.code, apply.stderr).toBe(0);
      expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
      const customer = seeded.get(first)!;
      const user = customer.users.find((u) => u.login === `${first}-agent-001`)!;
      const emu = ws.daemon.emulator!;
      const res = await fetch(`${emu.url}/v1/accounts/${user.account}/users/${user.id}`, {
        headers: { authorization: `Bearer ${emu.partnerKey}` },
      });
      const body = (await res.json()) as { attributes: Record<string, unknown> };
      expect(body.attributes.name).toBe(`Agent One of ${first}`);
      const state = await readFile(join(ws.root, tfDir, 'terraform.tfstate'), 'utf8');
      expect(state).not.toContain(`${first}-password-1`);
    }, 600_000);
  });
});
