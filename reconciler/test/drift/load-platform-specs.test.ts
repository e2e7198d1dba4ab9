// The platform view of a read (status.platform_spec) as the store loads it: references turned
// both ways and the drift policies of the owner chain, on both stores. A read of one resource
// loads it with the row (platformViewColumns), a list page in a statement of its own
// (loadPlatformSpecs): each case checks both, so the two never disagree.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { getKind } from '@telform/schemas';
import { beforeAll, expect, it } from 'vitest';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { describeEachDatabase } from '../support/databases.js';

const admin = { scopeAccountId: null, revealGeneratedSecrets: true };

describeEachDatabase('loadPlatformSpecs through ResourceStore', (database) => {
  let store: ResourceStore;
  const ids = { account: '', sub: '', other: '', user: '' };
  const observe = async (id: string, observed: Record<string, unknown>) => {
    await sql`update resources set external_id = ${`p_${id}`}, observed = ${JSON.stringify(observed)}::jsonb,
      applied_generation = generation where id = ${id}`.execute(database().db);
  };
  const user = { name: 'Ada', login: 'ada', email: 'ada@acme.example' };

  beforeAll(async () => {
    store = new ResourceStore(database().db, new AesGcmSecretBox(randomBytes(32)));
    const account = await store.create('account', { name: 'Acme', email: 'a@acme.example' }, admin);
    ids.account = account.id;
    ids.sub = (
      await store.create('sub_account', { account_id: account.id, name: 'Sub' }, admin)
    ).id;
    ids.other = (await store.create('account', { name: 'Other', email: 'o@o.example' }, admin)).id;
    ids.user = (await store.create('user', { account_id: account.id, ...user }, admin)).id;
    for (const id of [ids.account, ids.sub, ids.other]) {
      const row = await store.get(id.startsWith('sub') ? 'sub_account' : 'account', id, admin);
      await observe(id, row!.spec);
    }
  });

  const cases = [
    {
      why: 'an unchanged reference keeps the spec’s telform id (platform id resolved for the compare)',
      observed: () => ({ ...user, account_id: `p_${ids.account}` }),
      policy: undefined,
      want: () => ({ account_id: ids.account, name: 'Ada' }),
    },
    {
      why: 'a user moved on the platform shows the telform id of the sub-account it moved to',
      observed: () => ({ ...user, account_id: `p_${ids.sub}` }),
      policy: undefined,
      want: () => ({ account_id: ids.sub, name: 'Ada' }),
    },
    {
      why: 'a platform id of another tree is never translated: the plan shows what it cannot match',
      observed: () => ({ ...user, account_id: `p_${ids.other}` }),
      policy: undefined,
      want: () => ({ account_id: `p_${ids.other}` }),
    },
    {
      why: 'a field changed on the platform shows the platform’s value',
      observed: () => ({ ...user, name: 'Edited', account_id: `p_${ids.account}` }),
      policy: undefined,
      want: () => ({ name: 'Edited' }),
    },
    {
      why: 'the account’s drift policy (ignore name) applies to its user: the desired value stays',
      observed: () => ({ ...user, name: 'Edited', account_id: `p_${ids.account}` }),
      policy: () => ({ target: ids.account, ignore: ['name'] }),
      want: () => ({ name: 'Ada' }),
    },
  ];

  it.each(cases)('$why', async (c) => {
    const { db } = database();
    await sql`delete from drift_policies`.execute(db);
    const policy = c.policy?.();
    if (policy) {
      await sql`insert into drift_policies (target_id, target_type, mode, ignore_fields, updated_by)
        values (${policy.target}, 'account', null, ${JSON.stringify(policy.ignore)}::jsonb, 'test')`.execute(
        db,
      );
    }
    await observe(ids.user, c.observed());
    const read = await store.get('user', ids.user, admin);
    expect(read?.status.platform_spec).toMatchObject(c.want());
    const page = await store.list({ ...admin, kind: 'user', accountId: ids.account, limit: 10 });
    expect(page.items.find((i) => i.id === ids.user)?.status.platform_spec).toEqual(
      read?.status.platform_spec,
    );
  });

  // Why: a reference held in an array (playlist.clip_ids) is collected item by item, in the
  // one-resource read's SQL/JSON paths as in the list page's walk of the schema.
  it('an array of references turns each platform id back into its telform id', async () => {
    const example = (kind: string) => getKind(kind).schema['x-telform'].example as object;
    const clip = await store.create(
      'audio_clip',
      { ...example('audio_clip'), account_id: ids.account },
      admin,
    );
    await observe(clip.id, clip.spec);
    const playlist = await store.create(
      'playlist',
      { ...example('playlist'), account_id: ids.account, clip_ids: [clip.id] },
      admin,
    );
    await observe(playlist.id, {
      ...playlist.spec,
      account_id: `p_${ids.account}`,
      clip_ids: [`p_${clip.id}`],
    });
    const read = await store.get('playlist', playlist.id, admin);
    expect(read?.status.platform_spec).toMatchObject({ clip_ids: [clip.id] });
    const page = await store.list({
      ...admin,
      kind: 'playlist',
      accountId: ids.account,
      limit: 10,
    });
    expect(page.items[0]?.status.platform_spec).toEqual(read?.status.platform_spec);
  });
});
