// The daemon as `telform serve` starts it, on a real Postgres and an in-memory platform: what
// happens on the first start (the bootstrap token, audited) and across a secret key rotation.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { MemoryPlatformDriver } from '../drift/memory-platform-driver.js';
import { createPostgresDatabase } from '../support/databases.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const kidOf = (key: Buffer) => new AesGcmSecretBox(key).kid;

let pg: { url: string; drop(): Promise<void> };
let dir: string;
let daemon: RunningDaemon | undefined;
let admin: string;
const driver = new MemoryPlatformDriver();

const start = async (env: Record<string, string>) => {
  await daemon?.stop();
  daemon = await startDaemon({
    databaseUrl: pg.url,
    dataDir: dir,
    env,
    driver,
    listen: { host: '127.0.0.1', port: 0 },
    logger: false,
    jobs: false,
    workers: { pollMs: 50 },
  });
  return daemon;
};

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${daemon!.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const applied = async (kind: string, id: string) => {
  const got = await call('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=10000`);
  const status = got.json.status as { applied_generation: number };
  expect(status.applied_generation, JSON.stringify(got.json)).toBe(got.json.generation);
};
const tokenEvents = async () =>
  (
    await sql<
      Record<string, unknown>
    >`select * from audit_events where event = 'token.create'`.execute(daemon!.database.db)
  ).rows;

beforeAll(async () => {
  pg = await createPostgresDatabase();
  dir = mkdtempSync(join(tmpdir(), 'telform-daemon-'));
  admin = (await start({ TELFORM_SECRET_KEY: keyA.toString('base64') })).adminToken!;
}, 120_000);
afterAll(async () => {
  await daemon?.stop();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bootstrap token', () => {
  it('is made on an empty database, audited as token.create by bootstrap, never in the event', async () => {
    expect(admin).toMatch(/^tf_/);
    const events = await tokenEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'bootstrap',
      access: 'write',
      outcome: 'success',
      resource: expect.stringMatching(/^token\/token_/),
    });
    expect(JSON.stringify(events[0])).not.toContain(admin);
    expect(JSON.stringify(events[0])).not.toContain(admin.slice(3));
    expect((await verifyAuditChain(daemon!.database.db)).ok).toBe(true);
  });

  it('records the caller-given request id of an API call in its audit event', async () => {
    const res = await call('GET', '/v1/tokens', undefined, { 'x-request-id': 'trace-bootstrap-1' });
    expect(res.status).toBe(200);
    // Reads are audited behind the answer (ReadAuditBuffer): wait for the batch to land.
    await vi.waitFor(
      async () => {
        const { rows } = await sql<{
          request_id: string;
        }>`select request_id from audit_events where event = 'token.list'`.execute(
          daemon!.database.db,
        );
        expect(rows.map((r) => r.request_id)).toContain('trace-bootstrap-1');
      },
      { timeout: 30_000, interval: 50 },
    );
  });
});

describe('secret key rotation', () => {
  let userId: string;
  const stored = async () =>
    (await daemon!.database.db
      .selectFrom('resources')
      .select(['secrets', 'external_id'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()) as {
      secrets: Record<string, { kid: string }>;
      external_id: string;
    };
  const onPlatform = async () => driver.objects.get((await stored()).external_id)!.attributes;
  const user = (name: string, password?: string) => ({
    account_id: accountId,
    name,
    login: 'alice',
    email: 'alice@acme.example',
    ...(password === undefined ? {} : { password }),
  });
  let accountId: string;

  it('seals under the current key before the rotation', async () => {
    const account = await call('POST', '/v1/resources/account', {
      name: 'Acme',
      email: 'admin@acme.example',
    });
    expect(account.status).toBe(201);
    accountId = account.json.id as string;
    const created = await call('POST', '/v1/resources/user', user('Alice', 'Old-pass-1'));
    expect(created.status).toBe(201);
    userId = created.json.id as string;
    await applied('user', userId);
    expect((await stored()).secrets.password?.kid).toBe(kidOf(keyA));
    expect((await onPlatform()).password).toBe('Old-pass-1');
  });

  it('after a restart on a new key, opens old values with the previous one', async () => {
    await start({
      TELFORM_SECRET_KEY: keyB.toString('base64'),
      TELFORM_SECRET_KEY_PREVIOUS: keyA.toString('base64'),
    });
    // Not a first start: no second bootstrap token, no second event.
    expect(daemon!.adminToken).toBeUndefined();
    expect(await tokenEvents()).toHaveLength(1);
    // A PUT without the password keeps the stored one: the platform needs it opened.
    const renamed = await call('PUT', `/v1/resources/user/${userId}`, user('Alice Martin'));
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    await applied('user', userId);
    expect(await onPlatform()).toMatchObject({ name: 'Alice Martin', password: 'Old-pass-1' });
    expect((await stored()).secrets.password?.kid).toBe(kidOf(keyA));
  });

  it('seals new writes under the current key', async () => {
    const changed = await call('PUT', `/v1/resources/user/${userId}`, user('Alice', 'New-pass-2'));
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    await applied('user', userId);
    expect((await stored()).secrets.password?.kid).toBe(kidOf(keyB));
    expect((await onPlatform()).password).toBe('New-pass-2');
  });
});
