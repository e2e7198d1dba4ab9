// A scan keeps `observed` fresh by digest: it writes only the documents that moved since its own
// last write, and a digest left behind by a write elsewhere can never hide a change.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import type { Database } from '../../src/store/database.js';
import { observedDigest } from '../../src/store/observed-digest.js';
import { describeEachDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

const observedOf = async (db: Kysely<Database>, id: string) =>
  db
    .selectFrom('resources')
    .select(['observed', 'observed_digest'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describeEachDatabase('drift scan observations', (database) => {
  let driver: MemoryPlatformDriver;
  let scanner: DriftScanner;
  let user: string;
  const updates: string[] = [];

  beforeEach(async () => {
    const { db } = database();
    for (const t of ['drift_records', 'unmanaged_objects', 'drift_scans', 'resources'] as const)
      await db.deleteFrom(t).execute();
    driver = new MemoryPlatformDriver();
    const spec = { name: 'Acme', email: 'a@acme.example' };
    const pa = driver.seed('account', '', spec, 'account_obs');
    const desired = { account_id: 'account_obs', name: 'Ann', login: 'ann', email: 'a@x.example' };
    const platform = { ...desired, account_id: pa };
    user = driver.seed('user', pa, platform, 'user_obs');
    await seedResources(db, [
      {
        id: 'account_obs',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_obs',
        spec,
        externalId: pa,
        observed: spec,
      },
      {
        id: 'user_obs',
        kind: 'user',
        accountId: 'account_obs',
        rootAccountId: 'account_obs',
        spec: desired,
        externalId: user,
        observed: platform,
      },
    ]);
    updates.length = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'RawNode') {
          const text = args.node.sqlFragments.join('?');
          if (/update resources as r set observed/.test(text)) updates.push(text);
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    scanner = new DriftScanner({
      db: counted,
      driver,
      policies: new DriftPolicyCache(db),
      secrets: new AesGcmSecretBox(randomBytes(32)),
    });
  });

  it('writes nothing when every listed document matches the digest the engine left', async () => {
    const [result] = await scanner.scanDue();
    expect(result).toMatchObject({ outcome: 'scanned' });
    expect(updates).toEqual([]);
  });

  it('writes the moved document and its digest, then nothing on the next scan', async () => {
    const { db } = database();
    driver.consoleEdit(user, { name: 'Edited' });
    await scanner.scanAccount('account_obs');
    const after = await observedOf(db, 'user_obs');
    expect(after.observed).toMatchObject({ name: 'Edited' });
    // The digest is of the document as listed (the store reorders keys), so only its presence.
    expect(after.observed_digest).not.toBeNull();
    expect(updates).toHaveLength(1);
    await scanner.scanAccount('account_obs');
    expect(updates).toHaveLength(1);
  });

  it('clears the digest when another writer changes `observed`, so the scan writes again', async () => {
    // Why: the engine (or a hand-written UPDATE) may store a document the platform has since
    // left; if the old digest survived, a platform back at the old value would go unwritten.
    const { db } = database();
    await sql`update resources set observed = '{"name":"stale"}'::jsonb where id = 'user_obs'`.execute(
      db,
    );
    expect((await observedOf(db, 'user_obs')).observed_digest).toBeNull();
    await scanner.scanAccount('account_obs');
    const after = await observedOf(db, 'user_obs');
    expect(after.observed).toMatchObject({ name: 'Ann' });
    expect(updates).toHaveLength(1);
  });

  it('keeps a digest its own writer sets with the document', async () => {
    const { db } = database();
    const doc = { name: 'Ann' };
    await db
      .updateTable('resources')
      .set({ observed: JSON.stringify(doc), observed_digest: observedDigest(doc) })
      .where('id', '=', 'user_obs')
      .execute();
    expect((await observedOf(db, 'user_obs')).observed_digest).toBe(observedDigest(doc));
  });
});
