/**
 * Import by platform reference with the real terraform CLI: objects a partner made on the
 * platform (never through telform) are adopted by `import {}` blocks with
 * `-generate-config-out`, and by `terraform import` for every managed kind; the adopted
 * configuration then plans no change, a change applies in place, and the staff-made
 * email-address domain can be deleted by the client.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { managedKinds } from '@telform/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedCustomer, type SeededCustomer } from '../../reconciler/test/adopt/seed-platform.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const staffKey = 'staff_import-test-key-0123456789';

/** The platform reference of one object of `kind` in a seeded customer. */
function refOf(customer: SeededCustomer, kind: string): string {
  const info = managedKinds().find((k) => k.kind === kind)!;
  if (kind === 'account' || info.singleton) return `platform:${customer.account}`;
  if (kind === 'user' || kind === 'seat') {
    // Objects of the root account (users alternate between root and the first sub-account).
    const user = customer.users.find((u) => u.account === customer.account)!;
    if (kind === 'user') return `platform:${customer.account}/${user.id}`;
    const index = customer.users.indexOf(user);
    return `platform:${customer.account}/${customer.objects.seat![index]}`;
  }
  return `platform:${customer.account}/${customer.objects[kind]![0]}`;
}

const kinds = managedKinds().map((k) => k.kind);

describeWithTerraform('import by platform reference', () => {
  let ws: TerraformWorkspace;
  let acme: SeededCustomer;
  let globex: SeededCustomer;
  let generated: string;

  beforeAll(async () => {
    ws = await openTerraformWorkspace({ staffKey });
    acme = await seedCustomer(ws.daemon.emulator!, 'acme');
    globex = await seedCustomer(ws.daemon.emulator!, 'globex');
  }, 180_000);
  afterAll(async () => ws?.close());

  it('import blocks with -generate-config-out adopt one object of every kind', async () => {
    const blocks = kinds
      .map((kind) => `import {\n  to = telform_${kind}.this\n  id = "${refOf(acme, kind)}"\n}\n`)
      .join('\n');
    await ws.write('gen', 'main.tf', `${providerBlock}\n${blocks}`);
    expect((await ws.terraform('gen', 'init', '-input=false', '-no-color')).code).toBe(0);
    const plan = await ws.terraform(
      'gen',
      'plan',
      '-no-color',
      '-generate-config-out=generated.tf',
    );
    expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain(
      `Plan: ${kinds.length} to import, 0 to add, 0 to change, 0 to destroy.`,
    );
    generated = await readFile(join(ws.root, 'gen', 'generated.tf'), 'utf8');
    for (const kind of kinds) expect(generated).toContain(`resource "telform_${kind}" "this"`);
  }, 180_000);

  it('applies the imports only, then plans no changes', async () => {
    const apply = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(apply.code, apply.stderr + generated).toBe(0);
    expect(apply.stdout).toContain(
      `Apply complete! Resources: ${kinds.length} imported, 0 added, 0 changed, 0 destroyed.`,
    );
    const plan = await ws.terraform('gen', 'plan', '-no-color', '-detailed-exitcode');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  }, 180_000);

  it('applies a configuration change in place on the adopted user', async () => {
    const user = acme.users.find((u) => u.account === acme.account)!;
    const changed = generated.replace(
      /name(\s+)= "Agent 1 of acme"/,
      'name$1= "Agent One of acme"',
    );
    expect(changed).not.toBe(generated);
    await ws.write('gen', 'generated.tf', changed);
    const apply = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
    const onPlatform = await platformGet(`/v1/accounts/${acme.account}/users/${user.id}`);
    expect(onPlatform.status).toBe(200);
    expect(onPlatform.body.attributes.name).toBe('Agent One of acme');
  }, 180_000);

  it('deletes the staff-made email-address domain once it is adopted', async () => {
    const mail = acme.objects.domain![2]!; // allowed_user, chat, then the staff's email_address
    const domain = `resource "telform_domain" "mail" {
  account_id = telform_account.this.id
  kind       = "email_address"
  name       = "mail.acme.example"
}
`;
    const block = `import {\n  to = telform_domain.mail\n  id = "platform:${acme.account}/${mail}"\n}\n`;
    await ws.write('gen', 'mail.tf', domain + block);
    const adopt = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(adopt.stdout).toContain('Resources: 1 imported, 0 added, 0 changed, 0 destroyed.');
    await ws.write('gen', 'mail.tf', '');
    const destroy = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('Resources: 0 added, 0 changed, 1 destroyed.');
    expect((await platformGet(`/v1/accounts/${acme.account}/domains/${mail}`)).status).toBe(404);
  }, 180_000);

  it('declaring an object the platform already holds fails with the import that adopts it', async () => {
    const user = acme.users.filter((u) => u.account === acme.account)[1]!;
    const ref = `platform:${acme.account}/${user.id}`;
    const declared = `resource "telform_user" "legacy" {
  account_id = telform_account.this.id
  name       = "Legacy agent"
  login      = "${user.login}"
  email      = "${user.login}@acme.example"
}
`;
    await ws.write('gen', 'legacy.tf', declared);
    const failed = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(failed.code).not.toBe(0);
    // What terraform printed, line by line, its box drawing taken off.
    const printed = failed.stderr.split('\n').map((line) => line.replace(/^[│╷╵] ?/, ''));
    const said = printed.join(' ').replace(/\s+/g, ' ');
    expect(said).toContain('AlreadyExists');
    expect(said).toContain(`already exists on the platform as ${ref}`);
    // Not left tainted in the state: the printed import can take the address at once.
    const listed = await ws.terraform('gen', 'state', 'list');
    expect(listed.stdout).not.toContain('telform_user.legacy');
    // The command, copied as printed with <name> filled in, is one terraform import runs.
    const command = printed.map((l) => l.trim()).find((l) => l.startsWith('terraform import '));
    expect(command).toBe(`terraform import 'telform_user.<name>' ${ref}`);
    const [address, id] = command!
      .split(' ')
      .slice(2)
      .map((arg) => arg.replace(/^'(.*)'$/, '$1').replace('<name>', 'legacy'));
    const imported = await ws.terraform('gen', 'import', '-no-color', address!, id!);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await ws.terraform('gen', 'state', 'rm', address!)).code).toBe(0);
    // So is the block: copied line for line, <name> filled in, and applied.
    const start = printed.indexOf('import {');
    const block = printed.slice(start, printed.indexOf('}', start) + 1).join('\n');
    expect(block).toBe(`import {\n  to = telform_user.<name>\n  id = "${ref}"\n}`);
    await ws.write('gen', 'legacy.tf', `${declared}${block.replace('<name>', 'legacy')}\n`);
    const adopted = await ws.terraform('gen', 'apply', '-auto-approve', '-no-color');
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toMatch(/Resources: 1 imported, 0 added, [01] changed, 0 destroyed\./);
    await ws.write('gen', 'legacy.tf', '');
  }, 180_000);

  it.each(kinds)(
    'terraform import telform_%s by platform reference',
    async (kind) => {
      if (kind === kinds[0]) await ws.write('cli', 'main.tf', providerBlock + generated);
      if (kind === kinds[0])
        expect((await ws.terraform('cli', 'init', '-input=false', '-no-color')).code).toBe(0);
      const ref = refOf(globex, kind);
      const out = await ws.terraform('cli', 'import', '-no-color', `telform_${kind}.this`, ref);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('Import successful!');
      const shown = await ws.terraform('cli', 'state', 'show', '-no-color', `telform_${kind}.this`);
      expect(shown.stdout).toMatch(new RegExp(`id\\s+= "${kind}_[0-9a-z]{26}"`));
      // What the platform holds for globex, not the acme values of the configuration.
      if (kind === 'user')
        expect(shown.stdout).toContain(
          globex.users.find((u) => u.account === globex.account)!.login,
        );
    },
    60_000,
  );

  async function platformGet(path: string) {
    const emu = ws.daemon.emulator!;
    const res = await fetch(`${emu.url}${path}`, {
      headers: { authorization: `Bearer ${emu.partnerKey}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as { attributes: Record<string, unknown> },
    };
  }
});
