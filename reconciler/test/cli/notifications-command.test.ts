// The notifications feed (002 Account settings > Notifications) from the command line, on a
// real daemon with the bundled emulator: rows with time and type, the type filter, --all over
// pages, JSON for scripts, and a refusal that names the option.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerNotificationsCommand } from '../../src/cli/commands/notifications.js';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';

let daemon: RunningDaemon;
let root: string;
let env: Record<string, string>;
let account: string;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(daemon.url + path, {
    method,
    headers: {
      authorization: `Bearer ${env.TELFORM_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const applied = async (kind: string, attrs: Record<string, unknown>) => {
  const made = await api('POST', `/v1/resources/${kind}`, attrs);
  const read = await api('GET', `/v1/resources/${kind}/${made.id}?wait=applied&timeout_ms=60000`);
  expect(read.status.external_id, JSON.stringify(read)).toBeTruthy();
  return { id: String(made.id), externalId: String(read.status.external_id) };
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'telform-notifications-cli-'));
  daemon = await startDaemon({
    dataDir: join(root, 'daemon'),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0 },
    logger: false,
    jobs: false,
  });
  env = { TELFORM_ENDPOINT: daemon.url, TELFORM_TOKEN: daemon.adminToken! };
  const acct = await applied('account', { name: 'Acme', email: 'admin@acme.example' });
  account = acct.id;
  await applied('notification_subscription', {
    account_id: account,
    event: 'low_balance',
    recipient: 'billing@acme.example',
    threshold: 100,
  });
  await applied('notification_subscription', {
    account_id: account,
    event: 'account_balance',
    recipient: 'cfo@acme.example',
  });
  const emu = daemon.emulator!;
  for (const balance of [250, 80]) {
    const res = await fetch(`${emu.url}/_emulator/console/accounts/${acct.externalId}/balance`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ balance }),
    });
    expect(res.status).toBe(200);
  }
}, 180_000);
afterAll(async () => {
  await daemon?.stop();
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[]) {
  const result = { out: '', err: '' };
  const io: CliIo = {
    env,
    out: (t) => void (result.out += t),
    fail: (m) => void (result.err += `${m}\n`),
  };
  const program = new Command().exitOverride();
  registerNotificationsCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return result;
}

describe('telform notifications list', () => {
  it('prints time, type, recipient, subscription and message, newest first', async () => {
    const r = await run(['notifications', 'list', '--account', account]);
    expect(r.err).toBe('');
    const rows = r.out
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows.map((c) => [c[1], c[2], c[4]])).toEqual([
      ['account_balance', 'cfo@acme.example', 'Account balance is 80.00 (was 250.00)'],
      ['low_balance', 'billing@acme.example', 'Low balance: 80.00 is below 100.00'],
      ['account_balance', 'cfo@acme.example', 'Account balance is 250.00'],
    ]);
    for (const c of rows) {
      expect(c[0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(c[3]).toMatch(/^notification_subscription_/);
    }
  });

  it('filters by type, and --all follows the cursor over pages of one', async () => {
    const low = await run([
      'notifications',
      'list',
      '--account',
      account,
      '--event',
      'low_balance',
    ]);
    expect(low.out.trimEnd().split('\n')).toHaveLength(1);
    const paged = await run(['notifications', 'list', '--account', account, '--limit', '1']);
    expect(paged.out).toMatch(/\n# more: --cursor \S+\n$/);
    const all = await run([
      'notifications',
      'list',
      '--account',
      account,
      '--limit',
      '1',
      '--all',
      '--format',
      'json',
    ]);
    expect(all.err).toBe('');
    const parsed = JSON.parse(all.out) as {
      entries: { notification_id: number }[];
      next_cursor: null;
    };
    expect(parsed.next_cursor).toBeNull();
    expect(new Set(parsed.entries.map((e) => e.notification_id)).size).toBe(3);
  });

  it.each([
    {
      why: 'a bad date is refused by the API, naming since',
      args: ['--since', 'yesterday'],
      message: /since/,
    },
    {
      why: 'an account telform does not have is refused',
      args: ['--account', 'account_nope'],
      message: /404 .*account_nope/,
    },
  ])('$why', async ({ args, message }) => {
    const r = await run(['notifications', 'list', '--account', account, ...args]);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('refuses a type the product does not have before asking (a usage error)', async () => {
    await expect(
      run(['notifications', 'list', '--account', account, '--event', 'promotions']),
    ).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
