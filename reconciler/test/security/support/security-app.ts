// A fastify app with telform's security plugins, the token and audit routes, and probe routes
// for each action, on a fresh test database. For suites that test the plugins on their own.
import Fastify, { type FastifyInstance } from 'fastify';
import { sharedSchemas } from '../../../src/api/api-schemas.js';
import { handleError, handleNotFound } from '../../../src/api/error-handler.js';
import { auditRoutes } from '../../../src/api/routes/audit.js';
import { tokenRoutes } from '../../../src/api/routes/tokens.js';
import { AuditStore } from '../../../src/audit/audit-store.js';
import { authPlugin } from '../../../src/api/auth-plugin.js';
import { hardeningPlugin, type HardeningOptions } from '../../../src/api/hardening-plugin.js';
import { allActions } from '../../../src/auth/permissions.js';
import { ScopeGuard } from '../../../src/auth/scope.js';
import { TokenStore } from '../../../src/auth/token-store.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';

export interface SecurityApp {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly tokens: TokenStore;
  readonly audit: AuditStore;
  close(): Promise<void>;
}

export async function buildSecurityApp(
  dialect: Dialect = 'postgres',
  hardening: HardeningOptions = {},
): Promise<SecurityApp> {
  const database = await createTestDatabase(dialect);
  const tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  const scope = new ScopeGuard(database.db);
  // As buildApp: unknown properties are refused, never silently dropped.
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  for (const schema of sharedSchemas) app.addSchema(schema);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  await app.register(hardeningPlugin, hardening);
  await app.register(authPlugin, { tokens, audit, scope });
  await app.register(tokenRoutes, { tokens, scope });
  await app.register(auditRoutes, { audit, scope });
  // One probe per action: answers with the action and the echoed body.
  for (const action of allActions) {
    app.post(`/v1/probe/${action.replace(':', '-')}`, { config: { action } }, async (request) => ({
      action,
      body: request.body ?? null,
    }));
  }
  app.get('/healthz', async () => ({ ok: true }));
  await app.ready();
  return {
    app,
    database,
    tokens,
    audit,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}
