import { apiServicesFor } from '../../src/services.js';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { AuditStore } from '../../src/audit/audit-store.js';
import { authPlugin } from '../../src/api/auth-plugin.js';
import type { CliIo } from '../../src/cli/cli-target.js';
import { ScopeGuard } from '../../src/auth/scope.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { registerDriftCommand } from '../../src/cli/commands/drift.js';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

describe('telform drift policy get/set', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const u = { account_id: 'account_p', name: 'Pat', login: 'pat', email: 'pat@p.example' };
    await seedResources(t.db, [
      {
        id: 'account_p',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_p',
        spec: { name: 'P', email: 'p@p.example' },
        externalId: 'acc-1',
      },
      {
        id: 'user_p1',
        kind: 'user',
        accountId: 'account_p',
        rootAccountId: 'account_p',
        spec: u,
        externalId: 'u-1',
      },
    ]);
    const policies = new DriftPolicyCache(t.db);
    const tokens = new TokenStore(t.db);
    const audit = new AuditStore(t.db);
    const driver = new MemoryPlatformDriver();
    app = buildApp({
      ...apiServicesFor(new ResourceStore(t.db, new AesGcmSecretBox(randomBytes(32))), { audit }),
      drift: { scanner: new DriftScanner({ db: t.db, driver, policies }), policies },
      auth: async (i) => i.register(authPlugin, { tokens, audit, scope: new ScopeGuard(t.db) }),
    });
    const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await tokens.create({ name: 'ops', role: 'admin', createdBy: 'test' });
    env = { TELFORM_ENDPOINT: endpoint, TELFORM_TOKEN: admin.token };
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = {
      env,
      out: (text) => void (out += text),
      fail: (m) => void ((err += m), (process.exitCode = 1)),
    };
    const program = new Command('telform').exitOverride();
    registerDriftCommand(program, io);
    await program.parseAsync(['node', 'telform', 'drift', 'policy', ...args]);
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { out, err, code };
  };

  it('prints the defaults for a target without a policy', async () => {
    const { out, code } = await run(['get', 'user_p1']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ target_id: 'user_p1', mode: null, stored: false });
  });

  it('sets only the parts given, keeps the others, and get shows the result', async () => {
    expect((await run(['set', 'user_p1', '--mode', 'correct'])).code).toBe(0);
    const { out, code } = await run(['set', 'user_p1', '--ignore', 'display_name,privileges']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      mode: 'correct',
      ignore_fields: ['display_name', 'privileges'],
    });
    const got = JSON.parse((await run(['get', 'user_p1'])).out);
    expect(got).toMatchObject({ target_id: 'user_p1', mode: 'correct', target_type: 'resource' });
    expect((await run(['set', 'user_p1', '--mode', 'inherit'])).out).toContain('"mode": null');
  });

  it('audits each change with its target and the target account', async () => {
    const events = await t.db
      .selectFrom('audit_events')
      .select(['event', 'resource', 'account_id', 'access'])
      .where('access', '=', 'write')
      .where('event', 'like', 'drift.%')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const e of events)
      expect(e).toMatchObject({ resource: 'user/user_p1', account_id: 'account_p' });
  });

  it.each([
    {
      why: 'an unknown mode names the option',
      args: ['set', 'user_p1', '--mode', 'fix'],
      msg: '--mode must be report, correct or inherit',
    },
    {
      why: 'a malformed ignored field names it',
      args: ['set', 'user_p1', '--ignore', 'Bad-Field'],
      msg: '"Bad-Field" is not a dotted attribute path',
    },
    {
      why: 'an interval out of range names the rule',
      args: ['set', 'account_p', '--scan-interval', '5'],
      msg: 'from 60 to 86400',
    },
    { why: 'nothing to set is refused', args: ['set', 'user_p1'], msg: 'nothing to set' },
    {
      why: 'an interval on a resource is refused by the daemon, naming the field',
      args: ['set', 'user_p1', '--scan-interval', '120'],
      msg: 'scan_interval_seconds',
    },
    { why: 'an unknown target is a 404', args: ['set', 'user_zz', '--mode', 'report'], msg: '404' },
  ])('fails with exit 1 and changes nothing: $why', async ({ args, msg }) => {
    const before = JSON.parse((await run(['get', 'user_p1'])).out);
    const { err, code } = await run(args);
    expect(code).toBe(1);
    expect(err).toContain(msg);
    expect(JSON.parse((await run(['get', 'user_p1'])).out)).toEqual(before);
  });
});
