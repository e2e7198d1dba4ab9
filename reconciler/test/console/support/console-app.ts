// The API wired as the daemon wires it for the console (hardening, token auth, the console
// routes) on a fresh database, with a platform that reports seat figures per account.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../../src/api/build-app.js';
import { AuditStore } from '../../../src/audit/audit-store.js';
import { authPlugin } from '../../../src/api/auth-plugin.js';
import { hardeningPlugin } from '../../../src/api/hardening-plugin.js';
import type { Role } from '../../../src/auth/principal.js';
import { ScopeGuard } from '../../../src/auth/scope.js';
import { TokenStore } from '../../../src/auth/token-store.js';
import { PlatformError, type InventoryDriver } from '../../../src/driver/platform-driver.js';
import { AesGcmSecretBox } from '../../../src/secrets/aes-gcm-secret-box.js';
import { apiServicesFor } from '../../../src/services.js';
import { ResourceStore } from '../../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

/** What the fake platform answers for `seat_usage` of an account's platform id. */
export type SeatFigures =
  | { purchased: number; assigned: number; seat_limit: number | null; remaining?: number }
  | 'forbidden';

export interface ConsoleApp {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly store: ResourceStore;
  readonly tokens: TokenStore;
  /** Seat figures by platform id; edit before a request to change what the platform says. */
  readonly seats: Map<string, SeatFigures>;
  /** A token of `role`, scoped to `scopeAccountId` when given. */
  token(role: Role, scopeAccountId?: string, expiresAt?: Date): Promise<string>;
  /** Gives a resource a platform id, as an apply would. */
  onPlatform(id: string, externalId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleApp(): Promise<ConsoleApp> {
  const database = await createTestDatabase('postgres');
  const store = new ResourceStore(database.db, new AesGcmSecretBox(randomBytes(32)));
  const tokens = new TokenStore(database.db);
  const audit = new AuditStore(database.db);
  const seats = new Map<string, SeatFigures>();
  const driver: InventoryDriver = {
    observe: () => Promise.reject(new Error('not used by the console')),
    list: () => Promise.reject(new Error('not used by the console')),
    listAccounts: () => Promise.reject(new Error('not used by the console')),
    activity: () => Promise.reject(new Error('not used by the console')),
    async read(kind, accountExternalId) {
      const s = seats.get(accountExternalId);
      if (kind !== 'seat_usage' || s === undefined) throw new PlatformError('not_found', kind);
      // The raw message must never reach the console: only the reason does.
      if (s === 'forbidden')
        throw new PlatformError('forbidden', `key sk_live_secret refused for ${accountExternalId}`);
      return { ...s };
    },
  };
  const app = buildApp({
    ...apiServicesFor(store, { audit }),
    driver,
    hardening: async (instance) => {
      await instance.register(hardeningPlugin, {
        rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
      });
    },
    auth: async (instance) => {
      await instance.register(authPlugin, { tokens, audit, scope: new ScopeGuard(database.db) });
    },
  });
  await app.ready();
  let n = 0;
  return {
    app,
    database,
    store,
    tokens,
    seats,
    async token(role, scopeAccountId, expiresAt) {
      n += 1;
      const made = await tokens.create({
        name: `${role}-${n}`,
        role,
        createdBy: 'test',
        ...(scopeAccountId ? { scopeAccountId } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      });
      return made.token;
    },
    async onPlatform(id, externalId) {
      await sql`update resources set external_id = ${externalId} where id = ${id}`.execute(
        database.db,
      );
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

/** `cookie` header for a session holding `token`. */
export const sessionHeader = (token: string) => ({ cookie: `telform_session=${token}` });
