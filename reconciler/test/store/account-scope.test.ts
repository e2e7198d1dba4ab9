import { beforeAll, expect, it } from 'vitest';
import { inTree, resolveAccountTree } from '../../src/store/account-scope.js';
import { describeEachDatabase } from '../support/databases.js';

// Rows inserted directly: the tree logic must not depend on which kinds have schemas yet.
const rows: Array<[id: string, kind: string, accountId: string | null, root: string]> = [
  ['acc_a', 'account', null, 'acc_a'],
  ['sub_a1', 'sub_account', 'acc_a', 'acc_a'],
  ['sub_a1x', 'sub_account', 'sub_a1', 'acc_a'],
  ['sub_a2', 'sub_account', 'acc_a', 'acc_a'],
  ['usr_a', 'user', 'acc_a', 'acc_a'],
  ['usr_a1', 'user', 'sub_a1', 'acc_a'],
  ['usr_a1x', 'user', 'sub_a1x', 'acc_a'],
  ['usr_a2', 'user', 'sub_a2', 'acc_a'],
  ['acc_b', 'account', null, 'acc_b'],
  ['usr_b', 'user', 'acc_b', 'acc_b'],
];

describeEachDatabase('account trees', (database) => {
  beforeAll(async () => {
    await database()
      .db.insertInto('resources')
      .values(
        rows.map(([id, kind, account_id, root_account_id]) => ({
          id,
          kind,
          account_id,
          root_account_id,
          spec: '{}',
        })),
      )
      .execute();
  });

  it.each([
    {
      why: 'a root account is its whole tree',
      account: 'acc_a',
      expected: rows.filter((r) => r[3] === 'acc_a').map((r) => r[0]),
    },
    {
      why: 'a sub-account covers nested sub-accounts too',
      account: 'sub_a1',
      expected: ['sub_a1', 'sub_a1x', 'usr_a1', 'usr_a1x'],
    },
    {
      why: 'a leaf sub-account covers only itself and its rows',
      account: 'sub_a2',
      expected: ['sub_a2', 'usr_a2'],
    },
    { why: 'an unknown id matches nothing', account: 'acc_zzz', expected: [] },
    { why: 'a user id is no account: nothing', account: 'usr_a', expected: [] },
  ])('$why', async ({ account, expected }) => {
    const tree = await resolveAccountTree(database().db, account);
    const found = await database()
      .db.selectFrom('resources')
      .select('id')
      .where((eb) => inTree(eb, tree))
      .orderBy('id')
      .execute();
    expect(found.map((r) => r.id)).toEqual([...expected].sort());
  });
});
