// The contact-center webhook actions (000 §8 Webhooks: Settings "test the connection", History
// "Retry") from the command line, on a real daemon with the bundled emulator posting to a real
// HTTPS receiver: the endpoint's answer in text and JSON, exit code 4 when it fails (telform
// asked, the receiver did not take it), 1 when telform could not ask.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  selfSignedCert,
  webhookReceiver,
} from '../../../emulator/test/support/webhook-receiver.js';
import type { CliIo } from '../../src/cli/cli-target.js';
import { registerWebhookCommand } from '../../src/cli/commands/webhook.js';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { startDaemon, type RunningDaemon } from '../../src/daemon.js';

let daemon: RunningDaemon;
let root: string;
let env: Record<string, string>;
let rx: Awaited<ReturnType<typeof webhookReceiver>>;
let account: string;
let hook: string;

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
  return String(made.id);
};

beforeAll(async () => {
  const tls = selfSignedCert();
  rx = await webhookReceiver(tls);
  root = await mkdtemp(join(tmpdir(), 'telform-webhook-cli-'));
  daemon = await startDaemon({
    dataDir: join(root, 'daemon'),
    listen: { host: '127.0.0.1', port: 0 },
    emulator: { port: 0, webhookCa: tls.cert },
    logger: false,
    jobs: false,
  });
  env = { TELFORM_ENDPOINT: daemon.url, TELFORM_TOKEN: daemon.adminToken! };
  account = await applied('account', { name: 'Acme', email: 'admin@acme.example' });
  hook = await applied('webhook', { account_id: account, url: rx.url, rights: { users: true } });
}, 180_000);
afterAll(async () => {
  await daemon?.stop();
  await rx?.close();
  await rm(root, { recursive: true, force: true });
});

async function run(args: string[]) {
  const result = { out: '', err: '', code: 0 };
  const io: CliIo = {
    env,
    out: (t) => void (result.out += t),
    fail: (m) => {
      result.err += `${m}\n`;
      result.code = exitCodes.failure;
    },
    exitCode: (c) => void (result.code = c),
  };
  const program = new Command().exitOverride();
  registerWebhookCommand(program, io);
  await program.parseAsync(args, { from: 'user' });
  return result;
}

describe('telform webhook test', () => {
  it.each([
    { why: 'a 2xx answer is a working connection: exit 0', status: 204, ok: 'ok', code: 0 },
    {
      why: 'a 5xx answer is a failed connection: exit 4, the answer still printed',
      status: 503,
      ok: 'failed',
      code: exitCodes.deliveryFailed,
    },
  ])('$why', async ({ status, ok, code }) => {
    rx.answerWith(status);
    const seen = rx.received.length;
    const r = await run(['webhook', 'test', hook]);
    expect(r.err).toBe('');
    expect(r.code).toBe(code);
    expect(r.out).toMatch(new RegExp(`^delivery \\d+\\tHTTP ${status}\\t\\d+ ms\\t${ok}\\n$`));
    // The platform really posted a test event to the receiver.
    expect(rx.received.length).toBe(seen + 1);
    expect(rx.received.at(-1)!.body).toContain('webhook.test');
  });

  it('prints the attempt as JSON for scripts', async () => {
    rx.answerWith(200);
    const r = await run(['webhook', 'test', hook, '--format', 'json']);
    expect(JSON.parse(r.out)).toMatchObject({ webhook_id: hook, http_status: 200, ok: true });
    expect(r.code).toBe(0);
  });

  it('an unknown webhook is exit 1 naming it', async () => {
    const r = await run(['webhook', 'test', 'webhook_nope']);
    expect(r.code).toBe(exitCodes.failure);
    expect(r.err).toMatch(/404 .*webhook_nope/);
  });
});

describe('telform webhook retry', () => {
  it('posts a delivery again and reports it as a retry of that delivery', async () => {
    rx.answerWith(500);
    const first = await run(['webhook', 'test', hook, '--format', 'json']);
    const failed = JSON.parse(first.out) as { delivery_id: number };
    rx.answerWith(200);
    const r = await run(['webhook', 'retry', String(failed.delivery_id), '--account', account]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(`^delivery \\d+\\tHTTP 200\\t\\d+ ms\\tok\\tretry of ${failed.delivery_id}\\n$`),
    );
  });

  it.each([
    {
      why: 'a delivery id that is not a number is refused before asking, naming delivery-id',
      delivery: 'abc',
      message: /delivery-id must be a delivery_id/,
    },
    {
      why: 'a delivery the platform does not have is exit 1 (404)',
      delivery: '999999',
      message: /404/,
    },
  ])('$why', async ({ delivery, message }) => {
    const r = await run(['webhook', 'retry', delivery, '--account', account]);
    expect(r.code).toBe(exitCodes.failure);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});
