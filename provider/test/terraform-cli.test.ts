/**
 * The provider driven by the real terraform CLI against a daemon and emulator started here:
 * the lifecycle a user goes through, one step per test, in order.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  openTerraformWorkspace,
  providerBlock,
  describeWithTerraform,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const repositoryRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const account = (name: string) => `
resource "telform_account" "acme" {
  name    = "${name}"
  email   = "admin@acme.example"
  country = "FR"
}
`;
const user = (login: string, name: string) => `
resource "telform_user" "alice" {
  account_id = telform_account.acme.id
  name       = "${name}"
  login      = "${login}"
  email      = "alice@acme.example"
  password   = "correct-horse-battery"
  privileges = { transfer = true }
}
`;

const bob = `
resource "telform_user" "bob" {
  account_id = telform_account.acme.id
  name       = "Bob"
  login      = "bob"
  email      = "bob@acme.example"
}
`;

describeWithTerraform('terraform CLI', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;
  const dir = 'main';
  const config = (text: string) => ws.write(dir, 'main.tf', providerBlock + text);
  const state = async () =>
    JSON.parse(await readFile(join(ws.root, dir, 'terraform.tfstate'), 'utf8'));
  const idOf = async (address: string) => {
    const [type, name] = address.split('.');
    const found = (await state()).resources.find(
      (r: { type: string; name: string }) => r.type === type && r.name === name,
    );
    return found?.instances[0]?.attributes.id as string;
  };

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  it('inits offline from the mirror and plans a create with unknown ids', async () => {
    await config(account('Acme') + user('alice', 'Alice'));
    const init = await ws.terraform(dir, 'init', '-input=false', '-no-color');
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('Installing telform/telform v0.1.0');
    const lock = await readFile(join(ws.root, dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toMatch(/h1:/);
    const plan = await ws.terraform(dir, 'plan', '-no-color');
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    expect(plan.stdout).toMatch(/id\s+= \(known after apply\)/);
    expect(plan.stdout).toContain('(write-only attribute)');
  });

  it('reports schema violations on the attribute, ignoring values not known yet', async () => {
    await ws.write(
      'invalid',
      'main.tf',
      providerBlock +
        `
resource "telform_account" "bad" {
  name    = "Bad"
  email   = "not-an-email"
  country = "fr"
}
resource "telform_user" "later" {
  account_id = telform_account.bad.id
  name       = "Later"
  login      = "later"
  email      = "later@acme.example"
}
`,
    );
    expect((await ws.terraform('invalid', 'init', '-input=false', '-no-color')).code).toBe(0);
    const validate = await ws.terraform('invalid', 'validate', '-no-color');
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(
      /line 10, in resource "telform_account" "bad":\s+10:\s+email\s+= "not-an-email"/,
    );
    expect(validate.stderr).toMatch(
      /line 11, in resource "telform_account" "bad":\s+11:\s+country = "fr"/,
    );
    // account_id is unknown until the account exists: no error about it.
    expect(validate.stderr).not.toContain('telform_user.later');
  });

  it('shows Terraform exactly the generated provider schema', async () => {
    const shown = await ws.terraform(dir, 'providers', 'schema', '-json');
    const address = 'registry.terraform.io/telform/telform';
    const served = JSON.parse(shown.stdout).provider_schemas[address];
    const generated = JSON.parse(
      await readFile(join(repositoryRoot, 'schemas', 'generated', 'provider-schema.json'), 'utf8'),
    ).provider_schemas[address];
    expect(served.provider).toEqual(generated.provider);
    expect(served.resource_schemas).toMatchObject(generated.resource_schemas);
    // telform_drift_policy is not a kind: its schema is written in the provider.
    expect(Object.keys(served.resource_schemas).sort()).toEqual(
      [...Object.keys(generated.resource_schemas), 'telform_drift_policy'].sort(),
    );
    expect(served.data_source_schemas).toMatchObject(generated.data_source_schemas);
    expect(Object.keys(served.data_source_schemas)).toContain('telform_drift');
    expect(Object.keys(served.data_source_schemas)).toContain('telform_platform_activity');
  });

  it('applies, waits for the platform, and keeps the password out of the state', async () => {
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    const raw = await readFile(join(ws.root, dir, 'terraform.tfstate'), 'utf8');
    expect(raw).not.toContain('correct-horse-battery');
    const created = await client.get('user', await idOf('telform_user.alice'));
    expect(created?.status.applied_generation).toBe(created?.generation);
    expect(created?.secrets_set).toContain('password');
  });

  it('plans no changes right after an apply', async () => {
    const plan = await ws.terraform(dir, 'plan', '-detailed-exitcode', '-no-color');
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('updates in place', async () => {
    await config(account('Acme Support') + user('alice', 'Alice'));
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
    const acme = await client.get('account', await idOf('telform_account.acme'));
    expect(acme?.spec.name).toBe('Acme Support');
  });

  it('replaces a resource when a force-new attribute changes', async () => {
    const before = await idOf('telform_user.alice');
    await config(account('Acme Support') + user('alice.martin', 'Alice'));
    const plan = await ws.terraform(dir, 'plan', '-no-color');
    expect(plan.stdout).toMatch(/login\s+= "alice" -> "alice.martin" # forces replacement/);
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stdout).toContain('Resources: 1 added, 0 changed, 1 destroyed.');
    expect(await idOf('telform_user.alice')).not.toBe(before);
    expect(await client.get('user', before)).toBeNull();
  });

  it('imports a resource created through the API, by its id', async () => {
    const accountId = await idOf('telform_account.acme');
    const made = await client.create('user', {
      account_id: accountId,
      name: 'Bob',
      login: 'bob',
      email: 'bob@acme.example',
    });
    await config(account('Acme Support') + user('alice.martin', 'Alice') + bob);
    const imported = await ws.terraform(dir, 'import', '-no-color', 'telform_user.bob', made.id);
    expect(imported.stdout).toContain('Import successful!');
    const plan = await ws.terraform(dir, 'plan', '-detailed-exitcode', '-no-color');
    expect(plan.stdout).toContain('No changes.');
  });

  it('shows a platform refusal as a diagnostic on the attribute, and keeps the created resource tracked', async () => {
    const agent = (name: string) => `
resource "telform_user" "${name}" {
  account_id = telform_sub_account.lyon.id
  name       = "${name}"
  login      = "${name}"
  email      = "${name}@acme.example"
}
resource "telform_seat" "${name}" {
  account_id = telform_sub_account.lyon.id
  user_id    = telform_user.${name}.id${name === 'dave' ? '\n  depends_on = [telform_seat.carol]' : ''}
}
`;
    const lyon = `
resource "telform_sub_account" "lyon" {
  account_id = telform_account.acme.id
  name       = "Lyon"
  seat_limit = 1
}
`;
    await config(
      account('Acme Support') +
        user('alice.martin', 'Alice') +
        bob +
        lyon +
        agent('carol') +
        agent('dave'),
    );
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/was not created on the platform\s+with telform_seat\.dave/);
    expect(apply.stderr).toMatch(/seat/i);
    const list = await ws.terraform(dir, 'state', 'list');
    expect(list.stdout).toContain('telform_seat.dave');
    const plan = await ws.terraform(dir, 'plan', '-no-color');
    expect(plan.stdout).toMatch(/telform_seat\.dave is tainted/);
  });

  it('reads limits, seat usage and the histories through data sources', async () => {
    await ws.write(
      dir,
      'data.tf',
      `
data "telform_limits" "acme" { account_id = telform_account.acme.id }
data "telform_seat_usage" "lyon" { account_id = telform_sub_account.lyon.id }
data "telform_deletion_history" "acme" { account_id = telform_account.acme.id }
data "telform_seat_log" "lyon" { account_id = telform_sub_account.lyon.id }
data "telform_webhook_history" "acme" { account_id = telform_account.acme.id }
output "max_users" { value = data.telform_limits.acme.max_users }
output "seat_events" { value = data.telform_seat_log.lyon }
output "lyon_assigned" { value = data.telform_seat_usage.lyon.assigned }
`,
    );
    const refresh = await ws.terraform(dir, 'apply', '-refresh-only', '-auto-approve', '-no-color');
    expect(refresh.stderr).toBe('');
    const output = await ws.terraform(dir, 'output', '-json');
    const values = JSON.parse(output.stdout);
    expect(values.max_users.value).toBeGreaterThan(0);
    expect(values.lyon_assigned.value).toBe(1);
  });

  // Product behaviours: CPaaS 002 "Seats / Logs" (date filters; who did it) and the docs'
  // promise of telform ids; the data source read must send its arguments to the platform.
  it('sends data source arguments (since, until) and names the seat log user by telform id', async () => {
    await ws.write(
      dir,
      'history-filters.tf',
      `
data "telform_seat_log" "lyon_future" {
  account_id = telform_sub_account.lyon.id
  since      = "2099-01-01T00:00:00Z"
}
data "telform_seat_log" "lyon_past" {
  account_id = telform_sub_account.lyon.id
  until      = "2000-01-01T00:00:00Z"
}
output "future_events" { value = length(data.telform_seat_log.lyon_future.entries) }
output "past_events" { value = length(data.telform_seat_log.lyon_past.entries) }
output "carol_id" { value = telform_user.carol.id }
`,
    );
    const refresh = await ws.terraform(dir, 'apply', '-refresh-only', '-auto-approve', '-no-color');
    expect(refresh.stderr).toBe('');
    const values = JSON.parse((await ws.terraform(dir, 'output', '-json')).stdout);
    expect(values.future_events.value).toBe(0);
    expect(values.past_events.value).toBe(0);
    const [event] = values.seat_events.value.entries;
    expect(event).toMatchObject({
      event: 'seat_assigned',
      impacted_user_id: values.carol_id.value,
      // The person behind the change: the workspace's token (named admin), not the reconciler.
      done_by: 'admin',
    });
    expect(event.platform_impacted_user_id).not.toBe(values.carol_id.value);
    expect(event.platform_impacted_user_id).toMatch(/\S/);
    // Later cases reshape the configuration: this file names carol, so it goes.
    await rm(join(ws.root, dir, 'history-filters.tf'));
  });

  it('reads drift made out of band through data.telform_drift, after a scan', async () => {
    // Its own folder and account, so the records are exactly this test's console edit.
    const driftDir = 'drift';
    await ws.write(
      driftDir,
      'main.tf',
      providerBlock +
        `
resource "telform_account" "drifty" {
  name    = "Drifty"
  email   = "admin@drifty.example"
}
resource "telform_user" "erin" {
  account_id = telform_account.drifty.id
  name       = "Erin"
  login      = "erin"
  email      = "erin@drifty.example"
}
`,
    );
    expect((await ws.terraform(driftDir, 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform(driftDir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    const driftState = JSON.parse(
      await readFile(join(ws.root, driftDir, 'terraform.tfstate'), 'utf8'),
    ) as { resources: { type: string; instances: { attributes: { id: string } }[] }[] };
    const idIn = (type: string) =>
      driftState.resources.find((r) => r.type === type)!.instances[0]!.attributes.id;
    const accountId = idIn('telform_account');
    const userId = idIn('telform_user');

    // An administrator renames Erin in the vendor console, outside Terraform and the daemon.
    // The client's type leaves out the platform's id; the API answers it in `status`.
    const external = async (kind: string, id: string) =>
      ((await client.get(kind, id))!.status as { external_id?: string }).external_id!;
    const edited = await fetch(
      `${ws.daemon.emulatorUrl}/_emulator/console/accounts/${await external('account', accountId)}/users/${await external('user', userId)}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${ws.daemon.emulator!.partnerKey}`,
          'content-type': 'application/json',
          // The console user who made the change: the drift record names them.
          'x-console-user': 'dana@drifty.example',
        },
        body: JSON.stringify({ display_name: 'Rin' }),
      },
    );
    expect(edited.status, await edited.clone().text()).toBe(200);
    // The scheduled scan is off in this daemon: ask for one through the API.
    const scan = await fetch(`${ws.daemon.url}/v1/drift/scan?account_id=${accountId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.token}` },
    });
    expect(scan.status, await scan.clone().text()).toBe(200);

    await ws.write(
      driftDir,
      'drift.tf',
      `
data "telform_drift" "drifty" { account_id = telform_account.drifty.id }
output "drifted_resources" { value = data.telform_drift.drifty.drifted_resources }
output "drift_records" { value = data.telform_drift.drifty.records }
data "telform_platform_activity" "console" {
  account_id = telform_account.drifty.id
  actor      = "console:"
  type       = "write"
}
output "console_activity" { value = data.telform_platform_activity.console.entries }
`,
    );
    const refresh = await ws.terraform(
      driftDir,
      'apply',
      '-refresh-only',
      '-auto-approve',
      '-no-color',
    );
    expect(refresh.stderr).toBe('');
    const values = JSON.parse((await ws.terraform(driftDir, 'output', '-json')).stdout);
    expect(values.drifted_resources.value).toBe(1);
    expect(values.drift_records.value).toEqual([
      expect.objectContaining({
        resource_id: userId,
        kind: 'user',
        field: 'display_name',
        desired: 'null',
        actual: '"Rin"',
        action: 'reported',
        platform_actor: 'console:dana@drifty.example',
      }),
    ]);
    expect(Date.parse(values.drift_records.value[0].platform_changed_at)).not.toBeNaN();
    // The same change in the platform's own log, read through the data source.
    expect(values.console_activity.value).toEqual([
      expect.objectContaining({
        event: 'user.update',
        actor: 'console:dana@drifty.example',
        resource_id: userId,
        outcome: 'success',
      }),
    ]);
  });

  it('rotates a write-only password only when its _wo_version changes, keeping both out of state and plan', async () => {
    // Its own folder and account: a user whose password is rotated the Terraform way.
    const rotateDir = 'rotate';
    const [first, second] = ['first-passw0rd-1', 'second-passw0rd-2'];
    // The password comes from an ephemeral variable, as a real configuration takes it (a literal
    // would be kept in the plan's copy of the configuration).
    const rotating = (version: number) =>
      providerBlock +
      `
variable "rui_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
resource "telform_account" "rota" {
  name  = "Rota"
  email = "admin@rota.example"
}
resource "telform_user" "rui" {
  account_id          = telform_account.rota.id
  name                = "Rui"
  login               = "rui"
  email               = "rui@rota.example"
  password            = var.rui_password
  password_wo_version = ${version}
}
`;
    // What the emulator holds for the user: its journal (its own storage) has the latest record.
    const emulatorRecord = async (clientRef: string) => {
      const journal = await readFile(join(ws.root, 'daemon', 'emulator', 'journal.jsonl'), 'utf8');
      const puts = journal
        .split('\n')
        .filter((line) => line.includes(clientRef))
        .map((line) => JSON.parse(line) as { op: string; value?: Record<string, unknown> })
        .filter((e) => e.op === 'put' && e.value?.client_reference === clientRef);
      return puts.at(-1)!.value as {
        attributes: Record<string, unknown>;
        secrets: Record<string, unknown>;
      };
    };
    const stateText = () => readFile(join(ws.root, rotateDir, 'terraform.tfstate'), 'utf8');

    const password = (value: string) => `-var=rui_password=${value}`;
    await ws.write(rotateDir, 'main.tf', rotating(1));
    expect((await ws.terraform(rotateDir, 'init', '-input=false', '-no-color')).code).toBe(0);
    const applied = await ws.terraform(
      rotateDir,
      'apply',
      '-auto-approve',
      '-no-color',
      password(first),
    );
    expect(applied.stderr).toBe('');
    const userId = (
      JSON.parse(await stateText()) as {
        resources: { type: string; instances: { attributes: { id: string } }[] }[];
      }
    ).resources.find((r) => r.type === 'telform_user')!.instances[0]!.attributes.id;
    // Booleans, so that a failure never prints a password.
    expect((await emulatorRecord(userId)).secrets.password === first).toBe(true);

    // A new password alone: write-only values are not in plan or state, so nothing changes.
    const unchanged = await ws.terraform(
      rotateDir,
      'plan',
      '-detailed-exitcode',
      '-no-color',
      password(second),
    );
    expect(unchanged.stdout).toContain('No changes.');
    expect(unchanged.code).toBe(0);

    // Bumping the version is a change Terraform sees; the apply sends the new password with it.
    await ws.write(rotateDir, 'main.tf', rotating(2));
    const plan = await ws.terraform(
      rotateDir,
      'plan',
      '-out=rotate.tfplan',
      '-no-color',
      password(second),
    );
    expect(plan.stdout).toMatch(/password_wo_version\s+= 1 -> 2/);
    const planJson = (await ws.terraform(rotateDir, 'show', '-json', 'rotate.tfplan')).stdout;
    expect(planJson).toContain('password_wo_version');
    // Ephemeral values are not kept in a saved plan: the apply is given the variable again.
    const apply = await ws.terraform(
      rotateDir,
      'apply',
      '-no-color',
      password(second),
      'rotate.tfplan',
    );
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');

    const record = await emulatorRecord(userId);
    expect(record.secrets.password === second).toBe(true);
    // The version is telform's bookkeeping: the platform never sees it.
    expect(record.attributes).not.toHaveProperty('password_wo_version');
    const finalState = await stateText();
    const rui = (
      JSON.parse(finalState) as {
        resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
      }
    ).resources.find((r) => r.type === 'telform_user')!.instances[0]!.attributes;
    expect(rui).toMatchObject({ password: null, password_wo_version: 2 });
    for (const [where, text] of Object.entries({ state: finalState, plan: planJson })) {
      expect(text.includes(first), `first password in ${where}`).toBe(false);
      expect(text.includes(second), `second password in ${where}`).toBe(false);
    }
    const destroy = await ws.terraform(
      rotateDir,
      'destroy',
      '-auto-approve',
      '-no-color',
      password(second),
    );
    expect(destroy.stderr).toBe('');
  });

  it('destroys everything and waits until the API no longer has it', async () => {
    const ids = (await state()).resources
      .filter((r: { mode: string }) => r.mode === 'managed')
      .map((r: { type: string; instances: { attributes: { id: string } }[] }) => [
        r.type.replace('telform_', ''),
        r.instances[0]!.attributes.id,
      ]);
    const destroy = await ws.terraform(dir, 'destroy', '-auto-approve', '-no-color');
    expect(destroy.stderr).toBe('');
    expect(destroy.stdout).toContain('Destroy complete!');
    for (const [kind, id] of ids) expect(await client.get(kind!, id!), `${kind} ${id}`).toBeNull();
  });
});
