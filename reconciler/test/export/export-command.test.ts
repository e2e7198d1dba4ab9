import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerExportCommand } from '../../src/cli/commands/export.js';

const account = {
  id: 'account_a',
  kind: 'account',
  account_id: null,
  spec: { name: 'Acme', email: 'admin@acme.example' },
  secrets_set: [],
  deletion_requested_at: null,
};
const user = (id: string, login: string, deleting = false) => ({
  id,
  kind: 'user',
  account_id: 'account_a',
  spec: { account_id: 'account_a', name: login, login, email: `${login}@acme.example` },
  secrets_set: [],
  deletion_requested_at: deleting ? '2026-11-30T00:00:00.000Z' : null,
});

/** The listing routes the command reads, two pages each, recording the requested URLs. */
describe('telform export', () => {
  let server: Server;
  let endpoint: string;
  let dir: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url!);
      const url = new URL(req.url!, 'http://x');
      const second = url.searchParams.get('cursor') === 'p2';
      const items = url.pathname.endsWith('/user')
        ? second
          ? [user('user_2', 'bob')]
          : [user('user_1', 'alice')]
        : second
          ? [user('user_1', 'alice'), user('user_9', 'gone', true)]
          : [account];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items, next_cursor: second ? null : 'p2' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'telform-export-'));
  });
  afterEach(() => {
    requests.length = 0;
    process.exitCode = undefined;
  });
  afterAll(async () => {
    server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (
    args: string[],
    env: CliIo['env'] = { TELFORM_ENDPOINT: endpoint, TELFORM_TOKEN: 't' },
  ) => {
    let out = '';
    let err = '';
    const io: CliIo = {
      env,
      out: (text) => void (out += text),
      fail: (m) => void (err += m),
    };
    const program = new Command('telform').exitOverride();
    registerExportCommand(program, io, () => new Date('2026-12-01T00:00:00Z'));
    await program.parseAsync(['node', 'telform', 'export', ...args]);
    return { out, err };
  };

  it('follows the cursor, skips resources being deleted, and names the filters', async () => {
    const { out, err } = await run(['--account', 'account_a']);
    expect(err).toBe('');
    expect(requests).toEqual([
      '/v1/resources?limit=1000&account_id=account_a',
      '/v1/resources?limit=1000&account_id=account_a&cursor=p2',
    ]);
    expect(out.split('\n')[0]).toContain(
      'at 2026-12-01T00:00:00.000Z (filters: --account account_a); 2 resources',
    );
    expect(out).toContain('account_id = telform_account.acme.id');
    expect(out).not.toContain('gone');
  });

  it('lists one kind through its own route, and writes --out', async () => {
    const file = join(dir, 'users.tf');
    const { out, err } = await run(['--kind', 'user', '--out', file]);
    expect(err).toBe('');
    expect(requests[0]).toBe('/v1/resources/user?limit=1000');
    expect(out).toBe(`wrote 2 resources to ${file}\n`);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('(filters: --kind user)');
    // The account is not exported: the reference stays the literal id.
    expect(text).toContain('account_id = "account_a"');
  });

  it.each([
    {
      why: 'an unknown kind is refused before any request',
      args: ['--kind', 'usr'],
      env: undefined,
      error: '--kind must be a managed kind (',
    },
    {
      why: 'read-only platform data is no resource to adopt',
      args: ['--kind', 'limits'],
      env: undefined,
      error: 'not "limits"',
    },
    {
      why: 'the export reads a running daemon, never the database behind it',
      args: [],
      env: {},
      error: 'set TELFORM_ENDPOINT and TELFORM_TOKEN',
    },
  ])('$why', async ({ args, env, error }) => {
    const { out, err } = await run(args, env);
    expect(err).toContain(error);
    expect(out).toBe('');
    expect(requests).toEqual([]);
  });
});
