// A migrated database on the throwaway Postgres with one admin token: what several daemon
// processes share in the crash and two-replica tests.
import { randomBytes } from 'node:crypto';
import { TokenStore } from '../../src/auth/token-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createPostgresDatabase } from '../support/databases.js';

export interface SharedPostgres {
  readonly url: string;
  readonly token: string;
  /** The env every daemon on this database gets (same secret key, so each opens the others' secrets). */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

export async function sharedPostgres(platform: {
  url: string;
  partnerKey: string;
}): Promise<SharedPostgres> {
  const created = await createPostgresDatabase();
  const opened = await openDatabase({ databaseUrl: created.url });
  try {
    const outcome = await migrateToLatest(opened.db);
    if (outcome.error !== undefined) throw outcome.error;
    const { token } = await new TokenStore(opened.db).create({
      name: 'e2e',
      role: 'admin',
      createdBy: 'test',
    });
    return {
      url: created.url,
      token,
      env: {
        DATABASE_URL: created.url,
        TELFORM_SECRET_KEY: randomBytes(32).toString('base64'),
        TELFORM_PLATFORM_URL: platform.url,
        TELFORM_PLATFORM_KEY: platform.partnerKey,
      },
      drop: () => created.drop(),
    };
  } finally {
    await opened.close();
  }
}
