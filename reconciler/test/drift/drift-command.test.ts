import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { apiServicesFor } from '../../src/services.js';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerDriftCommand } from '../../src/cli/commands/drift.js';
import { DriftPolicyCache } from '../../src/drift/drift-policy-cache.js';
import { DriftScanner } from '../../src/drift/drift-scanner.js';
import { AesGcmSecretBox } from '../../src/secrets/aes-gcm-secret-box.js';
import { ResourceStore } from '../../src/resources/resource-store.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { MemoryPlatformDriver } from './memory-platform-driver.js';
import { seedResources } from './seed-resources.js';

describe('telform drift', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let endpoint: string;
  const driver = new MemoryPlatformDriver();
  let userExternal: string;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    const pa = driver.seed('account', '', { name: 'A', email: 'a@a.example' }, 'account_a');
    const u = { account_id: 'account_a', name: 'Alice', login: 'alice', email: 'alice@a.example' };
    userExternal = driver.seed('user', pa, { ...u, account_id: pa }, 'user_a1');
    await seedResources(t.db, [
      {
        id: 'account_a',
        kind: 'account',
        accountId: null,
        rootAccountId: 'account_a',
        spec: { name: 'A', email: 'a@a.example' },
        externalId: pa,
      },
      {
        id: 'user_a1',
        kind: 'user',
        accountId: 'account_a',
        rootAccountId: 'account_a',
        spec: u,
        externalId: userExternal,
      },
    ]);
    const policies = new DriftPolicyCache(t.db);
    app = buildApp({
      ...apiServicesFor(new ResourceStore(t.db, new AesGcmSecretBox(randomBytes(32)))),
      drift: { scanner: new DriftScanner({ db: t.db, driver, policies }), policies },
    });
    endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const run = async (
    args: string[],
    env: Record<string, string> = {
      TELFORM_ENDPOINT: endpoint,
      TELFORM_TOKEN: 'unused-by-the-test-app',
    },
  ) => {
    let out = '';
    let err = '';
    const io: CliIo = {
      env,
      out: (text) => void (out += text),
      fail: (m) => void ((err += m), (process.exitCode = 1)),
    };
    // Usage errors (commander's own) go to the same capture, with commander's exit code.
    const program = new Command('telform')
      .exitOverride()
      .configureOutput({ writeErr: (text) => void (err += text) });
    registerDriftCommand(program, io);
    try {
      await program.parseAsync(['node', 'telform', 'drift', ...args]);
    } catch (e) {
      if (!(e instanceof CommanderError)) throw e;
      process.exitCode = e.exitCode;
    }
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { out, err, code };
  };

  it('exits 0 with a clean report when the platform agrees', async () => {
    const { out, code } = await run(['--scan']);
    expect(code).toBe(0);
    expect(out).toContain('No drift');
  });

  it.each([
    {
      why: 'markdown (the default) for a pull-request comment',
      args: [],
      has: '| `name` | `"Alice"` | `"Mallory"` |',
    },
    {
      why: 'csv for spreadsheets',
      args: ['--format', 'csv'],
      has: 'drift,open,reported,account_a,user,user_a1,,name,"""Alice""","""Mallory"""',
    },
    {
      why: 'json for scripts',
      args: ['--format', 'json', '--account', 'account_a'],
      has: '"resource_id": "user_a1"',
    },
  ])('exits 3 when drift is found, printing $why', async ({ args, has }) => {
    driver.consoleEdit(userExternal, { name: 'Mallory' });
    await run(['--scan']);
    const { out, code } = await run(args);
    expect(code).toBe(3);
    expect(out).toContain(has);
  });

  it.each([
    {
      why: 'an unknown format is a usage error naming the option',
      args: ['--format', 'xml'],
      env: undefined,
      msg: "option '--format <format>' argument 'xml' is invalid. Allowed choices are markdown, json, csv.",
    },
    {
      why: 'without an endpoint it says what to set',
      args: [],
      env: {},
      msg: 'set TELFORM_ENDPOINT and TELFORM_TOKEN',
    },
    {
      why: 'an account the daemon does not know is reported',
      args: ['--scan', '--account', 'account_zz'],
      env: undefined,
      msg: '404',
    },
  ])('fails with exit 1: $why', async ({ args, env, msg }) => {
    const { err, code } = await run(args, env);
    expect(code).toBe(1);
    expect(err).toContain(msg);
  });
});
