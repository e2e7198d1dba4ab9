/**
 * Validation the products apply, through the emulator's HTTP API: closed sets refuse unknown
 * keys, uploaded files are checked by their bytes (not their names), and hold music plays an
 * uploaded audio clip of the same account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from './support/emulator-client.js';
import type { TestEmulator } from './support/emulator-client.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await testEmulator();
});
afterAll(() => t.close());

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const wav = () => {
  const out = Buffer.alloc(44);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  return b64(out);
};
const mp3 = () => b64(Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb]));
const png = (w: number, h: number) => {
  const out = Buffer.alloc(33);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  out.writeUInt32BE(13, 8);
  out.write('IHDR', 12, 'latin1');
  out.writeUInt32BE(w, 16);
  out.writeUInt32BE(h, 20);
  return b64(out);
};
const user = (extra: Record<string, unknown>) => ({
  name: 'Alice',
  login: 'alice',
  email: 'alice@acme.example',
  ...extra,
});

describe('closed sets refuse a key they do not have', () => {
  it.each([
    {
      why: 'dialer privileges: super_admin is not one (admin is), the agent would lack the right',
      path: 'users',
      body: user({ privileges: { super_admin: true } }),
      field: 'privileges.super_admin',
    },
    {
      why: 'dialer tabs: manual_dail is a misspelling',
      path: 'users',
      body: user({ tabs: { manual_dail: true } }),
      field: 'tabs.manual_dail',
    },
    {
      why: 'webhook rights name the product modules only',
      path: 'webhooks',
      body: { url: 'https://hooks.acme.example/x', rights: { whatsapp: true } },
      field: 'rights.whatsapp',
    },
  ])('$why', async ({ path, body, field }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/${path}`, body);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ field, rule: 'additionalProperties' });
    const list = await t.call('GET', `/v1/accounts/${a.id}/${path}`);
    expect(list.body.items).toEqual([]);
  });
});

describe('uploaded files are checked by content', () => {
  it.each([
    {
      why: 'contact-center logo: a text file named .png is refused',
      settings: 'account',
      logo: { file_name: 'logo.png', content_base64: b64('just text, no image') },
      rule: 'image_format',
    },
    {
      why: 'contact-center logo: a real PNG named .png is accepted',
      settings: 'account',
      logo: { file_name: 'logo.png', content_base64: png(400, 300) },
      rule: undefined,
    },
    {
      why: 'CPaaS portal logo: a PNG named .gif is refused',
      settings: 'customization',
      logo: { file_name: 'logo.gif', content_base64: png(100, 100) },
      rule: 'image_format',
    },
    {
      why: 'CPaaS portal logo: at most 150x150 px',
      settings: 'customization',
      logo: { file_name: 'logo.png', content_base64: png(151, 100) },
      rule: 'max_image_dimensions',
    },
  ])('$why', async ({ settings, logo, rule }) => {
    if (settings === 'account') {
      const r = await t.call('POST', '/v1/accounts', {
        name: 'Logo',
        email: 'logo@acme.example',
        logo,
      });
      expect(r.status).toBe(rule ? 422 : 201);
      if (rule) expect(r.body.error).toMatchObject({ field: 'logo.content_base64', rule });
      return;
    }
    const a = await t.account();
    const r = await t.call('PUT', `/v1/accounts/${a.id}/settings/customization`, {
      hostname: 'portal.acme.example',
      logo,
    });
    expect(r.status).toBe(rule ? 422 : 200);
    if (rule) expect(r.body.error).toMatchObject({ field: 'logo.content_base64', rule });
  });
});

describe('audio clips and hold music', () => {
  it.each([
    { why: 'a WAV file named .wav', file_name: 'piano.wav', content: wav(), status: 201 },
    {
      why: 'an MP3 with an ID3 tag named .mp3',
      file_name: 'piano.mp3',
      content: mp3(),
      status: 201,
    },
    {
      why: 'a WAV named .mp3 is not what its name says',
      file_name: 'piano.mp3',
      content: wav(),
      status: 422,
      rule: 'audio_format',
    },
    {
      why: 'text is no audio',
      file_name: 'piano.wav',
      content: b64('hello'),
      status: 422,
      rule: 'audio_format',
    },
    {
      why: 'only MP3 and WAV are accepted',
      file_name: 'piano.ogg',
      content: wav(),
      status: 422,
      rule: 'pattern',
    },
  ])('upload: $why', async ({ file_name, content, status, rule }) => {
    const a = await t.account();
    const r = await t.call('POST', `/v1/accounts/${a.id}/audio_clips`, {
      name: 'Piano',
      file_name,
      content_base64: content,
    });
    expect(r.status).toBe(status);
    if (rule) expect(r.body.error).toMatchObject({ rule });
    else {
      const decoded = Buffer.from(content, 'base64');
      expect(r.body.attributes).toMatchObject({
        format: file_name.split('.').pop(),
        size_bytes: decoded.length,
      });
    }
  });

  it('hold music plays a clip of the same account, which cannot be deleted while in use', async () => {
    const a = await t.account();
    const other = await t.account();
    const clip = await t.call('POST', `/v1/accounts/${a.id}/audio_clips`, {
      name: 'Piano',
      file_name: 'piano.wav',
      content_base64: wav(),
    });
    const foreign = await t.call('POST', `/v1/accounts/${other.id}/audio_clips`, {
      name: 'Other',
      file_name: 'other.wav',
      content_base64: wav(),
    });
    const settings = `/v1/accounts/${a.id}/settings/telephony_settings`;
    const refused = await t.call('PUT', settings, { hold_music_clip_id: foreign.body.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ field: 'hold_music_clip_id', rule: 'reference' });
    const missing = await t.call('PUT', settings, { hold_music_clip_id: 'clip-999999' });
    expect(missing.body.error).toMatchObject({ field: 'hold_music_clip_id', rule: 'reference' });
    expect(
      (await t.call('PUT', settings, { hold_music_clip_id: clip.body.id })).status,
    ).toBeLessThan(300);
    const clipPath = `/v1/accounts/${a.id}/audio_clips/${clip.body.id}`;
    const inUse = await t.call('DELETE', clipPath);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ rule: 'in_use' });
    expect((await t.call('PUT', settings, {})).status).toBe(200);
    expect((await t.call('DELETE', clipPath)).status).toBeLessThan(300);
  });

  it('deleting the account takes its clips even while hold music plays one', async () => {
    const a = await t.account();
    const clip = await t.call('POST', `/v1/accounts/${a.id}/audio_clips`, {
      name: 'Piano',
      file_name: 'piano.wav',
      content_base64: wav(),
    });
    await t.call('PUT', `/v1/accounts/${a.id}/settings/telephony_settings`, {
      hold_music_clip_id: clip.body.id,
    });
    expect((await t.call('DELETE', `/v1/accounts/${a.id}`)).status).toBeLessThan(300);
  });
});
