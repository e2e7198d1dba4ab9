/**
 * The CDKTF partner example (examples/cdktf), synthesized with plain node and applied with the
 * real terraform CLI through the installed provider, against a daemon and emulator started here.
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  openTerraformWorkspace,
  describeWithTerraform,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const repositoryRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const stackDir = join('cdktf', 'stacks', 'partner');

describeWithTerraform('the CDKTF partner example, applied', () => {
  let ws: TerraformWorkspace;

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    const synth = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'examples/cdktf/main.ts', join(ws.root, 'cdktf')],
      {
        cwd: repositoryRoot,
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      },
    );
    if (synth.status !== 0) throw new Error(`synth failed (${synth.status}):\n${synth.stderr}`);
    // cdktf writes an absolute local-backend path (the app's folder): keep the state in the temp dir.
    const file = join(ws.root, stackDir, 'cdk.tf.json');
    const stack = JSON.parse(await readFile(file, 'utf8'));
    stack.terraform.backend = { local: { path: join(ws.root, stackDir, 'terraform.tfstate') } };
    await writeFile(file, JSON.stringify(stack, null, 2));
  }, 180_000);
  afterAll(async () => ws?.close());

  it('applies the synthesized stack, then plans no changes, then destroys it', async () => {
    const vars = [
      '-var',
      'acme_webhook_password=acme-webhook-secret',
      '-var',
      'globex_webhook_password=globex-webhook-secret',
    ];
    const init = await ws.terraform(stackDir, 'init', '-input=false', '-no-color');
    expect(init.stderr).toBe('');
    const apply = await ws.terraform(
      stackDir,
      'apply',
      '-auto-approve',
      '-no-color',
      '-input=false',
      ...vars,
    );
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
    const state = await readFile(join(ws.root, stackDir, 'terraform.tfstate'), 'utf8');
    expect(state).not.toContain('acme-webhook-secret');
    const accounts = JSON.parse(state)
      .resources.filter((r: { type: string }) => r.type === 'telform_account')
      .map((r: { instances: { attributes: { id: string } }[] }) => r.instances[0]!.attributes.id);
    expect(accounts).toHaveLength(2);
    const client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
    for (const id of accounts)
      expect((await client.get('account', id))?.status.applied_generation).toBeGreaterThan(0);

    const plan = await ws.terraform(
      stackDir,
      'plan',
      '-detailed-exitcode',
      '-no-color',
      '-input=false',
      ...vars,
    );
    expect(plan.stdout).toContain('No changes.');
    const destroy = await ws.terraform(
      stackDir,
      'destroy',
      '-auto-approve',
      '-no-color',
      '-input=false',
      ...vars,
    );
    expect(destroy.stderr).toBe('');
    for (const id of accounts) expect(await client.get('account', id)).toBeNull();
  }, 300_000);
});
