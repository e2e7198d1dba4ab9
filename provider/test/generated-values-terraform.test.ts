/**
 * Platform-generated and vendor-decided values through the real terraform CLI (issue 15 part B):
 * the dialer's dial-in and SIP credentials are sensitive computed attributes, fresh in state after
 * the apply that changes the connection method (003 "Connection method"); a user's own country
 * and the country and language that apply to a user, own or the account's (000 "Country and
 * language"); the carrier's E911 verdict with its reason (004 "Locations"); a
 * limit increase request and the vendor's decision (000 "Limits"); the email blacklist of a
 * domain (000 "Email address domains").
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

// The API's status carries the platform id; the provider's client type does not name it.
const externalId = (r: { status: object } | null) =>
  String((r?.status as { external_id?: string } | undefined)?.external_id);
const staffKey = 'staff_generated-values-key-0123456789';
const config = (aliceMethod: string, extra = '') =>
  providerBlock +
  `
resource "telform_account" "acme" {
  name     = "Acme"
  email    = "admin@acme.example"
  country  = "FR"
  language = "fr"
}
resource "telform_user" "alice" {
  account_id        = telform_account.acme.id
  name              = "Alice"
  login             = "alice"
  email             = "alice@acme.example"
  connection_method = { type = "${aliceMethod}", extension = "1001" }
}
resource "telform_user" "bob" {
  account_id = telform_account.acme.id
  name       = "Bob"
  login      = "bob"
  email      = "bob@acme.example"
  country    = "GB"
  language   = "en-GB"
}
resource "telform_location" "dc" {
  account_id   = telform_account.acme.id
  name         = "DC office"
  e911_address = { line1 = "1600 Pennsylvania Ave NW", city = "Washington", postal_code = "20500", country = "US" }
}
resource "telform_limit_increase_request" "users" {
  account_id = telform_account.acme.id
  limit      = "max_users"
  requested  = 2000
  reason     = "Seasonal agents"
}
output "alice" {
  value     = { dial_in_id = telform_user.alice.dial_in_id, dial_in_pin = telform_user.alice.dial_in_pin, sip_username = telform_user.alice.sip_username, sip_password = telform_user.alice.sip_password }
  sensitive = true
}
output "ids" {
  value = { account = telform_account.acme.id, alice = telform_user.alice.id, request = telform_limit_increase_request.users.id, bob_country = telform_user.bob.country }
}
output "effective" {
  value = { alice = [telform_user.alice.effective_country, telform_user.alice.effective_language], bob = [telform_user.bob.effective_country, telform_user.bob.effective_language] }
}
output "e911" {
  value = { validated = telform_location.dc.e911_validated, reason = telform_location.dc.e911_validation_reason }
}
output "request" {
  value = { status = telform_limit_increase_request.users.status, current = telform_limit_increase_request.users.current_limit }
}
${extra}`;

describeWithTerraform('platform-generated values through terraform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;
  const output = async (name: string) =>
    JSON.parse((await ws.terraform('main', 'output', '-json', name)).stdout) as Record<
      string,
      unknown
    >;
  const emulatorCall = async (key: string, method: string, path: string, body: unknown) => {
    const emu = ws.daemon.emulator!;
    const res = await fetch(emu.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    ws = await openTerraformWorkspace({ staffKey });
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  it('applies, then keeps fresh credentials, the E911 verdict and the vendor decision in state', async () => {
    await ws.write('main', 'main.tf', config('dial_in'));
    expect((await ws.terraform('main', 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 5 added, 0 changed, 0 destroyed.');
    // Product (dialer): the platform generates the dial-in ID and PIN; they are in state, masked.
    const first = await output('alice');
    expect(first.dial_in_id).toMatch(/^\d{8}$/);
    expect(first.dial_in_pin).toMatch(/^\d{6}$/);
    expect(first.sip_password).toBeNull();
    expect(apply.stdout).not.toContain(String(first.dial_in_pin));
    const ids = await output('ids');
    // Product (contact center): the user's own country beside the account's.
    expect(ids.bob_country).toBe('GB');
    // What applies to each: Bob's own, Alice the account's (computed by the platform).
    expect(await output('effective')).toEqual({ alice: ['FR', 'fr'], bob: ['GB', 'en-GB'] });
    // Product (hosted PBX): the carrier flags a US address without its state, and says why.
    const e911 = await output('e911');
    expect(e911.validated).toBe(false);
    expect(e911.reason).toMatch(/e911_address\.region/);
    expect(await output('request')).toEqual({ status: 'pending', current: 1000 });
    expect((await ws.terraform('main', 'plan', '-detailed-exitcode', '-no-color')).code).toBe(0);

    // A new connection method: the plan leaves the credentials to the platform, the apply
    // brings the new ones into state and drops the old.
    await ws.write('main', 'main.tf', config('sip_phone'));
    const plan = await ws.terraform('main', 'plan', '-no-color');
    expect(plan.stdout).toMatch(/sip_password\s+= \(sensitive value\)/);
    const reapply = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(reapply.stderr).toBe('');
    const second = await output('alice');
    expect(second.sip_password).toMatch(/^[\w-]{24}$/);
    expect(second.sip_username).toMatch(/^sip\d{10}$/);
    expect(second.dial_in_pin).toBeNull();

    // The vendor approves the request on its side; a refresh shows it and the raised limit.
    const request = await client.get('limit_increase_request', String(ids.request));
    const account = await client.get('account', String(ids.account));
    const accountRef = externalId(account);
    await emulatorCall(
      ws.daemon.emulator!.partnerKey,
      'POST',
      `/_emulator/console/accounts/${accountRef}/limit_increase_requests/${externalId(request)}/decision`,
      { decision: 'approved', note: 'approved for Q4' },
    );
    // The vendor's staff adds an email-address domain; Alice blacklists an address in it.
    await emulatorCall(staffKey, 'POST', `/v1/accounts/${accountRef}/domains`, {
      kind: 'email_address',
      name: 'mail.acme.example',
    });
    const alice = await client.get('user', String(ids.alice));
    await emulatorCall(
      ws.daemon.emulator!.partnerKey,
      'POST',
      `/_emulator/console/accounts/${accountRef}/email-blacklist`,
      {
        user_id: externalId(alice),
        address: 'bounce@mail.acme.example',
        source: 'automatic',
      },
    );
    await ws.write(
      'main',
      'main.tf',
      config(
        'sip_phone',
        `
data "telform_email_blacklist" "acme" {
  account_id = telform_account.acme.id
}
output "blacklist" {
  value = data.telform_email_blacklist.acme.entries
}
`,
      ),
    );
    const refresh = await ws.terraform(
      'main',
      'apply',
      '-refresh-only',
      '-auto-approve',
      '-no-color',
    );
    expect(refresh.stderr).toBe('');
    expect(await output('request')).toEqual({ status: 'approved', current: 2000 });
    const blacklist = (await output('blacklist')) as unknown as Record<string, unknown>[];
    expect(blacklist).toHaveLength(1);
    expect(blacklist[0]).toMatchObject({
      domain: 'mail.acme.example',
      address: 'bounce@mail.acme.example',
      user_name: 'Alice',
      source: 'automatic',
    });
  }, 300_000);
});
