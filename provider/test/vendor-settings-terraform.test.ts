/**
 * The plain settings of the five vendor documents applied with the real terraform CLI and read
 * back on the emulator's own API (as the platform holds them), then planned again with no
 * changes: account defaults, data retention, SMS, security policy, telephony, a dialer user's
 * call settings and an SSO connector. The emulator's rules for each are pinned in
 * emulator/test/vendor-settings.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const config =
  providerBlock +
  `
resource "telform_account" "acme" {
  name                         = "Acme"
  email                        = "admin@acme.example"
  country                      = "FR"
  language                     = "fr"
  time_zone                    = "Europe/Paris"
  billing_address              = { line1 = "1 rue de la Paix", city = "Paris", postal_code = "75002", country = "FR" }
  password_expiration          = { enabled = true, days = 90 }
  supervision_enabled          = true
  head_of_line_number          = "+33180000000"
  original_number_presentation = true
  national_trunk               = { enabled = true, region_code = "+33" }
}
resource "telform_data_retention" "acme" {
  account_id         = telform_account.acme.id
  recordings         = { unlimited = false, days = 365 }
  voice_mailbox      = { unlimited = false, days = 30 }
  personal_voicemail = { unlimited = true }
  ivr_recorder       = { unlimited = false, days = 90 }
}
resource "telform_sms_settings" "acme" {
  account_id     = telform_account.acme.id
  provider_url   = "https://sms.provider.example/send"
  authentication = { enabled = true, login = "acme", password = "sms-provider-secret" }
}
resource "telform_security_policy" "acme" {
  account_id               = telform_account.acme.id
  two_factor_required      = true
  max_user_inactivity_days = 60
  max_login_attempts       = 5
  password_validity_days   = 90
}
resource "telform_telephony_settings" "acme" {
  account_id                  = telform_account.acme.id
  extension_length            = 4
  default_outbound_number     = "+33180000001"
  transcription_enabled       = true
  recording_enabled           = true
  parking_timeout_seconds     = 120
  inbound_fax_limit_per_hour  = 50
  outbound_fax_limit_per_hour = 20
}
resource "telform_user" "ann" {
  account_id         = telform_account.acme.id
  name               = "Ann"
  login              = "ann"
  email              = "ann@acme.example"
  display_name       = "Ann A."
  manual_call_number = "+33612345678"
  crm_post_url       = "https://crm.acme.example/post"
  transfer_caller_id = "contact_number"
  incoming_calls     = { mode = "per_client", user_can_configure = true }
  outgoing_calls     = { mode = "enabled", call_method = "desk_phone", user_can_configure = true }
  depends_on         = [telform_telephony_settings.acme]
}
resource "telform_sso_connector" "idp" {
  account_id                = telform_account.acme.id
  name                      = "acme"
  sp_entity_id              = "https://idp.acme.example/saml/metadata"
  idp_signature_certificate = "-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=\\n-----END CERTIFICATE-----\\n"
  idp_login_url             = "https://idp.acme.example/saml/login"
  idp_logout_url            = "https://idp.acme.example/saml/logout"
  auto_create_users         = true
  auto_create_groups        = true
}
output "ids" {
  value = { account = telform_account.acme.id, ann = telform_user.ann.id, idp = telform_sso_connector.idp.id }
}
output "sso" {
  value = { initiation = telform_sso_connector.idp.sp_initiation_url, acs = telform_sso_connector.idp.acs_url }
}
`;

describeWithTerraform('vendor settings through terraform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;
  const platform = async (path: string) => {
    const emu = ws.daemon.emulator!;
    const res = await fetch(emu.url + path, {
      headers: { authorization: `Bearer ${emu.partnerKey}` },
    });
    expect(res.status, path).toBe(200);
    return ((await res.json()) as { attributes: Record<string, unknown> }).attributes;
  };
  const externalId = async (kind: string, id: string) =>
    String(((await client.get(kind, id))?.status as { external_id?: string }).external_id);

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  it('applies every setting, the platform holds them as written, and a new plan is empty', async () => {
    await ws.write('main', 'main.tf', config);
    expect((await ws.terraform('main', 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 7 added, 0 changed, 0 destroyed.');
    expect(apply.stdout).not.toContain('sms-provider-secret');
    const ids = JSON.parse((await ws.terraform('main', 'output', '-json', 'ids')).stdout) as Record<
      string,
      string
    >;
    const acct = await externalId('account', ids.account!);

    expect(await platform(`/v1/accounts/${acct}`)).toMatchObject({
      country: 'FR',
      language: 'fr',
      time_zone: 'Europe/Paris',
      billing_address: { city: 'Paris', postal_code: '75002' },
      password_expiration: { enabled: true, days: 90 },
      supervision_enabled: true,
      head_of_line_number: '+33180000000',
      original_number_presentation: true,
      national_trunk: { enabled: true, region_code: '+33' },
    });
    expect(await platform(`/v1/accounts/${acct}/settings/data_retention`)).toMatchObject({
      recordings: { unlimited: false, days: 365 },
      personal_voicemail: { unlimited: true },
      ivr_recorder: { unlimited: false, days: 90 },
    });
    const sms = await platform(`/v1/accounts/${acct}/settings/sms_settings`);
    expect(sms).toMatchObject({
      provider_url: 'https://sms.provider.example/send',
      authentication: { enabled: true, login: 'acme' },
    });
    // The password reached the platform as a write-only secret: never read back.
    expect(JSON.stringify(sms)).not.toContain('sms-provider-secret');
    expect(await platform(`/v1/accounts/${acct}/settings/security_policy`)).toMatchObject({
      two_factor_required: true,
      max_user_inactivity_days: 60,
      max_login_attempts: 5,
      password_validity_days: 90,
    });
    expect(await platform(`/v1/accounts/${acct}/settings/telephony_settings`)).toMatchObject({
      default_outbound_number: '+33180000001',
      transcription_enabled: true,
      recording_enabled: true,
      parking_timeout_seconds: 120,
      inbound_fax_limit_per_hour: 50,
      outbound_fax_limit_per_hour: 20,
    });
    const ann = await externalId('user', ids.ann!);
    expect(await platform(`/v1/accounts/${acct}/users/${ann}`)).toMatchObject({
      display_name: 'Ann A.',
      manual_call_number: '+33612345678',
      crm_post_url: 'https://crm.acme.example/post',
      transfer_caller_id: 'contact_number',
      incoming_calls: { mode: 'per_client', user_can_configure: true },
      outgoing_calls: { mode: 'enabled', call_method: 'desk_phone', user_can_configure: true },
    });
    const idp = await externalId('sso_connector', ids.idp!);
    expect(await platform(`/v1/accounts/${acct}/sso_connectors/${idp}`)).toMatchObject({
      sp_entity_id: 'https://idp.acme.example/saml/metadata',
      idp_logout_url: 'https://idp.acme.example/saml/logout',
      auto_create_users: true,
      auto_create_groups: true,
      name_id_format: 'email',
    });
    // The platform generates the SP URLs; Terraform has them after the apply.
    const urls = JSON.parse((await ws.terraform('main', 'output', '-json', 'sso')).stdout) as {
      initiation: string;
      acs: string;
    };
    expect(urls.initiation).toMatch(/^https?:\/\//);
    expect(urls.acs).toMatch(/^https?:\/\//);

    const plan = await ws.terraform('main', 'plan', '-detailed-exitcode', '-no-color');
    expect(plan.code, plan.stdout).toBe(0);
  }, 300_000);
});
