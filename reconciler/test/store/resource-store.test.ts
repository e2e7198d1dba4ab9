import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { secretAad } from '../../src/store/secret-fields.js';
import { StoreError } from '../../src/store/store-error.js';
import { describeEachDatabase } from '../support/databases.js';

const box = new AesGcmSecretBox(randomBytes(32));
const all = { scopeAccountId: null };
const account = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com` });
const user = (accountId: string, login: string, extra: Record<string, unknown> = {}) => ({
  account_id: accountId,
  name: login,
  login,
  email: `${login}@example.com`,
  ...extra,
});

async function refusal(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describeEachDatabase('ResourceStore', (database) => {
  let store: ResourceStore;
  let a: string;
  let b: string;
  beforeAll(async () => {
    store = new ResourceStore(database().db, box);
    a = (await store.create('account', account('Alpha'), all)).id;
    b = (await store.create('account', account('Beta'), all)).id;
  });

  const count = async () =>
    Number(
      (
        await database()
          .db.selectFrom('resources')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates at generation 1, pending, queued now, rooted at its account', async () => {
    const before = await store.queueDepth();
    const created = await store.create('user', user(a, 'ann'), all);
    expect(created.id).toMatch(/^user_[0-9a-z]{26}$/);
    expect(created.generation).toBe(1);
    expect(created.status.applied_generation).toBe(0);
    expect(created.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Synced', 'False', 'Pending'],
      ['Ready', 'False', 'Unavailable'],
    ]);
    const row = await database()
      .db.selectFrom('resources')
      .select(['root_account_id', 'next_reconcile_at'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.root_account_id).toBe(a);
    expect(row.next_reconcile_at).not.toBeNull();
    expect(await store.queueDepth()).toBe(before + 1);
  });

  it('keeps secrets out of the spec, sealed and bound to the resource', async () => {
    const created = await store.create('user', user(a, 'sec', { password: 'hunter2-Secret' }), all);
    expect(created.spec).not.toHaveProperty('password');
    expect(created.secrets_set).toEqual(['password']);
    expect(JSON.stringify(created)).not.toContain('hunter2');
    const row = await database()
      .db.selectFrom('resources')
      .select(['secrets', 'spec'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('hunter2');
    expect(box.open(row.secrets.password!, secretAad(created.id, 'password'))).toBe(
      'hunter2-Secret',
    );
  });

  it.each([
    {
      why: 'an unknown account id',
      account_id: 'account_00000000000000000000000000',
      rule: 'reference',
    },
    { why: 'a user id where an account is expected', account_id: 'USER', rule: 'reference' },
  ])('refuses $why, naming account_id, and stores nothing', async ({ account_id, rule }) => {
    const target =
      account_id === 'USER' ? (await store.create('user', user(a, 'x1'), all)).id : account_id;
    const before = await count();
    const err = await refusal(store.create('user', user(target, 'nobody'), all));
    expect(err.code).toBe('validation_failed');
    expect(err.errors).toEqual([expect.objectContaining({ field: 'account_id', rule })]);
    expect(await count()).toBe(before);
  });

  it('reads one resource through a prepared statement of its kind, same answer each time', async () => {
    const first = await store.get('account', a, all);
    expect(await store.get('account', a, all)).toEqual(first);
    expect(first?.id).toBe(a);
    // The pool hands back the connection it last released: the one the reads just used.
    const names = await sql<{
      name: string;
    }>`select name from pg_prepared_statements`.execute(database().db);
    expect(names.rows.map((r) => r.name)).toContain('telform_get_account');
  });

  it('treats rows outside the caller scope as absent', async () => {
    const inB = await store.create('user', user(b, 'bob'), all);
    const scopedToA = { scopeAccountId: a };
    expect(await store.get('user', inB.id, scopedToA)).toBeUndefined();
    expect(await store.get('user', inB.id, { scopeAccountId: b })).toBeDefined();
    const err = await refusal(store.create('user', user(b, 'sneaky'), scopedToA));
    expect(err.errors[0]).toMatchObject({ field: 'account_id', rule: 'reference' });
    expect((await refusal(store.replace('user', inB.id, user(b, 'bob'), scopedToA))).code).toBe(
      'not_found',
    );
    expect((await refusal(store.requestDeletion('user', inB.id, scopedToA))).code).toBe(
      'not_found',
    );
    expect((await refusal(store.create('account', account('Gamma'), scopedToA))).code).toBe(
      'forbidden',
    );
    const listed = await store.list({ kind: 'user', limit: 1000, ...scopedToA });
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.every((r) => r.account_id === a)).toBe(true);
  });

  it('replaces: bumps the generation, queues, honours If-Match, keeps or clears secrets', async () => {
    const created = await store.create('user', user(a, 'rep', { password: 'first-Secret1' }), all);
    const same = await store.replace('user', created.id, user(a, 'rep'), { ...all, ifMatch: 1 });
    expect(same.generation).toBe(1); // nothing changed: omitted secret kept, spec equal
    expect(same.secrets_set).toEqual(['password']);
    const resent = await store.replace(
      'user',
      created.id,
      user(a, 'rep', { password: 'first-Secret1' }),
      all,
    );
    expect(resent.generation).toBe(1); // the stored secret sent again is no change either
    const renamed = await store.replace('user', created.id, user(a, 'rep', { name: 'Rep 2' }), all);
    expect(renamed.generation).toBe(2);
    expect(renamed.spec.name).toBe('Rep 2');
    const stale = await refusal(
      store.replace('user', created.id, user(a, 'rep'), { ...all, ifMatch: 1 }),
    );
    expect(stale.code).toBe('precondition_failed');
    const cleared = await store.replace(
      'user',
      created.id,
      user(a, 'rep', { name: 'Rep 2', password: null }),
      all,
    );
    expect(cleared.generation).toBe(3);
    expect(cleared.secrets_set).toEqual([]);
  });

  it('refuses to move a force-new attribute and changes nothing', async () => {
    const created = await store.create('user', user(a, 'mover'), all);
    const err = await refusal(store.replace('user', created.id, user(b, 'mover'), all));
    expect(err.errors).toEqual([
      expect.objectContaining({ field: 'account_id', rule: 'force_new' }),
    ]);
    expect((await store.get('user', created.id, all))?.generation).toBe(1);
  });

  it('requests deletion once; a deleting resource refuses changes', async () => {
    const created = await store.create('user', user(a, 'gone'), all);
    const deleting = await store.requestDeletion('user', created.id, all);
    expect(deleting.deletion_requested_at).not.toBeNull();
    const again = await store.requestDeletion('user', created.id, all);
    expect(again.deletion_requested_at).toBe(deleting.deletion_requested_at);
    expect((await refusal(store.replace('user', created.id, user(a, 'gone'), all))).code).toBe(
      'conflict',
    );
    const child = await refusal(store.create('user', user(created.id, 'x'), all));
    expect(child.code).toBe('validation_failed');
  });

  it('pages by keyset: rows inserted between pages never repeat or hide existing ones', async () => {
    const tree = (await store.create('account', account('Paged'), all)).id;
    const original = new Set<string>();
    for (let i = 0; i < 25; i++)
      original.add((await store.create('user', user(tree, `p${i}`), all)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ kind: 'user', accountId: tree, cursor, limit: 7, ...all });
      seen.push(...page.items.map((r) => r.id));
      await store.create('user', user(tree, `late${seen.length}`), all);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const fromOriginal = seen.filter((id) => original.has(id));
    expect(fromOriginal).toHaveLength(original.size);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lists every kind of an account tree, and refuses an unknown account', async () => {
    const page = await store.list({ accountId: a, limit: 1000, ...all });
    expect(new Set(page.items.map((r) => r.kind))).toEqual(new Set(['account', 'user']));
    expect(page.items.every((r) => r.id === a || r.account_id === a)).toBe(true);
    const err = await refusal(store.list({ accountId: 'account_nope', limit: 10, ...all }));
    expect(err.code).toBe('not_found');
  });

  it('allows one singleton per account, even when two creates race', async () => {
    const tree = (await store.create('account', account('Single'), all)).id;
    const tries = await Promise.allSettled([
      store.create('data_retention', { account_id: tree }, all),
      store.create('data_retention', { account_id: tree }, all),
      store.create('data_retention', { account_id: tree }, all),
    ]);
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    for (const t of tries.filter((t) => t.status === 'rejected')) {
      expect((t as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    }
    const other = await store.create('data_retention', { account_id: a }, all);
    expect(other.kind).toBe('data_retention');
  });

  it('rejects a cursor it did not issue, naming the field', async () => {
    const err = await refusal(store.list({ cursor: '%%%', limit: 10, ...all }));
    expect(err.errors[0]).toMatchObject({ field: 'cursor', rule: 'format' });
  });
});
