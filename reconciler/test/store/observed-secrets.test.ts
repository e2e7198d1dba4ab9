import { randomBytes } from 'node:crypto';
import { getKind } from '@telform/schemas';
import { beforeEach, describe, expect, it } from 'vitest';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import {
  isSealedSecret,
  maskObserved,
  observedSecretAad,
  openObserved,
  sealObserved,
} from '../../src/store/observed-secrets.js';
import { secretAad } from '../../src/store/secret-fields.js';
import { describeEachDatabase } from '../support/databases.js';
import { accountSpec, makeHarness, type Harness } from '../reconcile/engine-harness.js';

const box = new AesGcmSecretBox(randomBytes(32));
const paths = getKind('provisioning').generatedSecrets;
const token = 'tok-Zq81xLm0pQ';
const url = `https://prov.example/boot/${token}`;
const platform = { account_id: 'pa-1', token, provisioning_url: url, token_rotated_at: 'T' };
const id = 'provisioning_01jd8x0000000000000000000a';

describe('sealObserved / openObserved / maskObserved', () => {
  const sealed = sealObserved(box, id, paths, platform);

  it('seals the token and the URL embedding it; other attributes stay readable', () => {
    expect(isSealedSecret(sealed.token)).toBe(true);
    expect(isSealedSecret(sealed.provisioning_url)).toBe(true);
    expect(sealed).toMatchObject({ account_id: 'pa-1', token_rotated_at: 'T' });
    expect(JSON.stringify(sealed)).not.toContain(token);
    expect(platform.token, 'the platform answer is not mutated').toBe(token);
  });

  it('opens for a reader of desired state, and masks (omits) for everyone else', () => {
    expect(openObserved(box, id, paths, sealed)).toEqual(platform);
    expect(maskObserved(paths, sealed)).toEqual({ account_id: 'pa-1', token_rotated_at: 'T' });
  });

  it.each([
    {
      why: 'an envelope copied to another resource does not open there',
      open: () => openObserved(box, 'provisioning_other', paths, sealed),
    },
    {
      why: 'an envelope whose key was rotated away is omitted, never shown sealed',
      open: () => openObserved(new AesGcmSecretBox(randomBytes(32)), id, paths, sealed),
    },
  ])('$why', ({ open }) => {
    expect(open()).toEqual({ account_id: 'pa-1', token_rotated_at: 'T' });
  });

  it('binds the aad to the observed document, apart from a write-only secret at that path', () => {
    expect(observedSecretAad(id, 'token')).toBe(`${id}:token:observed`);
    expect(observedSecretAad(id, 'token')).not.toBe(secretAad(id, 'token'));
    const desiredSide = box.seal(token, secretAad(id, 'token'));
    expect(openObserved(box, id, paths, { token: desiredSide })).toEqual({});
  });

  it.each([
    { why: 'a null token (none generated yet) stays null', observed: { token: null } },
    { why: 'an already sealed value is not sealed twice', observed: { token: sealed.token } },
  ])('$why', ({ observed }) => {
    expect(sealObserved(box, id, paths, observed)).toEqual(observed);
  });

  // Every GET makes one of these views: a copy only when the answer differs from what is stored.
  it.each([
    {
      why: 'nothing sealed (the platform generated no secret): the stored document itself',
      stored: { account_id: 'pa-1', token: null },
      open: 'same',
      mask: 'copy',
    },
    {
      why: 'no secret attribute at all: the stored document itself, for readers and others',
      stored: { account_id: 'pa-1' },
      open: 'same',
      mask: 'same',
    },
    {
      why: 'a clear value stored before sealing existed: shown as is, omitted from a copy',
      stored: { account_id: 'pa-1', token },
      open: 'same',
      mask: 'copy',
    },
    { why: 'an envelope: opened in a copy', stored: sealed, open: 'copy', mask: 'copy' },
  ] as const)('$why', ({ stored, open, mask }) => {
    const before = structuredClone(stored);
    const opened = openObserved(box, id, paths, stored);
    const masked = maskObserved(paths, stored);
    expect(opened === stored ? 'same' : 'copy', 'open').toBe(open);
    expect(masked === stored ? 'same' : 'copy', 'mask').toBe(mask);
    expect(stored, 'the stored document is never changed').toEqual(before);
  });

  it('shows a clear value stored before sealing existed to readers only', () => {
    const legacy = { token, token_rotated_at: 'T' };
    expect(openObserved(box, id, paths, legacy)).toEqual(legacy);
    expect(maskObserved(paths, legacy)).toEqual({ token_rotated_at: 'T' });
  });
});

describeEachDatabase('observed platform secrets in the store', (database) => {
  let h: Harness;
  const all = { scopeAccountId: null };
  const reader = { scopeAccountId: null, revealGeneratedSecrets: true };

  beforeEach(async () => {
    await database().db.deleteFrom('resources').execute();
    h = makeHarness(database().db);
  });

  // The fake platform generates a token on create, as the emulator does.
  async function provisioned() {
    const account = await h.store.create('account', accountSpec, all);
    const prov = await h.store.create(
      'provisioning',
      { account_id: account.id, rotate_trigger: '1' },
      all,
    );
    h.driver.afterCreate = async () => {
      const made = h.driver.objects.get(prov.id);
      if (made) Object.assign(made.attributes, { token, provisioning_url: url });
    };
    expect(await h.drain()).toEqual(['created', 'created']);
    return prov.id;
  }

  it('stores the token sealed, never in clear, on create and on later observes', async () => {
    const provId = await provisioned();
    const stored = (await h.row(provId))!.observed!;
    expect(isSealedSecret(stored.token)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(token);
    // A resync observes the platform again (outcome synced): still sealed.
    await database()
      .db.updateTable('resources')
      .set({ next_reconcile_at: new Date() })
      .where('id', '=', provId)
      .execute();
    expect(await h.drain()).toEqual(['synced']);
    expect(JSON.stringify((await h.row(provId))!.observed)).not.toContain(token);
  });

  it('opens it on reads for readers of desired state; omits it otherwise and in write answers', async () => {
    const provId = await provisioned();
    expect((await h.store.get('provisioning', provId, reader))!.status.observed).toMatchObject({
      token,
      provisioning_url: url,
    });
    const listed = await h.store.list({ kind: 'provisioning', limit: 10, ...reader });
    expect(listed.items[0]!.status.observed).toMatchObject({ token });

    const masked = [
      (await h.store.get('provisioning', provId, all))!,
      (await h.store.list({ kind: 'provisioning', limit: 10, ...all })).items[0]!,
      // Write answers are stored for Idempotency-Key replays: never opened, even for a reader.
      await h.store.replace(
        'provisioning',
        provId,
        { account_id: (await h.row(provId))!.account_id, rotate_trigger: '2' },
        reader,
      ),
    ];
    for (const resource of masked) {
      expect(resource.status.observed).not.toHaveProperty('token');
      expect(resource.status.observed).not.toHaveProperty('provisioning_url');
      expect(JSON.stringify(resource)).not.toContain('"ct"');
    }
  });
});
