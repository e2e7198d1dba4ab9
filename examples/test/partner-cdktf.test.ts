import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../schemas/src/generate.js';
import { catalog } from '../../schemas/src/catalog.js';
import { schemaProblems } from './schema-conformance.js';
import { haveTerraform, terraformValidate } from './terraform-validate.js';

/** The synthesized stack: Terraform JSON as `terraform` reads it. */
interface TerraformJson {
  provider: Record<string, unknown[]>;
  terraform: {
    required_providers: Record<string, { source: string; version: string }>;
    backend?: { local?: { path?: string } };
  };
  variable: Record<string, { sensitive?: boolean }>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

if (!haveTerraform)
  console.warn('SKIPPED: terraform is not on PATH; the synthesized stack is not validated');

let outdir: string;
let stack: TerraformJson;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'telform-cdktf-'));
  // Plain node with the tsx loader: no cdktf-cli involved.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/cdktf/main.ts', outdir], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stderr}`);
  stack = JSON.parse(
    await readFile(join(outdir, 'stacks', 'partner', 'cdk.tf.json'), 'utf8'),
  ) as TerraformJson;
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

/** Resources of one type whose construct path starts with the customer's name. */
function of(type: string, customer: string): Record<string, unknown>[] {
  return Object.entries(stack.resource[type] ?? {})
    .filter(([name]) => name.startsWith(`${customer}_`))
    .map(([, body]) => body);
}

/** The resource name behind `${type.name.id}`, checked to exist in the stack. */
function referenced(expression: unknown, type: string): Record<string, unknown> {
  const match = /^\$\{(telform_[a-z_]+)\.([^.]+)\.id\}$/.exec(String(expression));
  expect(match, `${String(expression)} should reference a ${type}`).not.toBeNull();
  expect(match![1]).toBe(type);
  const target = stack.resource[type]?.[match![2]!];
  expect(target, `${String(expression)} points at a resource in the stack`).toBeDefined();
  return target!;
}

describe('the partner CDKTF example', () => {
  it('uses the telform/telform provider, with one configuration and no token in code', () => {
    expect(stack.terraform.required_providers.telform?.source).toBe('telform/telform');
    expect(stack.provider.telform).toEqual([{}]);
  });

  it('keeps the state path relative, so cdk.tf.json holds no path of this machine', () => {
    expect(stack.terraform.backend?.local?.path).toBe('terraform.tfstate');
    expect(JSON.stringify(stack)).not.toContain(outdir);
  });

  it('declares one webhook password variable per customer, as the README names them', async () => {
    const readme = await readFile(join(repositoryRoot, 'examples', 'README.md'), 'utf8');
    const passwords = Object.keys(stack.variable).filter((v) => v.endsWith('_webhook_password'));
    expect(passwords.sort()).toEqual(['acme_webhook_password', 'globex_webhook_password']);
    for (const name of passwords) expect(readme).toContain(`TF_VAR_${name}`);
  });

  it.each([
    ['acme', 2],
    ['globex', 1],
  ])('gives customer %s the whole scenario (%i agents)', (customer, agents) => {
    const [account] = of('telform_account', customer);
    const [branch] = of('telform_sub_account', customer);
    expect(account).toBeDefined();
    expect(referenced(branch!.account_id, 'telform_account')).toBe(account);
    expect(branch!.seat_limit).toEqual(expect.any(Number));
    const users = of('telform_user', customer);
    expect(users).toHaveLength(agents);
    for (const user of users) {
      expect(referenced(user.account_id, 'telform_sub_account')).toBe(branch);
      expect(user).toMatchObject({
        incoming_calls: { mode: 'enabled' },
        outgoing_calls: { mode: expect.any(String) },
      });
    }
    const seats = of('telform_seat', customer);
    expect(seats.map((s) => referenced(s.user_id, 'telform_user'))).toEqual(users);
    const [hook] = of('telform_webhook', customer);
    expect(hook).toMatchObject({ rights: { users: true }, authentication: { enabled: true } });
    const [sso] = of('telform_sso_connector', customer);
    expect(referenced(sso!.account_id, 'telform_account')).toBe(account);
    const [office] = of('telform_location', customer);
    expect(office!.emergency_notification_recipients).toEqual([expect.stringContaining('@')]);
    const [phone] = of('telform_device', customer);
    expect(referenced(phone!.location_id, 'telform_location')).toBe(office);
    referenced(phone!.button_template_id, 'telform_button_template');
  });

  it('takes webhook passwords from sensitive variables, never literals', () => {
    for (const hook of Object.values(stack.resource.telform_webhook ?? {})) {
      const password = (hook.authentication as { password: string }).password;
      const variable = /^\$\{var\.([a-z_]+)\}$/.exec(password)?.[1];
      expect(variable, password).toBeDefined();
      expect(stack.variable[variable!]?.sensitive).toBe(true);
    }
  });

  it('sets only attributes the provider schema declares, and every required one', () => {
    expect(schemaProblems(catalog, stack.resource)).toEqual([]);
  });

  it.skipIf(!haveTerraform)('passes terraform validate against the telform provider', async () => {
    expect(await terraformValidate(join(outdir, 'stacks', 'partner'))).toBe('');
  });
});
