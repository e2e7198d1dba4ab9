/**
 * The account's playlist (contact-center 000 "Account settings > Playlist": a pre-configured
 * playlist of the Playlists tab, played during a call distribution to the user before the user
 * answers) through the emulator's HTTP API: a playlist is uploaded clips in order, the account
 * plays one of its own, and neither a chosen playlist nor a clip in a playlist can be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const wav = () => {
  const out = Buffer.alloc(44);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  return out.toString('base64');
};
const clip = async (accountId: string, name: string) => {
  const r = await t.call('POST', `/v1/accounts/${accountId}/audio_clips`, {
    name,
    file_name: `${name}.wav`,
    content_base64: wav(),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

describe('playlists (000 Playlist)', () => {
  it('keeps the clips in the order given, a clip coming back later included', async () => {
    const a = await t.account();
    const [intro, music] = [await clip(a.id, 'intro'), await clip(a.id, 'music')];
    const r = await t.call('POST', `/v1/accounts/${a.id}/playlists`, {
      name: 'Welcome loop',
      clip_ids: [intro, music, intro],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const read = await t.call('GET', `/v1/accounts/${a.id}/playlists/${r.body.id}`);
    expect(read.body.attributes.clip_ids).toEqual([intro, music, intro]);
    // Reordering is an update like any other.
    const put = await t.call('PUT', `/v1/accounts/${a.id}/playlists/${r.body.id}`, {
      name: 'Welcome loop',
      clip_ids: [music, intro],
    });
    expect(put.status).toBe(200);
    expect(put.body.attributes.clip_ids).toEqual([music, intro]);
  });

  it.each([
    {
      why: 'a playlist plays at least one clip',
      clips: () => Promise.resolve([] as string[]),
      field: 'clip_ids',
    },
    {
      why: "a clip of another account is not this account's to play",
      clips: async () => [await clip((await t.account()).id, 'foreign')],
      field: 'clip_ids',
    },
    {
      why: 'a clip that does not exist',
      clips: () => Promise.resolve(['clip-999999']),
      field: 'clip_ids',
    },
  ])('refuses it: $why, naming the field', async ({ clips, field }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/playlists`, {
      name: 'Broken',
      clip_ids: await clips(),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(String(r.body.error.field)).toMatch(new RegExp(`^${field}`));
    expect((await t.call('GET', `/v1/accounts/${a.id}/playlists`)).body.items).toEqual([]);
  });
});

describe('the account playlist (000: played during distribution before the user answers)', () => {
  it('plays a playlist of the account; another account is refused, naming playlist_id', async () => {
    const a = await t.account();
    const list = await t.call('POST', `/v1/accounts/${a.id}/playlists`, {
      name: 'Welcome loop',
      clip_ids: [await clip(a.id, 'intro')],
    });
    const settings = `/v1/accounts/${a.id}/settings/account_playlist`;
    const ok = await t.call('PUT', settings, { playlist_id: list.body.id });
    expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
    expect((await t.call('GET', settings)).body.attributes).toMatchObject({
      playlist_id: list.body.id,
    });

    const other = await t.account();
    const foreign = await t.call('POST', `/v1/accounts/${other.id}/playlists`, {
      name: 'Theirs',
      clip_ids: [await clip(other.id, 'theirs')],
    });
    const refused = await t.call('PUT', settings, { playlist_id: foreign.body.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'playlist_id', rule: 'reference' });
    expect((await t.call('GET', settings)).body.attributes.playlist_id).toBe(list.body.id);
  });

  it('refuses to delete the chosen playlist and a clip in a playlist, until they are free', async () => {
    const a = await t.account();
    const intro = await clip(a.id, 'intro');
    const list = await t.call('POST', `/v1/accounts/${a.id}/playlists`, {
      name: 'Welcome loop',
      clip_ids: [intro],
    });
    const settings = `/v1/accounts/${a.id}/settings/account_playlist`;
    await t.call('PUT', settings, { playlist_id: list.body.id });
    const listPath = `/v1/accounts/${a.id}/playlists/${list.body.id}`;
    const clipPath = `/v1/accounts/${a.id}/audio_clips/${intro}`;

    const busyList = await t.call('DELETE', listPath);
    expect(busyList.status).toBe(409);
    expect(busyList.body.error).toMatchObject({ rule: 'in_use' });
    const busyClip = await t.call('DELETE', clipPath);
    expect(busyClip.status).toBe(409);
    expect(busyClip.body.error.message).toContain(String(list.body.id));

    // Reverse order, as terraform destroy runs it: the choice, the playlist, then the clip.
    expect((await t.call('DELETE', settings)).status).toBe(204);
    expect((await t.call('DELETE', listPath)).status).toBe(204);
    expect((await t.call('DELETE', clipPath)).status).toBe(204);
  });

  it('an account deleted with its playlists and clips takes them all', async () => {
    const a = await t.account();
    const list = await t.call('POST', `/v1/accounts/${a.id}/playlists`, {
      name: 'Welcome loop',
      clip_ids: [await clip(a.id, 'intro')],
    });
    await t.call('PUT', `/v1/accounts/${a.id}/settings/account_playlist`, {
      playlist_id: list.body.id,
    });
    expect((await t.call('DELETE', `/v1/accounts/${a.id}`)).status).toBe(204);
  });
});
