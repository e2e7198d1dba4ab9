/**
 * The account's playlist (contact-center 000 "Account settings > Playlist") through the real
 * terraform CLI: uploaded clips, a playlist of them in order, and the account playing it, applied
 * in one run (clips, then the playlist, then the choice: no reference cycle), held by the
 * platform in that order, reordered in place, and destroyed in reverse order past the
 * platform's in-use guards.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelformClient } from '../src/client/telform-client.js';
import {
  describeWithTerraform,
  openTerraformWorkspace,
  providerBlock,
  type TerraformWorkspace,
} from './support/terraform-workspace.js';

const wav = (() => {
  const out = Buffer.alloc(44);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  return out.toString('base64');
})();

const config = (order: string) =>
  providerBlock +
  `
resource "telform_account" "acme" {
  name  = "Acme"
  email = "admin@acme.example"
}
resource "telform_audio_clip" "intro" {
  account_id     = telform_account.acme.id
  name           = "Intro"
  file_name      = "intro.wav"
  content_base64 = "${wav}"
}
resource "telform_audio_clip" "music" {
  account_id     = telform_account.acme.id
  name           = "Music"
  file_name      = "music.wav"
  content_base64 = "${wav}"
}
resource "telform_playlist" "welcome" {
  account_id = telform_account.acme.id
  name       = "Welcome loop"
  clip_ids   = [${order}]
}
resource "telform_account_playlist" "acme" {
  account_id  = telform_account.acme.id
  playlist_id = telform_playlist.welcome.id
}
output "ids" {
  value = { account = telform_account.acme.id, intro = telform_audio_clip.intro.id, music = telform_audio_clip.music.id, playlist = telform_playlist.welcome.id }
}
`;
const introFirst =
  'telform_audio_clip.intro.id, telform_audio_clip.music.id, telform_audio_clip.intro.id';

describeWithTerraform('playlists through terraform', () => {
  let ws: TerraformWorkspace;
  let client: TelformClient;
  const externalId = async (kind: string, id: string) =>
    String(((await client.get(kind, id))?.status as { external_id?: string }).external_id);
  const platform = async (path: string) => {
    const emu = ws.daemon.emulator!;
    const res = await fetch(emu.url + path, {
      headers: { authorization: `Bearer ${emu.partnerKey}` },
    });
    expect(res.status, path).toBe(200);
    return ((await res.json()) as { attributes: Record<string, unknown> }).attributes;
  };

  beforeAll(async () => {
    ws = await openTerraformWorkspace();
    client = new TelformClient({ endpoint: ws.daemon.url, token: ws.token });
  }, 180_000);
  afterAll(async () => ws?.close());

  it('applies clips, the playlist in order and the account playlist; reorders; destroys', async () => {
    await ws.write('main', 'main.tf', config(introFirst));
    expect((await ws.terraform('main', 'init', '-input=false', '-no-color')).code).toBe(0);
    const apply = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Resources: 5 added, 0 changed, 0 destroyed.');
    const ids = JSON.parse((await ws.terraform('main', 'output', '-json', 'ids')).stdout) as Record<
      string,
      string
    >;
    const acct = await externalId('account', ids.account!);
    const [intro, music, list] = [
      await externalId('audio_clip', ids.intro!),
      await externalId('audio_clip', ids.music!),
      await externalId('playlist', ids.playlist!),
    ];
    // The platform plays the clips in the configured order, by its own ids.
    expect((await platform(`/v1/accounts/${acct}/playlists/${list}`)).clip_ids).toEqual([
      intro,
      music,
      intro,
    ]);
    expect(await platform(`/v1/accounts/${acct}/settings/account_playlist`)).toMatchObject({
      playlist_id: list,
    });
    const again = await ws.terraform('main', 'plan', '-detailed-exitcode', '-no-color');
    expect(again.code, again.stdout).toBe(0);

    // A new order is an update in place of the playlist alone.
    await ws.write(
      'main',
      'main.tf',
      config('telform_audio_clip.music.id, telform_audio_clip.intro.id'),
    );
    const reorder = await ws.terraform('main', 'apply', '-auto-approve', '-no-color');
    expect(reorder.stderr).toBe('');
    expect(reorder.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
    expect((await platform(`/v1/accounts/${acct}/playlists/${list}`)).clip_ids).toEqual([
      music,
      intro,
    ]);

    // Destroy runs backwards: the choice, the playlist, the clips, the account.
    const destroy = await ws.terraform('main', 'destroy', '-auto-approve', '-no-color');
    expect(destroy.stderr).toBe('');
    expect(destroy.stdout).toContain('Resources: 5 destroyed.');
  }, 300_000);
});
