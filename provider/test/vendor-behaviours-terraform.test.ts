/**
 * Vendor behaviours through the real terraform CLI, several per run to keep the suite fast:
 * closed sets refuse a misspelt key at plan on the entry itself, logos are checked by their
 * bytes, and hold music plays an uploaded audio clip.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const account = `
resource "telform_account" "acme" {
  name    = "Acme"
  email   = "admin@acme.example"
  country = "FR"
}
`;
// A 44-byte WAV header: RIFF/WAVE, as the platform reads it.
const wav = (() => {
  const out = Buffer.alloc(44);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  return out.toString('base64');
})();

describeWithTerraform('vendor behaviours through terraform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  it('refuses misspelt privileges, tabs and webhook rights, and a text file named .png, at plan', async () => {
    await ws.write(
      'invalid',
      'main.tf',
      providerBlock +
        `
resource "telform_account" "bad" {
  name  = "Bad"
  email = "bad@acme.example"
  logo = {
    file_name      = "logo.png"
    content_base64 = "${Buffer.from('not an image at all').toString('base64')}"
  }
}
resource "telform_user" "agent" {
  account_id = "account_01jd8x0000000000000000000a"
  name       = "Agent"
  login      = "agent"
  email      = "agent@acme.example"
  privileges = { super_admin = true, transfer = true }
  tabs       = { manual_dail = true }
}
resource "telform_webhook" "hook" {
  account_id = "account_01jd8x0000000000000000000a"
  url        = "https://hooks.acme.example/x"
  rights     = { whatsapp = true }
}
`,
    );
    expect((await ws.terraform('invalid', 'init', '-input=false', '-no-color')).code).toBe(0);
    const plan = await ws.terraform('invalid', 'plan', '-no-color');
    expect(plan.code).toBe(1);
    const text = plan.stderr.replace(/\s+/g, ' '); // Terraform wraps long messages
    // Product: the dialer's privileges are a closed list; a misspelt one used to be dropped.
    expect(text).toMatch(/privileges\.super_admin is not one of the keys of privileges: admin, /);
    // The diagnostic points at the map entry's line (Terraform needs a map key, not a name).
    expect(text).toMatch(
      /line 21, in resource \\?"telform_user\\?" \\?"agent\\?": 21: privileges = /,
    );
    // Product: tabs too.
    expect(text).toContain('tabs.manual_dail is not one of the keys of tabs');
    // Product: webhook rights per module (users, payment, ... exports).
    expect(text).toContain('rights.whatsapp is not one of the keys of rights');
    // Product: the logo must be a png/jpeg/gif; the bytes are checked, not just the name.
    expect(text).toContain(
      'logo.content_base64 must hold an image of the format logo.file_name names',
    );
    expect(text).toMatch(/line 11, in resource \\?"telform_account\\?" \\?"bad\\?": 11: logo = /);
  });

  it('applies an audio clip played as hold music and a user with privileges, then plans no changes', async () => {
    await ws.write(
      'clips',
      'main.tf',
      providerBlock +
        account +
        `
resource "telform_audio_clip" "piano" {
  account_id     = telform_account.acme.id
  name           = "Calm piano"
  file_name      = "calm-piano.wav"
  content_base64 = "${wav}"
}
resource "telform_telephony_settings" "main" {
  account_id         = telform_account.acme.id
  hold_music_clip_id = telform_audio_clip.piano.id
}
resource "telform_user" "alice" {
  account_id = telform_account.acme.id
  name       = "Alice"
  login      = "alice"
  email      = "alice@acme.example"
  privileges = { transfer = true, admin = false }
  tabs       = { home = true }
}
output "settings_id" {
  value = telform_telephony_settings.main.id
}
output "clip" {
  value = { format = telform_audio_clip.piano.format, size = telform_audio_clip.piano.size_bytes }
}
`,
    );
    expect((await ws.terraform('clips', 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform('clips', 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 4 added, 0 changed, 0 destroyed.');
    // Product (hosted PBX): format and size are read by the platform from the uploaded file.
    const out = JSON.parse((await ws.terraform('clips', 'output', '-json', 'clip')).stdout);
    expect(out).toEqual({ format: 'wav', size: 44 });
    // The platform's defaults for the privileges never configured stay out of the state.
    const plan = await ws.terraform('clips', 'plan', '-detailed-exitcode', '-no-color');
    expect(plan.stdout).toContain('No changes.');
    const settingsId = JSON.parse(
      (await ws.terraform('clips', 'output', '-json', 'settings_id')).stdout,
    ) as string;
    const settings = await client.get('telephony_settings', settingsId);
    // The platform holds its own clip id: the reference was resolved for it.
    expect(settings?.status.observed?.hold_music_clip_id).toMatch(/^clip-/);
  });
});
