// Builds the API on a fresh database (no auth plugin: requests run as the test admin).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppServices } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../support/databases.js';

export interface AppFixture {
  readonly app: FastifyInstance;
  readonly store: ResourceStore;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export async function startApp(
  dialect: Dialect = 'postgres',
  extra: Partial<AppServices> = {},
): Promise<AppFixture> {
  const database = await createTestDatabase(dialect);
  const store = new ResourceStore(database.db, new AesGcmSecretBox(randomBytes(32)));
  const app = buildApp({ ...apiServicesFor(store), ...extra });
  await app.ready();
  return {
    app,
    store,
    database,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

export const accountBody = (name = 'Acme') => ({
  name,
  email: `${name.toLowerCase().replaceAll(' ', '')}@example.com`,
});

export const userBody = (
  accountId: string,
  login: string,
  extra: Record<string, unknown> = {},
) => ({
  account_id: accountId,
  name: `User ${login}`,
  login,
  email: `${login}@example.com`,
  ...extra,
});
