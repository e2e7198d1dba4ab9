/**
 * An apply whose wait runs out on a flaky platform must not lead the next apply to replace what
 * the reconciler then puts on the platform: the creates stay in the state untainted, and once the
 * platform recovers the next plan is empty and every platform object keeps its id.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import { applyOutcome } from '../src/resources/apply-outcome.js';
import { PlatformCensus } from '../../reconciler/test/e2e/e2e-support.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const users = ['ana', 'ben', 'cho', 'dev'];
const config =
  providerBlock +
  `
resource "telform_account" "acme" {
  name    = "Acme Timeout"
  email   = "admin@acme.example"
  country = "FR"
}
` +
  users
    .map(
      (login) => `
resource "telform_user" "${login}" {
  account_id = telform_account.acme.id
  name       = "${login}"
  login      = "${login}"
  email      = "${login}@acme.example"
}
`,
    )
    .join('');

// About 30% of platform calls fail: 503, 429 with a 2 s Retry-After (which pauses the whole
// account, longer than the apply waits), and dropped connections.
const faults = [
  { mode: 'error', rate: 0.1, status: 503, seed: 11 },
  { mode: 'throttle', rate: 0.1, retry_after_s: 2, seed: 12 },
  { mode: 'drop', rate: 0.1, seed: 13 },
];

describeWithTerraform('terraform apply that times out on a flaky platform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;
  const dir = 'timeout';

  const emulatorCall = async (method: string, body?: object) => {
    const emulator = ws.daemon.emulator!;
    const res = await fetch(`${emulator.url}/_emulator/faults`, {
      method,
      headers: {
        authorization: `Bearer ${emulator.partnerKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBeLessThan(300);
  };
  const stateResources = async () =>
    JSON.parse(await readFile(join(ws.root, dir, 'terraform.tfstate'), 'utf8')).resources as Array<{
      type: string;
      name: string;
      instances: Array<{ status?: string; attributes: { id: string } }>;
    }>;
  const platformIds = async (ids: string[]) => {
    const emulator = ws.daemon.emulator!;
    const census = new PlatformCensus(emulator.url, emulator.partnerKey);
    const byRef = await census.objectsByClientRef(['user']);
    return ids.map((id) => (byRef.get(id) ?? []).map((o) => o.id));
  };

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
    await ws.write(dir, 'main.tf', config);
    expect((await ws.terraform(dir, 'init', '-input=false', '-no-color')).code).toBe(0);
  }, 180_000);
  afterAll(async () => ws?.close());

  it('keeps timed-out creates untainted, then converges with no replacement', async () => {
    for (const rule of faults) await emulatorCall('POST', rule);
    ws.env.TELFORM_APPLY_TIMEOUT = '1s';
    const first = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    // Accepted but unconfirmed is a warning, not an error: an error would taint the create.
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Warning: telform_\w+ \w+ not yet created on the platform/);
    const resources = await stateResources();
    expect(resources).toHaveLength(users.length + 1);
    for (const r of resources) expect(r.instances[0]?.status).not.toBe('tainted');

    // The platform recovers; the reconciler finishes what the apply started.
    await emulatorCall('DELETE');
    ws.env.TELFORM_APPLY_TIMEOUT = '60s';
    const ids = resources.map((r) => r.instances[0]!.attributes.id);
    const deadline = Date.now() + 120_000;
    for (const r of resources) {
      for (;;) {
        const read = await client.get(
          r.type.replace('telform_', ''),
          r.instances[0]!.attributes.id,
        );
        if (read && applyOutcome(read).state === 'applied') break;
        expect(Date.now(), `${r.type}.${r.name} not applied in time`).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const userIds = ids.filter((id) => id.startsWith('user_'));
    const before = await platformIds(userIds);
    for (const held of before) expect(held).toHaveLength(1);

    const plan = await ws.terraform(dir, 'plan', '-detailed-exitcode', '-no-color');
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    const second = await ws.terraform(dir, 'apply', '-auto-approve', '-no-color');
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/will be destroyed|must be replaced|tainted/);
    expect(second.stdout).toContain('Resources: 0 added, 0 changed, 0 destroyed.');
    // Same telform ids in the state, same single platform object behind each.
    expect((await stateResources()).map((r) => r.instances[0]!.attributes.id)).toEqual(ids);
    expect(await platformIds(userIds)).toEqual(before);
  }, 300_000);
});
