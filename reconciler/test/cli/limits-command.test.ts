// "Request a limit increase" (000 Limits) from the command line, on a real daemon with the
// bundled emulator: the request reaches the platform, the vendor's answer shows, a refusal names
// the rule, and the request is an audit event like every API write.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerLimitsCommand } from '../../src/cli/commands/limits.js';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';

let daemon: RunningDaemon;
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'telform-limits-cli-'));
  daemon = await startDaemon({
    dataDir: join(root, 'daemon'),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0 },
    logger: false,
    jobs: false,
  });
  env = { TELFORM_ENDPOINT: daemon.url, TELFORM_TOKEN: daemon.adminToken! };
}, 120_000);
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
  registerLimitsCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return result;
}

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

describe('telform limits', () => {
  it('submits a request, shows the vendor decision, and refuses one below the current limit', async () => {
    const account = await api('POST', '/v1/resources/account', {
      name: 'Acme',
      email: 'admin@acme.example',
    });
    const applied = await api(
      'GET',
      `/v1/resources/account/${account.id}?wait=applied&timeout_ms=30000`,
    );
    const base = ['limits', 'request', '--account', String(account.id), '--limit', 'max_users'];
    const asked = await run([
      ...base,
      '--requested',
      '1500',
      '--reason',
      'seasonal agents',
      '--wait',
    ]);
    expect(asked.err).toBe('');
    expect(asked.out).toMatch(/^limit_increase_request_[a-z0-9]{26}\n$/);
    const id = asked.out.trim();
    expect((await run(['limits', 'requests', '--account', String(account.id)])).out).toBe(
      `${id}\tmax_users\t1500\tpending\tcurrent 1000\n`,
    );
    // The vendor approves on its side; the next read of the request shows it.
    const emu = daemon.emulator!;
    const request = await api('GET', `/v1/resources/limit_increase_request/${id}`);
    const decided = await fetch(
      `${emu.url}/_emulator/console/accounts/${String(applied.status.external_id)}/limit_increase_requests/${String(request.status.external_id)}/decision`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'approved', note: 'ok' }),
      },
    );
    expect(decided.status).toBe(200);
    await api('POST', `/v1/drift/scan?account_id=${String(account.id)}`);
    const json = JSON.parse(
      (await run(['limits', 'requests', '--account', String(account.id), '--format', 'json'])).out,
    );
    expect(json[0].status.observed).toMatchObject({ status: 'approved', current_limit: 1500 });
    // Product: a request must ask for more than the current limit; the platform says so.
    const low = await run([...base, '--requested', '10', '--reason', 'typo', '--wait']);
    expect(low.err).toMatch(/requested must be more than the current max_users \(1500\)/);
    // The request is audited like any API write.
    const audit = await api('GET', '/v1/audit?limit=1000');
    expect(JSON.stringify(audit)).toContain(id);
  }, 120_000);
});
