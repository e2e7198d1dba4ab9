// An account unchanged since its last scan is not compared again (account-clean-key.ts): each
// case changes one thing a scan's findings follow from, and the next scan must compare again
// and find what a full compare finds.
import { sql, type Kysely } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner, type AccountScanResult } from '../../src/drift/drift-scanner.js';
import type { Database } from '../../src/store/database.js';
import { describeEachDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

const acme = { name: 'Acme', email: 'admin@acme.example' };
const user = (name: string) => ({
  account_id: 'account_k',
  name,
  login: name.toLowerCase(),
  email: `${name.toLowerCase()}@acme.example`,
});

interface World {
  readonly db: Kysely<Database>;
  readonly driver: MemoryPlatformDriver;
  /** Platform ids by telform id. */
  readonly ext: Record<string, string>;
  /** Scans with a scanner of this compare fingerprint (default: the real one). */
  fingerprint?: string;
}

type Scanned = Extract<AccountScanResult, { outcome: 'scanned' }>;

interface Case {
  readonly name: string;
  /** Why the case exists. */
  readonly reason: string;
  readonly change: (w: World) => Promise<void> | void;
  /** What the scan after the change reports (it must have compared again). */
  readonly want: Partial<Scanned>;
}

const cases: Case[] = [
  {
    name: 'a platform edit',
    reason: 'an object edited in the console lists another document',
    change: (w) => w.driver.consoleEdit(w.ext.user_k_bob!, { name: 'Robert' }, 'console:eve'),
    want: { opened: 1, stillOpen: 1 },
  },
  {
    name: 'an object deleted on the platform',
    reason: 'a listing without the object must report it missing',
    change: (w) => w.driver.remove(w.ext.user_k_bob!, 'console:eve'),
    want: { opened: 1, stillOpen: 1 },
  },
  {
    name: 'an object created on the platform',
    reason: 'a new object nobody manages must be reported unmanaged',
    change: (w) => {
      w.driver.seed('user', w.ext.account_k!, { name: 'Stranger', login: 'x', email: 'x@y.z' });
    },
    want: { unmanaged: 1, stillOpen: 1 },
  },
  {
    name: 'a spec change applied',
    reason: 'a new generation means other desired values: the platform now differs',
    change: (w) =>
      sql`update resources set spec = ${JSON.stringify(user('Bobby'))}::jsonb,
        generation = generation + 1, applied_generation = applied_generation + 1
        where id = 'user_k_bob'`.execute(w.db),
    want: { opened: 1, stillOpen: 1 },
  },
  {
    name: 'a spec changed without a new generation',
    reason: 'a hand-written UPDATE must not leave an old verdict standing',
    change: (w) =>
      sql`update resources set spec = ${JSON.stringify(user('Bobby'))}::jsonb
        where id = 'user_k_bob'`.execute(w.db),
    want: { opened: 1, stillOpen: 1 },
  },
  {
    name: 'a desired resource removed',
    reason: 'its platform object is nobody’s now; the max of the others’ sequence does not move',
    change: async (w) => {
      await w.db.deleteFrom('resources').where('id', '=', 'user_k_bob').execute();
    },
    want: { unmanaged: 1, stillOpen: 1 },
  },
  {
    name: 'a desired resource added',
    reason: 'a row the platform does not hold yet must be reported missing',
    change: (w) =>
      seedResources(w.db, [
        {
          id: 'user_k_carol',
          kind: 'user',
          accountId: 'account_k',
          rootAccountId: 'account_k',
          spec: user('Carol'),
          externalId: 'p-none',
        },
      ]),
    want: { opened: 1, stillOpen: 1 },
  },
  {
    name: 'an ignored field added to the policy',
    reason: 'the drifted field is ignored now: its record resolves',
    change: (w) =>
      w.db
        .insertInto('drift_policies')
        .values({
          target_id: 'account_k',
          target_type: 'account',
          ignore_fields: '["name"]',
          updated_by: 't',
        })
        .execute()
        .then(() => undefined),
    want: { resolved: 1, stillOpen: 0 },
  },
  {
    name: 'the mode set to correct',
    reason: 'the open drift is to be corrected: the engine is asked to',
    change: (w) =>
      w.db
        .insertInto('drift_policies')
        .values({
          target_id: 'account_k',
          target_type: 'account',
          mode: 'correct',
          updated_by: 't',
        })
        .execute()
        .then(() => undefined),
    want: { corrected: 1, stillOpen: 1 },
  },
  {
    name: 'a new compare fingerprint',
    reason: 'another release or schema may judge the same values otherwise',
    change: (w) => {
      w.fingerprint = 'another release';
    },
    want: { stillOpen: 1 },
  },
];

describeEachDatabase('account clean key', (database) => {
  let world: World;

  beforeEach(async () => {
    const { db } = database();
    for (const table of [
      'drift_records',
      'drift_policies',
      'unmanaged_objects',
      'drift_scans',
      'resources',
    ] as const)
      await db.deleteFrom(table).execute();
    const driver = new MemoryPlatformDriver();
    const pa = driver.seed('account', '', acme, 'account_k');
    const ext: Record<string, string> = { account_k: pa };
    for (const name of ['Alice', 'Bob'])
      ext[`user_k_${name.toLowerCase()}`] = driver.seed(
        'user',
        pa,
        { ...user(name), account_id: pa },
        `user_k_${name.toLowerCase()}`,
      );
    // Alice drifts from the start: an open record every case begins with.
    driver.consoleEdit(ext.user_k_alice!, { name: 'Alicia' }, 'console:dana');
    await seedResources(db, [
      {
        id: 'account_k',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_k',
        spec: acme,
        externalId: pa,
      },
      ...['alice', 'bob'].map((n) => ({
        id: `user_k_${n}`,
        kind: 'user',
        accountId: 'account_k',
        rootAccountId: 'account_k',
        spec: user(n[0]!.toUpperCase() + n.slice(1)),
        externalId: ext[`user_k_${n}`]!,
      })),
    ]);
    world = { db, driver, ext };
  });

  const scan = async (): Promise<Scanned> => {
    const { db, driver } = world;
    await db
      .updateTable('drift_scans')
      .set({ next_scan_at: new Date(0) })
      .execute();
    const scanner = new DriftScanner({
      db,
      driver,
      policies: new DriftPolicyCache(db),
      ...(world.fingerprint ? { compareFingerprint: world.fingerprint } : {}),
    });
    const [result] = await scanner.scanDue();
    expect(result?.outcome).toBe('scanned');
    return result as Scanned;
  };

  it('skips the compare of an account nothing changed in, and keeps its records open', async () => {
    expect(await scan()).toMatchObject({ unchanged: false, opened: 1 });
    const seen = async () =>
      (
        await world.db
          .selectFrom('drift_records')
          .select(['state', 'last_seen_at'])
          .executeTakeFirstOrThrow()
      ).last_seen_at.getTime();
    const before = await seen();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Why: the skip is the point; the record is still what the platform shows, seen again now.
    expect(await scan()).toMatchObject({ unchanged: true, compared: 0, stillOpen: 1, opened: 0 });
    expect(await seen()).toBeGreaterThan(before);
  });

  it.each(cases)('compares again after $name ($reason)', async (c) => {
    await scan();
    expect(await scan()).toMatchObject({ unchanged: true });
    await c.change(world);
    expect(await scan()).toMatchObject({ unchanged: false, ...c.want });
    // A full compare stores a key again: with nothing else changed the next scan skips.
    if (c.want.corrected === undefined) expect(await scan()).toMatchObject({ unchanged: true });
  });

  it('compares again after a failed scan', async () => {
    await scan();
    world.driver.failLists = true;
    const scanner = new DriftScanner({
      db: world.db,
      driver: world.driver,
      policies: new DriftPolicyCache(world.db),
    });
    expect((await scanner.scanAccount('account_k')).outcome).toBe('failed');
    world.driver.failLists = false;
    // Why: the failure left the scan state saying failed; only a compare may say success again.
    expect(await scan()).toMatchObject({ unchanged: false, stillOpen: 1 });
  });

  it('keeps comparing while drift is to be corrected', async () => {
    await world.db
      .insertInto('drift_policies')
      .values({ target_id: 'account_k', target_type: 'account', mode: 'correct', updated_by: 't' })
      .execute();
    await scan();
    // Why: every scan asks the engine again until the platform agrees; a skip would stop asking.
    expect(await scan()).toMatchObject({ unchanged: false, corrected: 1 });
  });
});
