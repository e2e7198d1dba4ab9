/**
 * Platform feeds read through the real terraform CLI: the notifications of the subscribed
 * events (CPaaS 002 "Notifications": type and creation time) in `data.telform_notifications`,
 * and a webhook delivery's posted body (contact-center 000 Webhooks "History": Enter/Expand)
 * in `data.telform_webhook_history`, each naming telform's resources by their ids.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const resources = `
resource "telform_account" "acme" {
  name  = "Acme"
  email = "admin@acme.example"
}
resource "telform_notification_subscription" "low" {
  account_id = telform_account.acme.id
  event      = "low_balance"
  recipient  = "billing@acme.example"
  threshold  = 100
}
resource "telform_notification_subscription" "changes" {
  account_id = telform_account.acme.id
  event      = "account_balance"
  recipient  = "cfo@acme.example"
}
resource "telform_webhook" "users" {
  account_id = telform_account.acme.id
  url        = "https://127.0.0.1:9/unreachable"
  rights     = { users = true }
}
resource "telform_user" "alice" {
  account_id = telform_account.acme.id
  name       = "Alice"
  login      = "alice"
  email      = "alice@acme.example"
  depends_on = [telform_webhook.users]
}
output "ids" {
  value = { account = telform_account.acme.id, low = telform_notification_subscription.low.id, webhook = telform_webhook.users.id }
}
`;

const dataSources = `
data "telform_notifications" "low" {
  account_id = telform_account.acme.id
  event      = "low_balance"
}
data "telform_notifications" "all" {
  account_id = telform_account.acme.id
}
data "telform_webhook_history" "users" {
  account_id = telform_account.acme.id
  webhook_id = telform_webhook.users.id
  search     = "users.created"
}
output "low" {
  value = data.telform_notifications.low.entries
}
output "all_count" {
  value = length(data.telform_notifications.all.entries)
}
output "delivery" {
  value = [for e in data.telform_webhook_history.users.entries : { id = e.delivery_id, webhook = e.webhook_id, body = jsondecode(e.payload) }]
}
`;

describeWithTerraform('platform feeds through terraform', () => {
  let ws: TerraformWorkspace;
  const output = async (name: string) =>
    JSON.parse((await ws.terraform('main', 'output', '-json', name)).stdout) as unknown;

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
  }, 180_000);
  afterAll(async () => ws?.close());

  it('reads the notifications of subscribed events and a delivered webhook payload', async () => {
    await ws.write('main', 'main.tf', providerBlock + resources);
    expect((await ws.terraform('main', 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    const ids = (await output('ids')) as Record<string, string>;

    // On the platform, outside its API: the balance drops below the threshold.
    const client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
    const account = await client.get('account', ids.account!);
    const ref = String((account?.status as { external_id?: string }).external_id);
    const emu = ws.daemon.emulator!;
    for (const balance of [250, 80]) {
      const res = await fetch(`${emu.url}/_emulator/console/accounts/${ref}/balance`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ balance }),
      });
      expect(res.status).toBe(200);
    }
    await emu.webhooksIdle();

    await ws.write('main', 'main.tf', providerBlock + resources + dataSources);
    const read = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(read.stderr).toBe('');
    expect(read.stdout).toContain('0 added, 0 changed, 0 destroyed');

    // The low-balance alert: its type, creation time, and the subscription by telform id.
    const low = (await output('low')) as Record<string, unknown>[];
    expect(low).toEqual([
      expect.objectContaining({
        event: 'low_balance',
        subscription_id: ids.low,
        recipient: 'billing@acme.example',
        message: 'Low balance: 80.00 is below 100.00',
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
    // Two balance changes and the alert.
    expect(await output('all_count')).toBe(3);

    // The body posted for the user's creation, readable and decodable in Terraform.
    const delivery = (await output('delivery')) as {
      id: number;
      webhook: string;
      body: Record<string, unknown>;
    }[];
    expect(delivery).toHaveLength(1);
    expect(delivery[0]!.webhook).toBe(ids.webhook);
    expect(delivery[0]!.id).toEqual(expect.any(Number));
    expect(delivery[0]!.body).toMatchObject({ trigger: 'users.created' });
  }, 300_000);
});
