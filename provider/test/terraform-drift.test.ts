/**
 * Terraform sees the platform: a console change made outside Terraform and the daemon shows in
 * `terraform plan` as the exact attribute change (exit code 2 with -detailed-exitcode), `apply`
 * puts the configured value back although the configuration did not change, and the next plan
 * is clean. Each case has its own folder and account, so its plan holds exactly its own edit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

type Attributes = Record<string, unknown>;

describeWithTerraform('terraform CLI: refresh shows the platform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  const account = (name: string) => `
resource "telform_account" "main" {
  name  = "${name}"
  email = "admin@${name.toLowerCase()}.example"
}
`;
  const user = (extra = '') => `
resource "telform_user" "erin" {
  account_id   = telform_account.main.id
  name         = "Erin"
  login        = "erin"
  email        = "erin@example.com"
  display_name = "Erin"${extra}
}
`;
  const stateOf = async (dir: string) =>
    JSON.parse(await readFile(join(ws.root, dir, 'terraform.tfstate'), 'utf8')) as {
      resources: { type: string; name: string; instances: { attributes: Attributes }[] }[];
    };
  const attributesOf = async (dir: string, type: string, name: string) =>
    (await stateOf(dir)).resources.find((r) => r.type === type && r.name === name)!.instances[0]!
      .attributes;
  const externalId = async (kind: string, id: string) =>
    (await client.get(kind, id))!.status as { external_id?: string } & Attributes;
  /** The platform's path of an object in state: `accounts/<platform id>/<kind>s/<platform id>`. */
  const platformPath = async (dir: string, type: string, name: string) => {
    const kind = type.replace('telform_', '');
    const id = (await attributesOf(dir, type, name)).id as string;
    const accountId = (await attributesOf(dir, 'telform_account', 'main')).id as string;
    const account = (await externalId('account', accountId)).external_id!;
    const object = (await externalId(kind, id)).external_id!;
    return `accounts/${account}/${kind}s/${object}`;
  };
  /**
   * Plays an administrator editing an object in the vendor's console (PATCH merges; null
   * removes); `consoleUser` is who the platform's activity log names (`console:<user>`).
   */
  const consoleEdit = async (
    dir: string,
    type: string,
    name: string,
    body: Attributes,
    consoleUser?: string,
  ) => {
    const res = await fetch(
      `${ws.daemon.emulatorUrl}/_emulator/console/${await platformPath(dir, type, name)}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${ws.daemon.emulator!.partnerKey}`,
          'content-type': 'application/json',
          ...(consoleUser ? { 'x-console-user': consoleUser } : {}),
        },
        body: JSON.stringify(body),
      },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { attributes: Attributes };
  };
  /** What the platform itself answers (partner API), with no telform read or scan in between. */
  const onPlatform = async (dir: string, type: string, name: string) => {
    const res = await fetch(`${ws.daemon.emulatorUrl}/v1/${await platformPath(dir, type, name)}`, {
      headers: { authorization: `Bearer ${ws.daemon.emulator!.partnerKey}` },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return ((await res.json()) as { attributes: Attributes }).attributes;
  };
  /** What the platform holds for an object now, through the daemon's scan-backed read. */
  const platformHolds = async (kind: string, id: string) => {
    const res = await fetch(`${ws.daemon.url}/v1/resources/${kind}/${id}?max_age_ms=0`, {
      headers: { authorization: `Bearer ${ws.token}` },
    });
    return ((await res.json()) as { status: { observed: Attributes } }).status.observed;
  };
  const setUp = async (dir: string, text: string) => {
    await ws.write(dir, 'main.tf', providerBlock + text);
    expect((await ws.terraform(dir, 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
  };
  const plan = (dir: string) => ws.terraform(dir, 'plan', '-detailed-exitcode', '-no-color');
  const applyAgain = async (dir: string) => {
    const apply = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
  };
  const expectClean = async (dir: string) => {
    const clean = await plan(dir);
    expect(clean.stdout).toContain('No changes.');
    expect(clean.code).toBe(0);
  };

  it('shows a console change of a plain field as the exact diff, exit 2; apply restores it', async () => {
    const dir = 'plain';
    await setUp(dir, account('Plain') + user());
    await consoleEdit(dir, 'telform_user', 'erin', { display_name: 'Rin' });
    const drifted = await plan(dir);
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
    expect(drifted.stdout).toMatch(/~ display_name\s+= "Rin" -> "Erin"/);
    expect(drifted.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    await applyAgain(dir);
    const id = (await attributesOf(dir, 'telform_user', 'erin')).id as string;
    expect((await platformHolds('user', id)).display_name).toBe('Erin');
    await expectClean(dir);
  });

  it('shows a role removed in the console as removed, not as the default', async () => {
    const dir = 'removed';
    await setUp(dir, account('Removed') + user('\n  role = "agent"'));
    const edited = await consoleEdit(dir, 'telform_user', 'erin', { role: null });
    expect(edited.attributes).not.toHaveProperty('role');
    const drifted = await plan(dir);
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
    expect(drifted.stdout).toMatch(/\+ role\s+= "agent"/);
    await applyAgain(dir);
    const id = (await attributesOf(dir, 'telform_user', 'erin')).id as string;
    expect((await platformHolds('user', id)).role).toBe('agent');
    await expectClean(dir);
  });

  it('never shows nor overwrites a field the drift policy ignores, under report and correct', async () => {
    const dir = 'ignored';
    // The policy as code: telform_drift_policy on the user, ignoring its display name.
    const policy = (mode: string) => `
resource "telform_drift_policy" "erin" {
  target_id     = telform_user.erin.id
  mode          = "${mode}"
  ignore_fields = ["display_name"]
}
`;
    const text = (mode: string) => account('Ignored') + user() + policy(mode);
    await setUp(dir, text('report'));
    const id = (await attributesOf(dir, 'telform_user', 'erin')).id as string;
    const stored = await fetch(`${ws.daemon.url}/v1/drift/policies/${id}`, {
      headers: { authorization: `Bearer ${ws.token}` },
    });
    expect(await stored.json()).toMatchObject({ mode: 'report', ignore_fields: ['display_name'] });
    for (const mode of ['report', 'correct'] as const) {
      if (mode === 'correct') {
        await ws.write(dir, 'main.tf', providerBlock + text(mode));
        const switched = await plan(dir);
        expect(switched.stdout).toMatch(/~ mode\s+= "report" -> "correct"/);
        await applyAgain(dir);
      }
      await consoleEdit(dir, 'telform_user', 'erin', { display_name: `Console ${mode}` });
      // Alone, an ignored change plans nothing.
      await expectClean(dir);
      await consoleEdit(dir, 'telform_user', 'erin', { name: `Erin ${mode}` });
      const drifted = await plan(dir);
      expect(drifted.stdout).not.toContain('display_name');
      if (mode === 'report') {
        expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
        expect(drifted.stdout).toMatch(/~ name\s+= "Erin report" -> "Erin"/);
        await applyAgain(dir);
      } else if (drifted.code === 2) {
        // The daemon corrects on its own; a plan that ran first still shows the exact diff.
        expect(drifted.stdout).toMatch(/~ name\s+= "Erin correct" -> "Erin"/);
        expect((await ws.terraform(dir, 'apply', '-auto-approve', '-no-color')).stderr).toBe('');
      }
      const held = await waitFor(async () => {
        const observed = await platformHolds('user', id);
        return observed.name === 'Erin' ? observed : undefined;
      });
      expect(held.display_name).toBe(`Console ${mode}`);
      await expectClean(dir);
    }
    const destroyed = await ws.terraform(dir, 'destroy', '-auto-approve', '-no-color');
    expect(destroyed.stderr).toBe('');
    const gone = await fetch(`${ws.daemon.url}/v1/drift/policies/${id}`, {
      headers: { authorization: `Bearer ${ws.token}` },
    });
    expect(gone.status).toBe(404);
  });

  it('puts a console change back by itself under correct; the record says corrected, by whom', async () => {
    // Why: under `correct` nobody runs apply. The daemon's own scan and engine must restore the
    // platform, so the next plan (a CI drift check) is clean, and the record must still tell an
    // auditor what was changed on the platform, by which console user, and that it was corrected.
    const dir = 'corrected';
    await setUp(
      dir,
      account('Corrected') +
        user() +
        `
resource "telform_drift_policy" "erin" {
  target_id = telform_user.erin.id
  mode      = "correct"
}
`,
    );
    const id = (await attributesOf(dir, 'telform_user', 'erin')).id as string;
    const accountId = (await attributesOf(dir, 'telform_account', 'main')).id as string;
    await consoleEdit(
      dir,
      'telform_user',
      'erin',
      { display_name: 'Rin' },
      'dana@corrected.example',
    );
    expect((await onPlatform(dir, 'telform_user', 'erin')).display_name).toBe('Rin');
    // The scheduled scan, as its cron tick runs it once the account's interval has passed (the
    // test daemon runs no schedules; the interval is made to have passed).
    await ws.daemon.database.db
      .updateTable('drift_scans')
      .set({ next_scan_at: new Date(0) })
      .where('account_id', '=', accountId)
      .execute();
    expect(await ws.daemon.scheduler.runNow('drift-scan')).toMatchObject({ outcome: 'success' });
    // The engine corrects it: the platform itself holds the configured value again.
    await waitFor(async () =>
      (await onPlatform(dir, 'telform_user', 'erin')).display_name === 'Erin' ? true : undefined,
    );
    await expectClean(dir);
    const report = await fetch(
      `${ws.daemon.url}/v1/drift?account_id=${accountId}&state=all&format=json`,
      { headers: { authorization: `Bearer ${ws.token}` } },
    );
    const { records } = (await report.json()) as {
      records: { resource_id: string; action: string; fields: unknown; platform_change: unknown }[];
    };
    expect(records.filter((r) => r.resource_id === id)).toEqual([
      expect.objectContaining({
        action: 'corrected',
        fields: [{ field: 'display_name', desired: 'Erin', actual: 'Rin' }],
        platform_change: expect.objectContaining({
          actor: 'console:dana@corrected.example',
          event: 'user.update',
        }),
      }),
    ]);
  });

  it('compares a device button template as a reference, shown with telform ids', async () => {
    const dir = 'reference';
    const template = (name: string) => `
resource "telform_button_template" "${name}" {
  account_id = telform_account.main.id
  name       = "${name}"
  keys       = [{ position = 1, type = "line", value = "1001" }]
}
`;
    await setUp(
      dir,
      account('Reference') +
        template('front') +
        template('back') +
        `
resource "telform_device" "desk" {
  account_id         = telform_account.main.id
  mac_address        = "80:5e:c0:12:34:99"
  model              = "yealink-t54w"
  button_template_id = telform_button_template.front.id
}
`,
    );
    const front = (await attributesOf(dir, 'telform_button_template', 'front')).id as string;
    const back = (await attributesOf(dir, 'telform_button_template', 'back')).id as string;
    const backExternal = (await externalId('button_template', back)).external_id!;
    await consoleEdit(dir, 'telform_device', 'desk', { button_template_id: backExternal });
    const drifted = await plan(dir);
    expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
    expect(drifted.stdout).toContain(`~ button_template_id = "${back}" -> "${front}"`);
    expect(drifted.stdout).not.toContain(backExternal);
    await applyAgain(dir);
    await expectClean(dir);
  });

  it('puts a rotated provisioning token and URL in state and outputs: old URL 404, new 200', async () => {
    const dir = 'rotation';
    const provisioning = (trigger: string) =>
      account('Rotation') +
      `
resource "telform_provisioning" "phones" {
  account_id     = telform_account.main.id
  rotate_trigger = "${trigger}"
}
output "provisioning_url" {
  value     = telform_provisioning.phones.provisioning_url
  sensitive = true
}
`;
    await setUp(dir, provisioning('1'));
    const outputUrl = async () =>
      JSON.parse((await ws.terraform(dir, 'output', '-json')).stdout).provisioning_url
        .value as string;
    const before = await attributesOf(dir, 'telform_provisioning', 'phones');
    const oldUrl = await outputUrl();
    expect(oldUrl).toBe(before.provisioning_url);
    expect((await fetch(oldUrl)).status).toBe(200);

    await ws.write(dir, 'main.tf', providerBlock + provisioning('2'));
    await applyAgain(dir);
    const after = await attributesOf(dir, 'telform_provisioning', 'phones');
    const newUrl = await outputUrl();
    expect(after.token).not.toBe(before.token);
    expect(newUrl).toBe(after.provisioning_url);
    expect(newUrl).not.toBe(oldUrl);
    expect((await fetch(oldUrl)).status).toBe(404);
    expect((await fetch(newUrl)).status).toBe(200);
    await expectClean(dir);
  });
});

/** Polls until `probe` answers, for at most 60 s (a busy machine runs the daemon's worker late). */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached within 60 s');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
