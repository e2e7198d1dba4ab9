import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createTenant } from './support/tenant-fixtures.js';

let database: TestDatabase;
let app: ReturnType<typeof buildApp>;
const tok: Record<string, string> = {};
const users: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  const store = new ResourceStore(database.db, new AesGcmSecretBox(randomBytes(32)));
  const tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  app = buildApp({
    ...apiServicesFor(store, { audit }),
    auth: async (i) =>
      i.register(authPlugin, { tokens, audit, scope: new ScopeGuard(database.db) }),
  });
  await app.ready();
  for (const name of ['A', 'B']) {
    const account = await store.create(
      'account',
      { ...getKind('account').example, name },
      { scopeAccountId: null },
    );
    const tenant = await createTenant(store, account.id);
    users[name] = tenant.ids.user!;
    tok[`auditor${name}`] = (
      await tokens.create({
        name: `auditor-${name}`,
        role: 'auditor',
        scopeAccountId: account.id,
        createdBy: 't',
      })
    ).token;
  }
  tok.operator = (await tokens.create({ name: 'op', role: 'operator', createdBy: 't' })).token;
});
afterAll(async () => {
  await app?.close();
  await database?.dispose();
});

const get = (token: string, url: string) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('a scoped auditor reads its own tenant audit trail', () => {
  it('sees the reads and denials that concern its accounts, and nothing of the other tenant', async () => {
    expect((await get(tok.operator!, `/v1/resources/user/${users.A}`)).statusCode).toBe(200);
    expect((await get(tok.operator!, `/v1/resources/user/${users.B}`)).statusCode).toBe(200);
    // A's auditor may not read B's user: denied, and recorded in A's trail without B's id.
    expect((await get(tok.auditorA!, `/v1/resources/user/${users.B}`)).statusCode).toBe(403);
    expect((await get(tok.auditorA!, `/v1/resources/user/${users.B}/status`)).statusCode).toBe(404);
    const seenByA = await get(tok.auditorA!, '/v1/audit?order=asc');
    expect(seenByA.statusCode).toBe(200);
    const events = seenByA.json().items as {
      event: string;
      resource: string | null;
      outcome: string;
      actor: string;
    }[];
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'user.read', resource: `user/${users.A}`, actor: 'op' }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'user.status',
        outcome: 'denied',
        actor: 'auditor-A',
        resource: null,
      }),
    );
    expect(seenByA.body).not.toContain(users.B);
    const seenByB = await get(tok.auditorB!, '/v1/audit');
    expect(seenByB.body).toContain(`user/${users.B}`);
    expect(seenByB.body).not.toContain(users.A);
  });
});
