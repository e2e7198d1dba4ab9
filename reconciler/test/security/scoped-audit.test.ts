import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
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
const accounts: Record<string, string> = {};

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
    accounts[name] = account.id;
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
  tok.auditor = (await tokens.create({ name: 'all', role: 'auditor', createdBy: 't' })).token;
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

describe('a scoped auditor verifies the chain without learning about other tenants', () => {
  const scopeOf = async (name: 'A' | 'B') => Promise.resolve(accounts[name]);
  const ownCount = async (scopeAccountId: string) => {
    const ids = await new ScopeGuard(database.db).accountIds({ scopeAccountId });
    const row = await database.db
      .selectFrom('audit_events')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('account_id', 'in', ids!)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it("counts only its own accounts' events (the whole chain's count would tell how busy the others are)", async () => {
    const total = await database.db
      .selectFrom('audit_events')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const whole = (await get(tok.auditor!, '/v1/audit/verify')).json() as { checked: number };
    expect(whole).toMatchObject({ ok: true });
    expect(whole).not.toHaveProperty('scoped');
    expect(whole.checked).toBeGreaterThan(0);
    expect(whole.checked).toBeLessThanOrEqual(Number(total.n) + 10);
    const scopeA = await scopeOf('A');
    expect(scopeA).toBeTruthy();
    // Reads are audited off the response path: poll until the buffer's appends have landed.
    await expect
      .poll(
        async () => {
          const report = (await get(tok.auditorA!, '/v1/audit/verify')).json() as {
            checked: number;
          };
          return report.checked === (await ownCount(scopeA!)) ? report : undefined;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toEqual({ ok: true, checked: expect.any(Number), scoped: true });
  });

  it("names a break in its own tenant's event, and only says that one exists in another's", async () => {
    const scopeB = await scopeOf('B');
    const ids = await new ScopeGuard(database.db).accountIds({ scopeAccountId: scopeB! });
    const victim = await database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('account_id', 'in', ids!)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    // Tampering breaks the chain for every later test of this file: this case runs last.
    // Someone with database rights: the append-only trigger off, then raw SQL.
    await sql`alter table audit_events disable trigger user`.execute(database.db);
    try {
      await database.db
        .updateTable('audit_events')
        .set({ actor: 'forger' })
        .where('seq', '=', victim.seq)
        .execute();
    } finally {
      await sql`alter table audit_events enable trigger user`.execute(database.db);
    }
    const seenByB = (await get(tok.auditorB!, '/v1/audit/verify')).json();
    expect(seenByB).toMatchObject({
      ok: false,
      scoped: true,
      problem: { kind: 'edited', seq: victim.seq },
    });
    const seenByA = (await get(tok.auditorA!, '/v1/audit/verify')).json();
    expect(seenByA).toMatchObject({ ok: false, scoped: true, problem: { kind: 'edited' } });
    expect(seenByA.problem).not.toHaveProperty('seq');
  });
});
